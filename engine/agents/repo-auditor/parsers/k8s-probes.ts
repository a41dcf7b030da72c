/**
 * HTTP probes of the containers of long-running Kubernetes workloads (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Argo Rollout, OpenShift DeploymentConfig, Pod), and the same probes
 * in Helm chart templates when they are written literally. Only `httpGet.path` is an HTTP
 * path: gRPC, TCP and exec probes say nothing about a route. Helm templates are Go templates,
 * not YAML, so they are read line by line: a probe whose path is a `{{ … }}` is not used.
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import { ev } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import { isRecord } from './compose.ts';
import { isLongRunningKind, podSpecOf } from './k8s-workloads.ts';
import type { YamlDoc } from './yaml-safe.ts';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

export interface HttpProbe {
  kind: ProbeKind;
  path: string;
  evidence: Evidence;
}

export interface K8sContainer {
  /** The workload's metadata.name. */
  workload: string;
  name: string;
  image: string | null;
  probes: HttpProbe[];
}

const PROBES: Array<[string, ProbeKind]> = [
  ['readinessProbe', 'readiness'],
  ['livenessProbe', 'liveness'],
  ['startupProbe', 'startup'],
];

/** Containers (with their HTTP probes) of the workload in one YAML document. */
export function containersOf(path: string, doc: YamlDoc): K8sContainer[] {
  const value = doc.value;
  if (!isRecord(value) || typeof value.kind !== 'string') return [];
  // Probes say a serving pod is healthy; a Job's or CronJob's pod exits instead.
  if (!isLongRunningKind(value.kind)) return [];
  const { at, spec } = podSpecOf(value as Record<string, unknown> & { kind: string })!;
  const containers = isRecord(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers)) return [];
  const workload =
    isRecord(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : '';
  const out: K8sContainer[] = [];
  containers.forEach((container: unknown, index) => {
    if (!isRecord(container)) return;
    const probes: HttpProbe[] = [];
    for (const [key, kind] of PROBES) {
      const probe = container[key];
      const http = isRecord(probe) ? probe.httpGet : undefined;
      const route = isRecord(http) ? http.path : undefined;
      if (typeof route !== 'string' || !route.startsWith('/')) continue;
      const line = doc.keyLine([...at, 'containers', index, key, 'httpGet', 'path']);
      probes.push({ kind, path: route, evidence: ev(path, line) });
    }
    out.push({
      workload,
      name: typeof container.name === 'string' ? container.name : '',
      image: typeof container.image === 'string' ? container.image : null,
      probes,
    });
  });
  return out;
}

/** Literal HTTP probe paths in a Helm template, and the literal images it names. */
export function helmTemplateProbes(
  path: string,
  text: string,
): { probes: HttpProbe[]; images: string[] } {
  const probes: HttpProbe[] = [];
  const images: string[] = [];
  let kind: ProbeKind | undefined;
  /** Indentation of the current probe and `httpGet:` lines; -1 outside one. */
  let probeIndent = -1;
  let httpGetIndent = -1;
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) return;
    const indent = line.length - line.trimStart().length;
    if (httpGetIndent >= 0 && indent <= httpGetIndent) httpGetIndent = -1;
    if (probeIndent >= 0 && indent <= probeIndent) {
      probeIndent = -1;
      kind = undefined;
    }
    const probe = /^(readiness|liveness|startup)Probe\s*:/.exec(trimmed);
    if (probe) {
      kind = probe[1] as ProbeKind;
      probeIndent = indent;
    } else if (/^httpGet\s*:/.test(trimmed) && kind) httpGetIndent = indent;
    const route = /^path\s*:\s*["']?(\/[^"'\s{}]*)["']?\s*$/.exec(trimmed);
    if (route && httpGetIndent >= 0 && kind) {
      probes.push({ kind, path: route[1] ?? '', evidence: ev(path, index + 1) });
      httpGetIndent = -1;
    }
    const image = /^-?\s*image\s*:\s*["']?([^"'\s{}]+)["']?\s*$/.exec(trimmed);
    if (image?.[1]) images.push(image[1]);
  });
  return { probes, images };
}

/** The name part of an image reference: `ghcr.io/acme/api:1.2@sha256:…` → `api`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon < 0 ? last : last.slice(0, colon)).toLowerCase();
}
