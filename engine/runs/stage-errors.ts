/**
 * How a stage says why it failed. The engine retries what is retryable, stops at what is fatal,
 * and parks the run as `blocked` when a gate refuses (fail closed, invariant 5).
 */

/** A failure that will not go away by trying again (bad input, a refused plan). */
export class FatalStageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FatalStageError';
  }
}

/** A failure worth retrying (registry timeout, lock held), whatever the retry policy's classifier says. */
export class RetryableStageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RetryableStageError';
  }
}

/** Separates a blocked stage's reason from its remedy in the persisted reason. */
export const REMEDY_MARKER = 'Remedy: ';

/** The persisted reason of a blocked stage, split back into what happened and what to do. */
export function splitRemedy(persisted: string | null): { reason: string; remedy: string | null } {
  const text = persisted ?? '';
  const at = text.indexOf(` ${REMEDY_MARKER}`);
  return at < 0
    ? { reason: text, remedy: null }
    : { reason: text.slice(0, at), remedy: text.slice(at + REMEDY_MARKER.length + 1) };
}

/** A gate or precondition refused; the run stops as `blocked(stage, reason)` until a person acts. */
export class BlockedStageError extends Error {
  readonly remedy: string | undefined;

  constructor(reason: string, remedy?: string) {
    super(reason);
    this.name = 'BlockedStageError';
    this.remedy = remedy;
  }
}

/** Thrown into a stage (through its AbortSignal) when its run is cancelled or the engine stops. */
export class StageAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageAbortedError';
  }
}

export type FailureClass = 'retryable' | 'fatal' | 'blocked' | 'aborted';

/**
 * Explicit error classes win; anything else asks the policy's classifier, and without one is
 * treated as retryable: an unknown failure is more often a flaky dependency than a bad plan,
 * and the attempt budget bounds the cost of guessing wrong.
 */
export function classifyFailure(
  error: unknown,
  classifier?: (error: unknown) => 'retryable' | 'fatal',
): FailureClass {
  if (error instanceof StageAbortedError) return 'aborted';
  if (error instanceof BlockedStageError) return 'blocked';
  if (error instanceof FatalStageError) return 'fatal';
  if (error instanceof RetryableStageError) return 'retryable';
  return classifier ? classifier(error) : 'retryable';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
