import { RunsError, type RunsErrorReason } from '../runs/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import { StoreError, type StoreErrorReason } from '../store/store-error.ts';
import { isOfflineInputMissing } from '../system/offline-input.ts';
import { makeProblem, ProblemError, type Problem, type ProblemKind } from '../contract/problem.ts';

const STORE_PROBLEMS: Record<StoreErrorReason, ProblemKind> = {
  'data-dir-not-writable': 'data-dir-not-writable',
  'database-not-sqlite': 'database-unreadable',
  'database-not-prodsprint': 'database-unreadable',
  'database-read-only': 'database-unreadable',
  'database-newer-schema': 'database-newer-schema',
  'database-locked': 'database-locked',
  'migration-failed': 'internal',
};

/**
 * Turns anything thrown below the API into a Problem, redacted: a secret inside an error
 * message must not reach the user's terminal or an HTTP response (invariant 6).
 */
const RUNS_PROBLEMS: Record<RunsErrorReason, ProblemKind> = {
  'capacity-exceeded': 'capacity-exceeded',
  'not-found': 'not-found',
  conflict: 'conflict',
  'invalid-input': 'validation-failed',
};

export function toProblem(error: unknown, redactor: Redactor): Problem {
  let problem: Problem;
  if (error instanceof ProblemError) {
    problem = error.problem;
  } else if (error instanceof StoreError) {
    problem = makeProblem(STORE_PROBLEMS[error.reason], {
      detail: error.message,
      remedy: error.remedy,
      instance: error.file,
    });
  } else if (isOfflineInputMissing(error)) {
    // Something the machine cannot have without the network: the same kind as a missing tool.
    problem = makeProblem('tool-missing', {
      detail: error.message,
      remedy: error.remedy,
    });
  } else if (error instanceof RunsError) {
    problem = makeProblem(RUNS_PROBLEMS[error.reason], {
      detail: error.message,
      ...(error.retryAfterSeconds !== undefined
        ? {
            retryAfter: error.retryAfterSeconds,
            remedy: `retry in ${Math.ceil(error.retryAfterSeconds)} s, when runs in flight have finished`,
          }
        : {}),
    });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    problem = makeProblem('internal', {
      detail: message,
      remedy: 'this is a bug in ProdSprint; run again with --verbose and report the output',
    });
  }
  return redactor.redactValue(problem);
}
