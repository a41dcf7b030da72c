/**
 * Validates the wizard's choices against the contract. Errors are the engine's validation
 * Problem with fields rooted at `input.inputs`, the path the blueprints.generate operation uses,
 * so the wizard can put each message next to its field.
 */
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { fieldErrorsOf, ProblemError, type FieldError } from '../../contract/problem.ts';

export const INPUTS_ROOT = 'input.inputs';

/** The validation Problem for field errors already rooted at `input.inputs`. */
export function invalidInputs(errors: FieldError[]): ProblemError {
  return ProblemError.of('validation-failed', {
    detail: `blueprint inputs: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    errors,
    remedy: 'fix the fields named above',
  });
}

/**
 * Parsed inputs with defaults applied and lists put in canonical order (sets sorted, staging
 * before prod), or a validation-failed ProblemError. Canonical order is what lets the plan hash
 * cover the inputs without depending on the order the user clicked them in.
 */
export function parseBlueprintInputs(raw: unknown): BlueprintInputs {
  const parsed = BlueprintInputs.safeParse(raw);
  if (!parsed.success) throw invalidInputs(fieldErrorsOf(parsed.error, INPUTS_ROOT));
  const inputs = parsed.data;
  return {
    ...inputs,
    environments: orderedEnvironments(inputs),
    approvals: [...new Set(inputs.approvals)].sort(),
    policies: { ...inputs.policies, packs: [...new Set(inputs.policies.packs)].sort() },
  };
}

/** Staging before prod, each once, whatever order the user listed them in. */
export function orderedEnvironments(inputs: BlueprintInputs): Array<'staging' | 'prod'> {
  return (['staging', 'prod'] as const).filter((env) => inputs.environments.includes(env));
}
