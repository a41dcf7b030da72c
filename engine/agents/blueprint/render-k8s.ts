/**
 * Kubernetes manifests per environment and a Helm chart per service (issue 7). With the canary
 * strategy the workload is an Argo Rollouts Rollout (1/5/25/100 with a Prometheus analysis);
 * with rolling it is a Deployment. Only Kubernetes targets get them.
 */
import type { BlueprintInputs } from '../../api/blueprints.contract.ts';
import type { RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

const KUBERNETES_TARGETS = new Set(['kubernetes', 'gke', 'eks']);

/** Whether the target deploys to Kubernetes (and so gets manifests and a Helm chart). */
export function isKubernetesTarget(target: string): boolean {
  return KUBERNETES_TARGETS.has(target);
}

/** Replica bounds per environment: staging keeps two for the PDB, prod has room for a surge. */
export const REPLICAS = { staging: { min: 2, max: 4 }, prod: { min: 3, max: 10 } } as const;

/** Sizes a JVM needs that an interpreter or a Go binary does not. */
function sizing(toolchain: unknown): TemplateScope {
  const jvm = toolchain === 'java' || toolchain === 'java-gradle';
  return jvm
    ? { memoryRequest: '512Mi', memoryLimit: '1Gi', livenessDelay: 60 }
    : { memoryRequest: '128Mi', memoryLimit: '512Mi', livenessDelay: 10 };
}

/** A service scope plus workload sizing, canary thresholds and the image slot. */
export function workloadScope(service: TemplateScope): TemplateScope {
  const p95Ms = Number(service.p95Ms);
  const errorRate = Number(service.errorRate);
  return {
    ...service,
    ...sizing(service.toolchain),
    successRate: Number((1 - errorRate).toFixed(6)),
    p95Seconds: Number((p95Ms / 1000).toFixed(3)),
    workloadKind: service.canary ? 'Rollout' : 'Deployment',
    workloadApiVersion: service.canary ? 'argoproj.io/v1alpha1' : 'apps/v1',
    // The release stage swaps this for the signed digest; the tag only names the slot.
    image: `${String(service.registry)}/${String(service.slug)}:release`,
  };
}

function manifestNames(canary: boolean): string[] {
  const common = ['serviceaccount', 'service', 'ingress', 'hpa', 'pdb', 'networkpolicy'];
  return canary
    ? ['rollout', 'service-canary', 'analysis-template', ...common].sort()
    : ['deployment', ...common].sort();
}

/** Manifests per environment and a Helm chart per service, for Kubernetes targets only. */
export function renderKubernetes(
  store: TemplateStore,
  inputs: BlueprintInputs,
  environments: Array<'staging' | 'prod'>,
  services: TemplateScope[],
): RenderedArtifact[] {
  if (!isKubernetesTarget(inputs.target)) return [];
  const artifacts: RenderedArtifact[] = [];
  for (const service of services) {
    const slug = String(service.slug);
    const workload = workloadScope(service);
    for (const env of environments) {
      const scope: TemplateScope = {
        ...workload,
        env,
        namespace: env,
        envHost: env === 'staging' ? workload.stagingHost : workload.host,
        replicasMin: REPLICAS[env].min,
        replicasMax: REPLICAS[env].max,
      };
      for (const name of manifestNames(inputs.strategy === 'canary')) {
        artifacts.push({
          path: `deploy/k8s/${env}/${slug}/${name}.yaml`,
          content: store.render(`k8s/${name}.yaml`, scope),
        });
      }
      artifacts.push({
        path: `deploy/helm/${slug}/values-${env}.yaml`,
        content: store.render('helm/values-env.yaml', scope),
      });
    }
    artifacts.push(
      {
        path: `deploy/helm/${slug}/Chart.yaml`,
        content: store.render('helm/Chart.yaml', workload),
      },
      {
        path: `deploy/helm/${slug}/values.yaml`,
        content: store.render('helm/values.yaml', workload),
      },
    );
    for (const file of store.list('helm/chart/templates')) {
      artifacts.push({
        path: `deploy/helm/${slug}/templates/${file.slice('helm/chart/templates/'.length)}`,
        content: store.text(file),
      });
    }
  }
  return artifacts;
}
