/**
 * `--answer <question id>=<value>` (repeatable) on `plan` and `sprint`: answers to the plan's
 * questions (BlueprintInputs.answers), over those an --inputs file already gives.
 */
import { ProblemError } from '../engine/api/index.ts';

export function parseAnswers(
  pairs: string[] | undefined,
  base: Record<string, string> = {},
): Record<string, string> {
  const answers = { ...base };
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals < 1) {
      throw ProblemError.of('validation-failed', {
        detail: `--answer ${pair}: expected <question id>=<value>, e.g. api.port=8080`,
        errors: [
          {
            field: 'input.inputs.answers',
            message: `expected <question id>=<value>, e.g. api.port=8080, not ${JSON.stringify(pair)}`,
          },
        ],
        remedy: 'the plan lists its questions and their ids under "Questions"',
      });
    }
    answers[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return answers;
}

/** Commander's collector for a repeatable --answer. */
export const collectAnswer = (value: string, all: string[] = []) => [...all, value];
