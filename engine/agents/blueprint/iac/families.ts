/**
 * Which provider family builds each deploy target's infrastructure, and the platform flags the
 * runbook templates branch on (issue 15: an ECS runbook must not tell the operator to run
 * `kubectl argo rollouts`).
 */
export type Family = 'aws' | 'google' | 'self-hosted' | 'paas';

export const FAMILIES: Record<string, Family> = {
  ecs: 'aws',
  eks: 'aws',
  gke: 'google',
  cloudrun: 'google',
  kubernetes: 'self-hosted',
  docker: 'self-hosted',
  render: 'paas',
  vercel: 'paas',
};

/** Targets whose workloads are Kubernetes objects (Deployments or Argo Rollouts). */
const ON_KUBERNETES = new Set(['kubernetes', 'gke', 'eks']);

/** Booleans for `[[#if …]]` in target-specific templates (runbooks). */
export function platformFlags(target: string): Record<string, boolean> {
  return {
    onKubernetes: ON_KUBERNETES.has(target),
    onEcs: target === 'ecs',
    onDocker: target === 'docker',
    onCloudRun: target === 'cloudrun',
    onPaas: FAMILIES[target] === 'paas',
    onSelfHosted: FAMILIES[target] === 'self-hosted',
    onAws: FAMILIES[target] === 'aws',
    onGoogle: FAMILIES[target] === 'google',
  };
}
