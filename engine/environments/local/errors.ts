/**
 * Errors of the local environment. A TargetError, so the release agent and the CLI show its
 * remediation the same way as any other target failure (ARCHITECTURE.md invariant 5).
 */
import { TargetError } from '../../targets/errors.ts';

export class LocalEnvironmentError extends TargetError {}
