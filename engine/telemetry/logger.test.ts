import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { createLogger } from './logger.ts';

const SECRET = 'vault-root-9f8e7d6c5b4a';

function capture(format: 'json' | 'text') {
  const lines: string[] = [];
  const redactor = new Redactor();
  redactor.register(SECRET);
  const logger = createLogger({
    redactor,
    format,
    level: 'debug',
    write: (line) => lines.push(line),
    now: () => new Date(0),
  });
  return { lines, logger };
}

describe('logger', () => {
  it.each(['json', 'text'] as const)('never writes a registered secret (%s)', (format) => {
    const { lines, logger } = capture(format);
    logger.info(`token is ${SECRET}`, {
      header: `X-Vault-Token: ${SECRET}`,
      nested: { list: [SECRET] },
      [SECRET]: 'as a key',
    });
    logger
      .child({ runId: 'run_1', token: SECRET })
      .error('failed', { error: new Error(`denied for ${SECRET}`) });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(SECRET);
    expect(lines.join('\n')).toContain('[REDACTED]');
  });

  it('catches a secret split by JSON escaping in neither form', () => {
    // A secret with a quote in it would appear escaped in serialised JSON; redacting values
    // before serialising catches it anyway.
    const lines: string[] = [];
    const redactor = new Redactor();
    redactor.register('pa"ss\\word');
    createLogger({ redactor, write: (line) => lines.push(line) }).warn('x', {
      value: 'pa"ss\\word',
    });
    expect(lines[0]).not.toContain(JSON.stringify('pa"ss\\word').slice(1, -1));
    expect(JSON.parse(lines[0]!).value).toBe('[REDACTED]');
  });

  it('writes one JSON object per line with level, time and bound fields', () => {
    const { lines, logger } = capture('json');
    logger.child({ runId: 'run_1' }).warn('slow stage', { stage: 'build' });
    expect(JSON.parse(lines[0]!)).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      level: 'warn',
      message: 'slow stage',
      runId: 'run_1',
      stage: 'build',
    });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({
      redactor: new Redactor(),
      level: 'warn',
      write: (line) => lines.push(line),
    });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    expect(lines).toHaveLength(1);
  });
});
