import { describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { lineSink } from './line-stream.ts';
import type { ToolOutputLine } from './types.ts';

describe('lineSink', () => {
  it('emits whole lines keyed by job id, redacting secrets split across chunks', () => {
    const redactor = new Redactor();
    redactor.register('s3cr3t-value');
    const lines: ToolOutputLine[] = [];
    const sink = lineSink('job-1', 'stderr', redactor, (line) => lines.push(line));
    sink.write(Buffer.from('first line\r\npassword is s3cr'));
    sink.write(Buffer.from('3t-value\nlast'));
    sink.end();
    expect(lines).toEqual([
      { jobId: 'job-1', stream: 'stderr', line: 'first line' },
      { jobId: 'job-1', stream: 'stderr', line: 'password is [REDACTED]' },
      { jobId: 'job-1', stream: 'stderr', line: 'last' },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const lines: string[] = [];
    const sink = lineSink('j', 'stdout', new Redactor(), (line) => lines.push(line.line));
    const bytes = Buffer.from('café ✓\n');
    sink.write(bytes.subarray(0, 4));
    sink.write(bytes.subarray(4));
    sink.end();
    expect(lines).toEqual(['café ✓']);
  });
});
