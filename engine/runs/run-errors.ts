import { EngineError, type ProblemKind } from '../contract/problem.ts';

/** Why a request to the run engine was refused. Each reason maps to one Problem type. */
export type RunsErrorReason = 'capacity-exceeded' | 'not-found' | 'conflict' | 'invalid-input';

const PROBLEM_OF: Record<RunsErrorReason, ProblemKind> = {
  'capacity-exceeded': 'capacity-exceeded',
  'not-found': 'not-found',
  conflict: 'conflict',
  'invalid-input': 'validation-failed',
};

/**
 * A refused request (not a failed stage: those are recorded on the run). `retryAfterSeconds`
 * is set for `capacity-exceeded`, which the API turns into a 429 Problem with Retry-After.
 */
export class RunsError extends EngineError {
  readonly reason: RunsErrorReason;
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: RunsErrorReason, message: string, retryAfterSeconds?: number) {
    super(
      PROBLEM_OF[reason],
      message,
      retryAfterSeconds === undefined
        ? undefined
        : `retry in ${Math.ceil(retryAfterSeconds)} s, when runs in flight have finished`,
    );
    this.name = 'RunsError';
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  override toProblem() {
    const problem = super.toProblem();
    return this.retryAfterSeconds === undefined
      ? problem
      : { ...problem, retryAfter: this.retryAfterSeconds };
  }
}

/** The queue is full: the submission was not stored, so the caller must retry (never silent loss). */
export class RunCapacityError extends RunsError {
  readonly inFlight: number;
  readonly capacity: number;
  /** Finer than the Retry-After header's seconds, for in-process callers. */
  readonly retryAfterMs: number;

  constructor(inFlight: number, capacity: number, retryAfterMs: number) {
    super(
      'capacity-exceeded',
      `${inFlight} runs are queued or running (capacity ${capacity}); the run was not accepted, submit it again later`,
      Math.max(1, Math.ceil(retryAfterMs / 1000)),
    );
    this.name = 'RunCapacityError';
    this.inFlight = inFlight;
    this.capacity = capacity;
    this.retryAfterMs = retryAfterMs;
  }
}
