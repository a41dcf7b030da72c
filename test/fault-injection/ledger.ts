import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The "external system" the fault-injection run writes to: an append-only ledger file that,
 * like any API taking idempotency keys, applies a key once and acknowledges a repeat without
 * applying it again. Every call, applied or not, is also logged to the invocations file, so
 * the test can tell an effect the engine re-ran from one it correctly answered from the store.
 */
export interface LedgerFiles {
  ledger: string;
  invocations: string;
}

/** Records that the engine called the effect, applied or not. */
export function logInvocation(files: LedgerFiles, token: string, effect: string): void {
  appendDurably(files.invocations, `${effect}\t${token}\n`);
}

export function applyOnce(
  files: LedgerFiles,
  token: string,
  effect: string,
): 'applied' | 'duplicate' {
  if (readLines(files.ledger).some((line) => line.split('\t')[0] === token)) return 'duplicate';
  appendDurably(files.ledger, `${token}\t${effect}\n`);
  return 'applied';
}

export function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** fsync'd, so what a killed process wrote is what the next one reads. */
export function appendDurably(file: string, line: string): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
