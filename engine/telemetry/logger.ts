import type { Redactor } from '../secrets/redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry `fields` (e.g. a run id). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  redactor: Redactor;
  level?: LogLevel;
  format?: 'json' | 'text';
  /** Where finished lines go; stderr by default, so stdout stays clean for --json output. */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * A structured logger that cannot leak: message and fields are redacted as values, before
 * serialisation, so a secret is caught whatever JSON escaping would have done to it.
 *
 * Hand-written rather than pino: pino's redaction is by field path, and what we need is
 * redaction by value (a token pasted into any field or message).
 */
export function createLogger(options: LoggerOptions, bound: Record<string, unknown> = {}): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const format = options.format ?? 'json';

  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LEVEL_ORDER[level] < threshold) return;
    const safe = options.redactor.redactValue({ ...bound, ...fields });
    const text = options.redactor.redact(message);
    if (format === 'json') {
      write(JSON.stringify({ at: now().toISOString(), level, message: text, ...safe }));
    } else {
      const extra = Object.entries(safe)
        .map(
          ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
        )
        .join(' ');
      write(`${level}: ${text}${extra ? ` ${extra}` : ''}`);
    }
  };

  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
