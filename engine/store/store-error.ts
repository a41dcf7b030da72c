/** Why the store could not be used. Each reason maps to one Problem type in engine/api. */
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
export class StoreError extends Error {
  readonly reason: StoreErrorReason;
  readonly file: string;
  readonly remedy: string;

  constructor(
    reason: StoreErrorReason,
    file: string,
    message: string,
    remedy: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
    this.reason = reason;
    this.file = file;
    this.remedy = remedy;
  }
}
