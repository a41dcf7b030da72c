/**
 * Kubernetes manifests per environment and a Helm chart per service (issue 7). With the canary
 * strategy the workload is an Argo Rollouts Rollout (1/5/25/100 with a Prometheus analysis);
 * with rolling it is a Deployment. Only Kubernetes targets get them. A service's workers and
 * schedulers (issue 15) are Deployments of its image with their own command and no Service,
 * Ingress or probe; its one-shot jobs are Jobs under `jobs/`, run before a deploy.
 */
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';
import type { CompanionProcess } from './topology.ts';

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

function companionsOf(service: TemplateScope): CompanionProcess[] {
  return (service.companions ?? []) as unknown as CompanionProcess[];
}

/** A service scope plus workload sizing, canary thresholds and the image slot. */
export function workloadScope(service: TemplateScope): TemplateScope {
  const p95Ms = Number(service.p95Ms);
  const errorRate = Number(service.errorRate);
  // A canary shifts traffic; a process that serves none rolls instead.
  const canary = Boolean(service.canary) && service.serves !== false;
  return {
    ...service,
    ...sizing(service.toolchain),
    podName: service.slug,
    serves: service.serves !== false,
    strategy: canary ? service.strategy : 'rolling',
    hasCompanions: companionsOf(service).length > 0,
    companions: companionsOf(service).map((c) => ({
      ...c,
      commandJson: JSON.stringify(c.command),
    })),
    hasCommand: false,
    restartNever: false,
    successRate: Number((1 - errorRate).toFixed(6)),
    p95Seconds: Number((p95Ms / 1000).toFixed(3)),
    workloadKind: canary ? 'Rollout' : 'Deployment',
    workloadApiVersion: canary ? 'argoproj.io/v1alpha1' : 'apps/v1',
    // The release stage swaps this for the signed digest; the tag only names the slot.
    image: `${String(service.registry)}/${String(service.slug)}:release`,
  };
}

/** The manifests of one workload; the analysis template only where metrics can judge a step. */
function manifestNames(canary: boolean, serves: boolean, analysed: boolean): string[] {
  if (!serves) return ['deployment', 'serviceaccount', 'hpa', 'pdb', 'networkpolicy'].sort();
  const common = ['serviceaccount', 'service', 'ingress', 'hpa', 'pdb', 'networkpolicy'];
  return canary
    ? ['rollout', 'service-canary', ...(analysed ? ['analysis-template'] : []), ...common].sort()
    : ['deployment', ...common].sort();
}

/** One worker, scheduler or job in one environment: its pod runs the service's image. */
function processScope(scope: TemplateScope, process: CompanionProcess): TemplateScope {
  return {
    ...scope,
    podName: process.slug,
    serves: false,
    hasCommand: true,
    commandJson: JSON.stringify(process.command),
    restartNever: process.role === 'job',
    processName: process.name,
    processRole: process.role,
    processEvidence: process.evidence,
    processFile: `${process.slug}.yaml`,
    singleton: process.role === 'scheduler',
    processReplicas: process.role === 'scheduler' ? 1 : scope.replicasMin,
  };
}

/** The manifests of a service's workers, schedulers and jobs in one environment. */
function processManifests(
  store: TemplateStore,
  scope: TemplateScope,
  processes: CompanionProcess[],
): RenderedArtifact[] {
  const dir = `deploy/k8s/${String(scope.env)}/${String(scope.slug)}`;
  return processes.flatMap((process) => {
    const own = processScope(scope, process);
    const workload =
      process.role === 'job'
        ? { path: `${dir}/jobs/${process.slug}.yaml`, template: 'k8s/process-job.yaml' }
        : {
            path: `${dir}/${process.slug}-deployment.yaml`,
            template: 'k8s/process-deployment.yaml',
          };
    return [
      { path: workload.path, content: store.render(workload.template, own) },
      {
        // A job's policy is applied with it, before the deploy: it is in jobs/ too.
        path: `${dir}/${process.role === 'job' ? 'jobs/' : ''}${process.slug}-networkpolicy.yaml`,
        content: store.render('k8s/networkpolicy.yaml', own),
      },
    ];
  });
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
      const analysed = (workload.metrics as { detected?: boolean } | undefined)?.detected === true;
      for (const name of manifestNames(
        inputs.strategy === 'canary',
        workload.serves === true,
        analysed,
      )) {
        artifacts.push({
          path: `deploy/k8s/${env}/${slug}/${name}.yaml`,
          content: store.render(`k8s/${name}.yaml`, scope),
        });
      }
      artifacts.push(...processManifests(store, scope, companionsOf(service)));
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
