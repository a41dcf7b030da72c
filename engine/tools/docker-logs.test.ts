import { describe, expect, it } from 'vitest';
import { unframeDockerLogs } from './docker-logs.ts';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('unframeDockerLogs', () => {
  it('joins stdout and stderr frames in the order they were written', () => {
    const logs = Buffer.concat([frame(1, 'ready\n'), frame(2, 'warn: é\n'), frame(1, 'done')]);
    expect(unframeDockerLogs(logs)).toBe('ready\nwarn: é\ndone');
  });

  it('stops at a truncated header instead of reading past the end', () => {
    const logs = Buffer.concat([frame(1, 'ok\n'), Buffer.from([1, 0, 0])]);
    expect(unframeDockerLogs(logs)).toBe('ok\n');
    expect(unframeDockerLogs(Buffer.alloc(0))).toBe('');
  });
});
