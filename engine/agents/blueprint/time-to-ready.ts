/**
 * Estimated time to ready (issue 7): minutes from approval to a promoted release, summed from
 * the work this plan implies. Figures are planning heuristics, listed with their reasons so a
 * reviewer can see where the time goes.
 */
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { Fingerprint } from '../repo-auditor/fingerprint.ts';
import type { ServiceView } from './service-view.ts';
import type { TimeToReady } from './plan-model.ts';

const CLUSTER_TARGETS = new Set(['eks', 'gke']);

/** Minutes to a promoted release, with one reason per contributing item. */
export function estimateTimeToReady(
  inputs: BlueprintInputs,
  fingerprint: Fingerprint,
  views: ServiceView[],
): TimeToReady {
  const items: Array<[number, string]> = [
    [30, 'pipeline run: build, tests, scans, SBOM, perf smoke'],
  ];
  if (views.length > 0)
    items.push([15 * views.length, `${views.length} service(s) through staging and smoke`]);
  const dockerfiles = views.filter((v) => !v.hasDockerfile && v.toolchain).length;
  if (dockerfiles > 0)
    items.push([10 * dockerfiles, `${dockerfiles} generated Dockerfile(s) to review`]);
  if (CLUSTER_TARGETS.has(inputs.target)) items.push([20, `${inputs.target} cluster creation`]);
  if (inputs.db) items.push([20, 'postgres provisioning']);
  if (inputs.cache) items.push([10, 'redis provisioning']);
  if (inputs.dnsDomain) items.push([30, 'DNS propagation and certificate issuance']);
  if (inputs.cdnWaf) items.push([20, 'CDN/WAF propagation']);
  if (inputs.environments.includes('prod') && inputs.strategy === 'canary') {
    items.push([35, 'canary 1% → 5% → 25% → 100% with analysis pauses']);
  }
  if (inputs.approvals.length > 0)
    items.push([60, `approvals from ${inputs.approvals.length} approver(s)`]);
  const high = fingerprint.gaps.filter((g) => g.severity === 'high').length;
  if (high > 0) items.push([30 * high, `${high} high-severity gap(s) from the audit to fix`]);
  return {
    minutes: items.reduce((sum, [minutes]) => sum + minutes, 0),
    reasons: items.map(([minutes, reason]) => `${minutes} min: ${reason}`),
  };
}
