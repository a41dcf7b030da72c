/**
 * How a call and its answer cross a process boundary (Electron IPC). Errors cross as the
 * Problem itself and are rebuilt as a ProblemError on the other side.
 */
import type { Problem } from './problem.ts';

export const IPC_PREFIX = 'prodsprint:';

export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: Problem };

export function ipcChannel(operation: string): string {
  return `${IPC_PREFIX}${operation}`;
}
