/**
 * Gaps of one service: what a production release needs and this service does not show.
 * Workers (Celery, or no framework and no port) are not expected to serve a health route.
 */
import type { Evidence, Service } from '../fingerprint.ts';
import type { GapList } from '../gap-list.ts';

/** Variables every platform sets; not worth documenting per service. */
const PLATFORM_ENV = new Set([
  'NODE_ENV',
  'HOME',
  'PATH',
  'HOSTNAME',
  'CI',
  'TZ',
  'LANG',
  'PWD',
  'USER',
  'SHELL',
  'TERM',
]);

export interface ServiceGapInputs {
  manifestEvidence: Evidence;
  lockfileExpected: boolean;
  sourceEnv: Array<{ name: string; evidence: Evidence }>;
  documented: Set<string>;
  hasEnvTemplate: boolean;
}

export function reportServiceGaps(gaps: GapList, service: Service, inputs: ServiceGapInputs): void {
  const at = service.path;
  const where = [inputs.manifestEvidence];
  if (!service.dockerfile)
    gaps.add('no-dockerfile', at, `service ${service.name} has no Dockerfile`, where);
  const user = service.dockerfile?.value.user;
  if (
    service.dockerfile &&
    (user === null || user === undefined || /^(?:root|0)(?::|$)/.test(user))
  ) {
    gaps.add(
      'dockerfile-runs-as-root',
      at,
      `the image of ${service.name} runs as root`,
      service.dockerfile.evidence,
    );
  }
  const isWorker =
    service.framework?.value === 'celery' || (service.framework === null && service.port === null);
  if (!service.healthEndpoint && !isWorker) {
    gaps.add(
      'no-health-endpoint',
      at,
      `service ${service.name} has no health endpoint`,
      service.framework?.evidence ?? where,
    );
  }
  if (!service.tests) gaps.add('no-tests', at, `service ${service.name} has no tests`, where);
  if (!service.lockfile && inputs.lockfileExpected) {
    gaps.add(
      'no-lockfile',
      at,
      `service ${service.name} has no lockfile (${service.packageManager?.value ?? 'unknown'})`,
      where,
    );
  }
  if (service.orm && !service.migrations) {
    gaps.add(
      'orm-without-migrations',
      at,
      `service ${service.name} uses ${service.orm.value} but has no migrations`,
      service.orm.evidence,
    );
  }
  const undocumented = new Map<string, Evidence>();
  for (const item of inputs.sourceEnv) {
    if (
      !inputs.documented.has(item.name) &&
      !PLATFORM_ENV.has(item.name) &&
      !undocumented.has(item.name)
    )
      undocumented.set(item.name, item.evidence);
  }
  if (undocumented.size > 0) {
    const names = [...undocumented.keys()].sort();
    const template = inputs.hasEnvTemplate
      ? 'missing from .env.example'
      : 'and there is no .env.example';
    gaps.add(
      'undocumented-env-var',
      at,
      `${service.name} reads ${names.join(', ')} ${template}`,
      [...undocumented.values()].slice(0, 10),
    );
  }
}
