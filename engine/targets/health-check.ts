/**
 * How a deployed version is judged alive (issue 14). A route the auditor found (`/healthz`,
 * `/actuator/health`, a compose or Kubernetes probe) is checked over HTTP and must answer 2xx.
 * Most real services have no such route; a release must not stop for that. They get the weaker
 * check: the router only needs the port to accept connections (TCP), and smoke tests, load and
 * synthetic users ask `/`, where any answer below 500 means the service is up (a 404 from an API
 * with no root route is an answer; a 502 from a crashed app is not). The weaker check is recorded
 * as a readiness warning whose remedy is the health route the plan proposes.
 */

export type HealthCheck =
  /** An HTTP route that answers 2xx when the service is healthy. */
  | { kind: 'http'; path: string }
  /** No health route: TCP readiness; requests go to `path` (`/`) and any status below 500 passes. */
  | { kind: 'tcp'; path: string };

/** The path smoke tests, load and synthetic traffic ask. */
export function probePath(check: HealthCheck): string {
  return check.path;
}

/** Whether an HTTP status means "up" under this check. */
export function isHealthyStatus(check: HealthCheck, status: number): boolean {
  return check.kind === 'http' ? status >= 200 && status < 300 : status >= 100 && status < 500;
}

/** The first status that counts as a failure for load and smoke figures (exclusive bound). */
export function failingStatusFrom(check: HealthCheck): number {
  return check.kind === 'http' ? 300 : 500;
}

/** One line for summaries and progress: `HTTP GET /healthz → 2xx` or `TCP, GET / → < 500`. */
export function describeHealthCheck(check: HealthCheck): string {
  return check.kind === 'http'
    ? `HTTP GET ${check.path} → 2xx`
    : `TCP readiness; GET ${check.path} → any status below 500`;
}

/** The fallback for a service whose health route the auditor could not find. */
export const TCP_FALLBACK: HealthCheck = { kind: 'tcp', path: '/' };
