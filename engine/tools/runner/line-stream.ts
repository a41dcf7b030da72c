/**
 * Splits a byte stream into lines and hands each one, redacted, to the job's callback
 * (invariant 6: no tool output leaves unredacted). A line is redacted whole, so a secret is
 * never cut in two by a chunk boundary.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from '../../secrets/redact.ts';
import type { ToolOutputLine } from './types.ts';

/** Longest line kept whole; longer ones are split (a binary blob must not exhaust memory). */
const MAX_LINE = 1 << 20;

export interface LineSink {
  write(chunk: Buffer | string): void;
  /** Emits the last, unterminated line. */
  end(): void;
}

export function lineSink(
  jobId: string,
  stream: ToolOutputLine['stream'],
  redactor: Redactor,
  onLine: ((line: ToolOutputLine) => void) | undefined,
): LineSink {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string) => {
    onLine?.({ jobId, stream, line: redactor.redact(text.replace(/\r$/, '')) });
  };
  const flushLines = () => {
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      emit(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    while (pending.length > MAX_LINE) {
      emit(pending.slice(0, MAX_LINE));
      pending = pending.slice(MAX_LINE);
    }
  };
  return {
    write(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      flushLines();
    },
    end() {
      pending += decoder.end();
      flushLines();
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}
