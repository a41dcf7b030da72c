import { readFileSync } from 'node:fs';
import { ProblemError } from '../engine/contract/problem.ts';

/**
 * A JSON document a flag names (`--inputs plan.json`), or a validation Problem naming the flag
 * and the contract field it feeds, so a bad file reads like any other bad argument.
 */
export function readJsonFile(
  path: string,
  flag: string,
  field: string,
  remedy?: string,
): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw ProblemError.of('validation-failed', {
      detail: `${flag} ${path} is not a readable JSON file: ${(error as Error).message}`,
      errors: [{ field, message: 'not a readable JSON file' }],
      ...(remedy ? { remedy } : {}),
    });
  }
}
