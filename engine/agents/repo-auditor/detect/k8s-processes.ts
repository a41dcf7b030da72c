/**
 * Process descriptions from Kubernetes manifests and the repository's own Helm charts: one per
 * container of each workload. A CronJob is a scheduler and a Job a one-shot job (a Helm or
 * Argo CD hook makes it a pre/post-deploy step); a long-running workload is what its command
 * says, else what the image of its service runs, else a web server when it declares a
 * container port. A container belongs to the service whose name its image, container or
 * workload carries (the image first); a vendor image (postgres, redis) to none. Manifests under
 * vendored folders and Helm subcharts describe someone else's software and are skipped.
 */
import { dirOf } from '../evidence.ts';
import type { HelmChart } from '../fingerprint.ts';
import { helmTemplateWorkloads } from '../parsers/helm-workloads.ts';
import type { K8sWorkload, WorkloadContainer } from '../parsers/k8s-workloads.ts';
import { isLongRunningKind } from '../parsers/k8s-workloads.ts';
import { parseYaml } from '../parsers/yaml-safe.ts';
import type { RepoView } from '../repo-view.ts';
import { resolveSteps } from './command-resolve.ts';
import { clip } from './compose-roles.ts';
import { VENDORED } from './infra.ts';
import type { Candidate, Origin } from './process-candidate.ts';
import { defaultRun, serviceNamed, serviceOfImage } from './process-candidate.ts';
import { classifySteps } from './process-commands.ts';
import { imageRole } from './process-images.ts';
import type { BuiltService } from './services.ts';

/** Template file names that say nothing about what the workload is (`deployment.yaml`). */
const GENERIC_TEMPLATE =
  /^(?:deployment|statefulset|daemonset|job|cronjob|rollout|pod|workload|app)s?$/;

/** Workloads of the repository's own charts (not subcharts, not vendored), named. */
export async function collectHelmWorkloads(
  view: RepoView,
  charts: readonly HelmChart[],
): Promise<K8sWorkload[]> {
  const out: K8sWorkload[] = [];
  const prefix = (chart: HelmChart) => (chart.path === '.' ? '' : `${chart.path}/`);
  for (const chart of charts) {
    const subchart = charts.some(
      (other) => other !== chart && chart.path.startsWith(`${prefix(other)}charts/`),
    );
    if (VENDORED.test(chart.path) || subchart) continue;
    const valuesText = await view.text(`${prefix(chart)}values.yaml`);
    const parsed = valuesText === undefined ? undefined : parseYaml(valuesText);
    const values = parsed?.ok ? parsed.docs[0]?.value : undefined;
    for (const template of view.under(`${prefix(chart)}templates`)) {
      if (!/\.ya?ml$/.test(template) || dirOf(template) !== `${prefix(chart)}templates`) continue;
      const text = await view.text(template);
      if (text === undefined) continue;
      for (const workload of helmTemplateWorkloads(template, text, values))
        out.push({ ...workload, name: workload.name || templateName(template, chart.name) });
    }
  }
  return out;
}

function templateName(template: string, chart: string): string {
  const stem = (template.split('/').at(-1) ?? '')
    .replace(/\.ya?ml$/, '')
    .replace(/[-_](?:deployment|statefulset|daemonset|job|cronjob|rollout)$/, '');
  return GENERIC_TEMPLATE.test(stem) ? chart : stem;
}

export async function workloadCandidates(
  workloads: readonly K8sWorkload[],
  origin: Origin,
  services: readonly BuiltService[],
  view: RepoView,
  budget: { reads: number },
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const workload of workloads) {
    for (const container of workload.containers) {
      const name =
        workload.containers.length > 1 && container.name
          ? `${workload.name}-${container.name}`
          : workload.name || container.name;
      if (!name) continue;
      const candidate = await describe(workload, container, services, view, budget);
      out.push({ name, origin, usage: 'prod', variant: null, ...candidate });
    }
  }
  return out;
}

type Described = Omit<Candidate, 'name' | 'origin' | 'usage' | 'variant'>;

async function describe(
  workload: K8sWorkload,
  container: WorkloadContainer,
  services: readonly BuiltService[],
  view: RepoView,
  budget: { reads: number },
): Promise<Described> {
  const vendor = container.image ? imageRole(container.image) : undefined;
  const single = services.length === 1 ? services[0] : undefined;
  const linked =
    serviceOfImage(container.image, services) ??
    (vendor ? undefined : serviceNamed([container.name, workload.name], services)) ??
    (vendor ? undefined : single);
  const guessed =
    single !== undefined &&
    linked === single &&
    !serviceOfImage(container.image, services) &&
    !serviceNamed([container.name, workload.name], services);
  const evidence = [workload.evidence, container.evidence];
  const base = { image: container.image, evidence, devServer: false };
  const port = container.ports[0] ?? null;
  if (vendor && !linked)
    return {
      ...base,
      service: null,
      role: vendor.role,
      confidence: 'high',
      reason: `the ${vendor.label} image (${container.image ?? ''})`,
      command: container.command,
      port: port ?? vendor.port,
    };
  const run =
    linked && container.command === null ? await defaultRun(linked, view, budget) : undefined;
  const command = container.command ?? run?.command ?? null;
  const service = linked ?? null;
  const linkNote = guessed
    ? `; the image ${container.image ?? '(none)'} is taken to be the repository's only service`
    : '';
  const confidenceOf = (confidence: Candidate['confidence']) => (guessed ? 'medium' : confidence);
  if (workload.kind === 'CronJob')
    return {
      ...base,
      service,
      role: 'scheduler',
      confidence: 'high',
      reason: `a Kubernetes CronJob${linkNote}`,
      command,
      port: null,
    };
  if (workload.kind === 'Job') {
    const hook = workload.hook ? `, a ${workload.hook} hook` : '';
    return {
      ...base,
      service,
      role: 'job',
      confidence: 'high',
      reason: `a Kubernetes Job${hook}${linkNote}`,
      command,
      port: null,
    };
  }
  if (!isLongRunningKind(workload.kind))
    return {
      ...base,
      service,
      role: 'worker',
      confidence: 'low',
      reason: `a ${workload.kind}; what it runs is not clear`,
      command,
      port,
    };
  const own =
    container.command === null
      ? undefined
      : classifySteps(
          await resolveSteps(container.command, {
            view,
            scripts: null,
            image: null,
            dir: linked?.service.path ?? '.',
            budget,
          }),
        );
  if (own)
    return {
      ...base,
      service,
      role: own.role,
      confidence: confidenceOf(own.confidence),
      reason: `a ${workload.kind} that runs ${own.what}: \`${clip(own.step.text)}\`${linkNote}`,
      command,
      port: own.role === 'web' ? (port ?? linked?.service.port?.value ?? null) : null,
      devServer: own.devServer,
    };
  if (run && run.confidence !== 'low')
    return {
      ...base,
      service,
      role: run.role,
      confidence: confidenceOf(run.confidence),
      reason: `a ${workload.kind} running the image of ${linked?.service.name ?? ''} (${run.reason})${linkNote}`,
      command,
      port: run.role === 'web' ? (port ?? linked?.service.port?.value ?? null) : null,
      evidence: [...evidence, ...run.evidence],
    };
  if (port !== null)
    return {
      ...base,
      service,
      role: 'web',
      confidence: 'medium',
      reason: `a long-running ${workload.kind} with container port ${port}${linkNote}`,
      command,
      port,
    };
  return {
    ...base,
    service,
    role: 'worker',
    confidence: 'medium',
    reason: `a long-running ${workload.kind} with no container port${linkNote}`,
    command,
    port: null,
  };
}
