/**
 * Kubernetes manifests and Helm charts. A YAML file is a manifest when one of its documents has
 * string `apiVersion` and `kind`; Helm templates are Go templates, not YAML, so they are listed
 * with their chart and never parsed. Chart.yaml gives the chart's name and versions.
 */
import { ev } from '../evidence.ts';
import type { HelmChart, K8sManifest } from '../fingerprint.ts';
import { isRecord } from './compose.ts';
import { containersOf } from './k8s-probes.ts';
import type { K8sContainer } from './k8s-probes.ts';
import { workloadOf } from './k8s-workloads.ts';
import type { K8sWorkload } from './k8s-workloads.ts';
import { parseYaml } from './yaml-safe.ts';

export type ManifestParse =
  | {
      ok: true;
      manifest: K8sManifest | null;
      containers: K8sContainer[];
      workloads: K8sWorkload[];
    }
  | { ok: false; error: string; line: number };

/** Cheap pre-check so the YAML parser only runs on files that can be manifests. */
export function mightBeManifest(text: string): boolean {
  return text.includes('apiVersion') && text.includes('kind');
}

export function parseK8sManifest(path: string, text: string): ManifestParse {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const resources: K8sManifest['resources'] = [];
  const containers: K8sContainer[] = [];
  const workloads: K8sWorkload[] = [];
  for (const doc of parsed.docs) {
    const value = doc.value;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string')
      continue;
    const name =
      isRecord(value.metadata) && typeof value.metadata.name === 'string'
        ? value.metadata.name
        : '';
    resources.push({ kind: value.kind, name, evidence: [ev(path, doc.keyLine(['kind']))] });
    containers.push(...containersOf(path, doc));
    const workload = workloadOf(path, doc);
    if (workload) workloads.push(workload);
  }
  return {
    ok: true,
    manifest: resources.length > 0 ? { path, resources } : null,
    containers,
    workloads,
  };
}

export type ChartParse =
  { ok: true; chart: HelmChart } | { ok: false; error: string; line: number };

export function parseHelmChart(chartYamlPath: string, chartDir: string, text: string): ChartParse {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const doc = parsed.docs[0];
  const value = doc?.value;
  if (!doc || !isRecord(value) || typeof value.name !== 'string') {
    return { ok: false, error: 'Chart.yaml has no name', line: 1 };
  }
  return {
    ok: true,
    chart: {
      path: chartDir,
      name: value.name,
      version: value.version === undefined ? null : String(value.version),
      appVersion: value.appVersion === undefined ? null : String(value.appVersion),
      evidence: [ev(chartYamlPath, doc.keyLine(['name']))],
    },
  };
}
