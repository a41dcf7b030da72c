/**
 * The plan deploys the topology the auditor found (issue 15): a service's workers and schedulers
 * are Deployments of its image with their own command and no Service, Ingress or HTTP probe; a
 * migration is a Job that the pipeline runs before the new version starts (a Helm pre-upgrade
 * hook in the chart); seeds, dev tools and test runners are never deployed; a service whose main
 * process is a worker gets no Service, Ingress, probe or canary. Every Kubernetes object of every
 * audited plan validates against the Kubernetes schemas.
 */
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { AUDITED_CASES, auditedPlanFor } from './audited-cases.ts';
import {
  validateK8sObject,
  type K8sObject,
} from '../../engine/agents/blueprint/self-check/k8s-schema.ts';

type Container = {
  command?: string[];
  ports?: unknown[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  env?: Array<{ name: string }>;
};
type Workload = K8sObject & {
  spec: {
    replicas?: number;
    strategy?: { type?: string };
    template: { spec: { containers: Container[]; restartPolicy?: string } };
  };
};

const file = (plan: Plan, path: string) => plan.artifacts.find((a) => a.path === path)?.content;
const object = <T>(plan: Plan, path: string): T => {
  const content = file(plan, path);
  if (content === undefined) throw new Error(`${path} is not in the plan`);
  return parse(content) as T;
};
const paths = (plan: Plan, prefix: string) =>
  plan.artifacts.map((a) => a.path).filter((p) => p.startsWith(prefix));

describe('topology in the plan', () => {
  it('given a Celery app (web, worker, beat, flower), when planned for kubernetes, then worker and beat are probe-less Deployments of the image and flower is not deployed', async () => {
    const plan = await auditedPlanFor('audited/z-topo-celery-kubernetes');
    const dir = 'deploy/k8s/staging/web';
    const worker = object<Workload>(plan, `${dir}/web-worker-deployment.yaml`);
    const beat = object<Workload>(plan, `${dir}/web-beat-deployment.yaml`);
    for (const workload of [worker, beat]) {
      const [container] = workload.spec.template.spec.containers;
      expect(container!.ports).toBeUndefined();
      expect(container!.readinessProbe).toBeUndefined();
      expect(container!.livenessProbe).toBeUndefined();
      expect(container!.env?.map((e) => e.name)).not.toContain('PORT');
    }
    expect(worker.spec.template.spec.containers[0]!.command).toEqual(['/start-worker']);
    expect(beat.spec.template.spec.containers[0]!.command).toEqual([
      'celery',
      '-A',
      'app.tasks',
      'beat',
      '--loglevel=info',
    ]);
    // Two beats would schedule every task twice.
    expect(beat.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const policy = object<{ spec: { ingress: unknown[] } }>(
      plan,
      `${dir}/web-worker-networkpolicy.yaml`,
    );
    expect(policy.spec.ingress).toEqual([]);
    // The web process keeps its Service, Ingress and probes.
    expect(paths(plan, dir)).toEqual(
      expect.arrayContaining([`${dir}/service.yaml`, `${dir}/ingress.yaml`]),
    );
    expect(plan.artifacts.some((a) => a.path.startsWith('deploy/') && /flower/.test(a.path))).toBe(
      false,
    );
    const values = parse(file(plan, 'deploy/helm/web/values.yaml')!) as {
      processes: Array<{ name: string; role: string; command: string[] }>;
    };
    expect(values.processes.map((p) => `${p.name}:${p.role}`)).toEqual([
      'web-beat:scheduler',
      'web-worker:worker',
    ]);
  });

  it('given a migrate job and a seed job in compose, when planned, then the migration is a Job the pipeline runs before applying and the seed is a note', async () => {
    const plan = await auditedPlanFor('audited/z-topo-seed-kubernetes');
    const job = object<Workload>(plan, 'deploy/k8s/staging/catalog/jobs/catalog-migrate.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0]!.command).toEqual([
      'npx',
      'prisma',
      'migrate',
      'deploy',
    ]);
    expect(plan.artifacts.some((a) => a.path.startsWith('deploy/') && /seed/.test(a.path))).toBe(
      false,
    );
    expect(plan.summary.notes.join('\n')).toMatch(
      /catalog: seed loads seed data .* it is not deployed/,
    );
    const workflow = file(plan, '.github/workflows/prodsprint-catalog.yml')!;
    const waitsForJob = workflow.indexOf("wait --for=condition=complete 'job/catalog-migrate'");
    const appliesService = workflow.indexOf("apply -f 'deploy/k8s/staging/catalog/'");
    expect(waitsForJob).toBeGreaterThan(0);
    expect(waitsForJob).toBeLessThan(appliesService);
  });

  it('given a service whose main process is a worker, when planned for kubernetes, then it gets no Service, Ingress, probe or canary', async () => {
    const plan = await auditedPlanFor('audited/py-celery-kubernetes');
    const note = plan.summary.notes.find((n) => /its main process is a worker/.test(n));
    expect(note).toBeDefined();
    const slug = note!.slice(0, note!.indexOf(':'));
    const dir = `deploy/k8s/staging/${slug}`;
    expect(
      paths(plan, `${dir}/`)
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    ).toEqual(
      expect.not.arrayContaining([
        'service.yaml',
        'ingress.yaml',
        'rollout.yaml',
        'service-canary.yaml',
      ]),
    );
    const deployment = object<Workload>(plan, `${dir}/deployment.yaml`);
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.template.spec.containers[0]!.readinessProbe).toBeUndefined();
  });

  const kubernetesPlans = AUDITED_CASES.filter((c) => /-(kubernetes|eks|gke)$/.test(c.name));
  it.each(kubernetesPlans.map((c) => [c.name] as const))(
    '%s: every Kubernetes object validates against its schema',
    async (name) => {
      const plan = await auditedPlanFor(name);
      for (const artifact of plan.artifacts.filter((a) => /^deploy\/k8s\/.+\.yaml$/.test(a.path))) {
        for (const document of parseAllDocuments(artifact.content)) {
          const value = document.toJS() as K8sObject | null;
          if (value) expect(() => validateK8sObject(value), artifact.path).not.toThrow();
        }
      }
    },
  );
});
