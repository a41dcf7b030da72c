import type { Redactor } from '../secrets/redact.ts';
import { EngineError, makeProblem, ProblemError, type Problem } from '../contract/problem.ts';

/**
 * Turns anything thrown below the API into a Problem, redacted: a secret inside an error
 * message must not reach the user's terminal or an HTTP response (invariant 6). Engine errors
 * say their own kind and remedy (EngineError), so there is one mapping for all of them;
 * anything else is a bug.
 */
export function toProblem(error: unknown, redactor: Redactor): Problem {
  let problem: Problem;
  if (error instanceof ProblemError) {
    problem = error.problem;
  } else if (error instanceof EngineError) {
    problem = error.toProblem();
  } else {
    const message = error instanceof Error ? error.message : String(error);
    problem = makeProblem('internal', {
      detail: message,
      remedy: 'this is a bug in ProdSprint; run again with --verbose and report the output',
    });
  }
  return redactor.redactValue(problem);
}
