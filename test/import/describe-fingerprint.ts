/**
 * Renders a fingerprint in a compact, reviewable form for field-by-field assertions: every
 * claim as `value @ file:line[,file:line…]`, so a wrong value and wrong evidence both fail.
 */
import type { Fingerprint } from '../../engine/agents/repo-auditor/fingerprint.ts';

interface ClaimLike {
  value: unknown;
  evidence: Array<{ file: string; line: number }>;
}

export function formatClaim(claim: ClaimLike | null): string {
  if (claim === null) return 'null';
  return `${JSON.stringify(claim.value)} @ ${claim.evidence.map((item) => `${item.file}:${item.line}`).join(',')}`;
}

export type ServiceView = Record<string, string | string[]>;

export interface FingerprintView {
  services: Record<string, ServiceView>;
  monorepoTool: string;
  ciConfigs: string[];
  composeFiles: string[];
  k8sManifests: string[];
  helmCharts: string[];
  gaps: string[];
  /** Compared only when the expectation lists them (fixtures made before issue 15 do not). */
  processes?: string[];
}

export function describeFingerprint(fingerprint: Fingerprint): FingerprintView {
  const services: Record<string, ServiceView> = {};
  for (const service of fingerprint.services) {
    const view: ServiceView = { name: service.name };
    for (const [field, value] of Object.entries(service)) {
      if (field === 'name' || field === 'path') continue;
      view[field] = Array.isArray(value)
        ? value.map((item: ClaimLike) => formatClaim(item))
        : formatClaim(value as ClaimLike | null);
    }
    services[service.path] = view;
  }
  return {
    services,
    monorepoTool: formatClaim(fingerprint.monorepoTool),
    ciConfigs: fingerprint.ciConfigs.map((ci) => `${ci.system} ${ci.path}`),
    composeFiles: fingerprint.composeFiles.flatMap((file) =>
      file.services.map(
        (s) =>
          `${file.path} ${s.name} image=${s.image ?? '-'} build=${s.build ?? '-'} ports=${s.ports.join('/')} @ ${s.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`,
      ),
    ),
    k8sManifests: fingerprint.k8sManifests.flatMap((manifest) =>
      manifest.resources.map(
        (r) => `${r.kind}/${r.name} @ ${r.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`,
      ),
    ),
    helmCharts: fingerprint.helmCharts.map(
      (chart) =>
        `${chart.path} ${chart.name} ${chart.version ?? '-'} ${chart.appVersion ?? '-'} @ ${chart.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`,
    ),
    processes: (fingerprint.processes ?? []).map(
      (p) =>
        `${p.name} ${p.role} service=${p.service ?? '-'} ${p.confidence} port=${p.port ?? '-'} image=${p.image ?? '-'} command=${p.command ?? '-'} @ ${p.evidence.map((e) => `${e.file}:${e.line}`).join(',')} :: ${p.reason}`,
    ),
    gaps: fingerprint.gaps.map(
      (gap) =>
        `${gap.id} ${gap.service ?? '-'} @ ${gap.evidence.map((e) => `${e.file}:${e.line}`).join(',') || '-'}`,
    ),
  };
}
