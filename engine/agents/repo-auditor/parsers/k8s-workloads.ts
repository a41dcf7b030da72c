/**
 * Workloads of Kubernetes manifests for the topology model: what runs (each container's image,
 * command + args and container ports), and how — long-running (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Argo Rollout, OpenShift DeploymentConfig, Pod), once (Job) or on a
 * schedule (CronJob) — plus a Helm or Argo CD hook annotation, which makes a Job a pre/post
 * deploy step. Init containers are not processes of their own (they gate the main ones).
 * https://kubernetes.io/docs/concepts/workloads/
 * https://helm.sh/docs/topics/charts_hooks/
 */
import { ev } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import { isRecord } from './compose.ts';
import type { YamlDoc } from './yaml-safe.ts';

export interface WorkloadContainer {
  name: string;
  image: string | null;
  /** `command` + `args` joined with spaces; null when neither is set (the image's own). */
  command: string | null;
  ports: number[];
  evidence: Evidence;
}

export interface K8sWorkload {
  kind: string;
  /** metadata.name ('' when missing). */
  name: string;
  /** `helm.sh/hook` or `argocd.argoproj.io/hook` annotation value, if any. */
  hook: string | null;
  containers: WorkloadContainer[];
  evidence: Evidence;
}

const POD_SPEC_AT: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Rollout: ['spec', 'template', 'spec'],
  DeploymentConfig: ['spec', 'template', 'spec'],
  Pod: ['spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const HOOK_ANNOTATIONS = ['helm.sh/hook', 'argocd.argoproj.io/hook'];

/** Workload kinds whose pods keep running (a Job or CronJob pod exits). */
export function isLongRunningKind(kind: string): boolean {
  return kind in POD_SPEC_AT && kind !== 'Job' && kind !== 'CronJob';
}

/**
 * The pod spec of a workload object and the key path to it (for evidence lines), or undefined
 * when the object is not a workload kind.
 */
export function podSpecOf(
  value: Record<string, unknown> & { kind: string },
): { at: string[]; spec: unknown } | undefined {
  const at = POD_SPEC_AT[value.kind];
  if (!at) return undefined;
  let spec: unknown = value;
  for (const key of at) spec = isRecord(spec) ? spec[key] : undefined;
  return { at, spec };
}

/** The workload a YAML document declares, or undefined when it is not one. */
export function workloadOf(path: string, doc: YamlDoc): K8sWorkload | undefined {
  const value = doc.value;
  if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
  const pod = podSpecOf(value as Record<string, unknown> & { kind: string });
  if (!pod) return undefined;
  const { at, spec } = pod;
  const list = isRecord(spec) ? spec.containers : undefined;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const hook = HOOK_ANNOTATIONS.map((key) => annotations[key]).find(
    (item) => typeof item === 'string',
  );
  const containers: WorkloadContainer[] = [];
  (Array.isArray(list) ? list : []).forEach((container: unknown, index) => {
    if (!isRecord(container)) return;
    const words = [container.command, container.args].flatMap((part) =>
      Array.isArray(part) ? part.map(String) : typeof part === 'string' ? [part] : [],
    );
    containers.push({
      name: typeof container.name === 'string' ? container.name : '',
      image: typeof container.image === 'string' ? container.image : null,
      command: words.length > 0 ? words.join(' ').replace(/\s+/g, ' ').trim() : null,
      ports: (Array.isArray(container.ports) ? container.ports : [])
        .map((port: unknown) => (isRecord(port) ? Number(port.containerPort) : Number.NaN))
        .filter((port) => Number.isInteger(port) && port > 0 && port < 65536),
      evidence: ev(path, doc.keyLine([...at, 'containers', index])),
    });
  });
  return {
    kind: value.kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    hook: typeof hook === 'string' ? hook : null,
    containers,
    evidence: ev(path, doc.keyLine(['kind'])),
  };
}
