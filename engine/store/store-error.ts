import { EngineError, type ProblemKind } from '../contract/problem.ts';

/** Why the store could not be used. Each reason maps to one Problem type. */
export type StoreErrorReason =
  | 'data-dir-not-writable'
  | 'database-not-sqlite'
  | 'database-not-prodsprint'
  | 'database-newer-schema'
  | 'database-read-only'
  | 'database-locked'
  | 'migration-failed';

/**
 * An error opening or migrating the store. `file` is always the path the user can act on, and
 * `remedy` says what to do; callers print both rather than a stack trace.
 */
const PROBLEM_OF: Record<StoreErrorReason, ProblemKind> = {
  'data-dir-not-writable': 'data-dir-not-writable',
  'database-not-sqlite': 'database-unreadable',
  'database-not-prodsprint': 'database-unreadable',
  'database-read-only': 'database-unreadable',
  'database-newer-schema': 'database-newer-schema',
  'database-locked': 'database-locked',
  'migration-failed': 'internal',
};

export class StoreError extends EngineError {
  readonly reason: StoreErrorReason;
  readonly file: string;
  declare readonly remedy: string;

  constructor(
    reason: StoreErrorReason,
    file: string,
    message: string,
    remedy: string,
    cause?: unknown,
  ) {
    super(PROBLEM_OF[reason], message, remedy, { instance: file, cause });
    this.name = 'StoreError';
    this.reason = reason;
    this.file = file;
  }
}
