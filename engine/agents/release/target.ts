/** The target of one release: fixed, or chosen per project and environment by the caller. */
import type { Target } from '../../targets/target.ts';
import type { ReleaseScope, ReleaseTargetOption } from './options.ts';

/** Resolved once per stage body, so a stage talks to one target throughout. */
export async function resolveTarget(
  option: ReleaseTargetOption,
  scope: ReleaseScope,
): Promise<Target> {
  return typeof option === 'function' ? option(scope) : option;
}
