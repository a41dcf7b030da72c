/**
 * Errors of the target layer. Each carries a remediation, because the release agent shows them
 * to a human and fails closed on them (ARCHITECTURE.md invariant 5).
 */
export class TargetError extends Error {
  readonly remediation: string | undefined;

  constructor(message: string, remediation?: string) {
    super(message);
    this.name = new.target.name;
    this.remediation = remediation;
  }
}

/** The traffic router (HAProxy) refused, could not be reached, or did not apply a change. */
export class RouterError extends TargetError {}

/** The container engine could not do what a target operation needed. */
export class ContainerEngineError extends TargetError {}

/** The same version was deployed again with a different image or environment. */
export class VersionConflictError extends TargetError {}

/** Health could not be measured: the metrics backend is down or has no data. Never "healthy". */
export class HealthUnavailableError extends TargetError {}
