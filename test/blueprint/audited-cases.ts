/**
 * Blueprint cases from the real auditor (issue 7 acceptance): every stack fixture the auditor is
 * tested on (each FixtureTree exported by a module of test/fixtures/repos, enumerated here, not
 * listed) is written to a temporary directory, audited by auditRepository, and planned for
 * kubernetes, docker and one cloud target. The goldens of these cases therefore prove auditor →
 * blueprint together: a change in either shows up as a golden diff.
 *
 * The cloud target rotates over the targets that fit the stack (Vercel only for Next.js/Hono
 * apps, a managed Kubernetes for workers and repositories that already ship Kubernetes
 * manifests, any of ECS, Cloud Run, Render, EKS, GKE otherwise), least used first, so every cloud
 * target is covered; golden.test.ts checks that. The inputs rotate over a few profiles so the
 * goldens also cover rolling updates, prod-only and minimal choices, the same profile for the
 * three targets of a stack so that their goldens can share identical artifacts.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import type { Fingerprint } from '../../engine/agents/repo-auditor/fingerprint.ts';
import { writeTree, type FixtureTree } from '../fixtures/repos/build-repo.ts';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'repos');

/**
 * Modules of test/fixtures/repos whose trees are not stacks a user would deploy: hostile.ts
 * (malformed manifests, alias bombs, binary files, secrets, escaping symlinks) exercises the
 * auditor's robustness, not a service. Any other module's FixtureTree export is a stack.
 */
export const NOT_STACK_MODULES: ReadonlySet<string> = new Set(['hostile.ts']);

export const CLOUD_TARGETS = ['ecs', 'cloudrun', 'eks', 'gke', 'render', 'vercel'] as const;
export type CloudTarget = (typeof CLOUD_TARGETS)[number];

export interface StackFixture {
  /** kebab-case of the export name: nodeExpress → node-express. */
  stack: string;
  module: string;
  exportName: string;
  tree: FixtureTree;
}

export interface AuditedCase {
  name: string;
  stack: string;
  target: string;
  profile: string;
  inputs: Record<string, unknown>;
  /** The case whose golden holds the artifacts this one shares byte for byte (its kubernetes case). */
  sameAs?: string;
}

function isFixtureTree(value: unknown): value is FixtureTree {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every(
      (v) =>
        typeof v === 'string' ||
        v instanceof Uint8Array ||
        (typeof v === 'object' && v !== null && 'symlink' in v),
    )
  );
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Every stack fixture, sorted by stack name. */
export async function loadStackFixtures(): Promise<StackFixture[]> {
  const modules = readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.ts') && !NOT_STACK_MODULES.has(f))
    .sort();
  const out: StackFixture[] = [];
  for (const module of modules) {
    const exports = (await import(join(FIXTURE_DIR, module))) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exports)) {
      if (isFixtureTree(value))
        out.push({ stack: kebab(exportName), module, exportName, tree: value });
    }
  }
  return out.sort((a, b) => a.stack.localeCompare(b.stack));
}

/** Writes the fixture to a fresh temporary directory, audits it there, removes it. */
export async function auditFixture(tree: FixtureTree): Promise<Fingerprint> {
  const dir = await mkdtemp(join(tmpdir(), 'prodsprint-bp-golden-'));
  try {
    writeTree(dir, tree);
    return await auditRepository(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The repository's current files, for the plan's diffs: read from the fixture tree itself. */
export function fixtureReader(tree: FixtureTree) {
  return async (path: string): Promise<string | null> => {
    const file = tree[path];
    if (typeof file === 'string') return file;
    if (file instanceof Uint8Array) return new TextDecoder().decode(file);
    return null;
  };
}

/** What a production user would pick: data stores, domain, WAF, budgets, approvals. */
const full = {
  db: { engine: 'postgres', version: '16' },
  cache: { engine: 'redis' },
  cdnWaf: true,
  dnsDomain: 'shop.example.com',
  tls: true,
  environments: ['staging', 'prod'],
  policies: {
    coverageMin: 75,
    sbom: true,
    perfBudgets: { p95Ms: 300, errorRate: 0.005 },
    packs: ['soc2', 'baseline'],
  },
  approvals: ['release-managers', 'alice'],
  costCeilingMonthly: 1500,
};

/**
 * Input profiles, rotated over the stacks; the target (and for cloud targets a region other than
 * the catalog's default, except with `minimal`) is added per case.
 */
export const PROFILES: Record<string, Record<string, unknown>> = {
  full,
  rolling: { ...full, strategy: 'rolling', secrets: 'vault' },
  'prod-only': {
    ...full,
    environments: ['prod'],
    cache: undefined,
    cdnWaf: false,
    policies: { ...full.policies, coverageMin: 60, packs: ['baseline'] },
    approvals: ['release-managers'],
  },
  minimal: {},
};
const PROFILE_ORDER = ['full', 'rolling', 'prod-only', 'minimal'];

/** Regions for cloud cases: not the catalog's first, so region handling shows in the goldens. */
const REGIONS: Record<CloudTarget, string> = {
  ecs: 'eu-west-1',
  eks: 'eu-central-1',
  gke: 'europe-west1',
  cloudrun: 'europe-west1',
  render: 'frankfurt',
  vercel: 'fra1',
};

/** Cloud targets that fit what the auditor found, in order of preference. */
export function fittingClouds(fingerprint: Fingerprint): CloudTarget[] {
  const services = fingerprint.services;
  const nodeEdge = (s: Fingerprint['services'][number]) =>
    (s.language?.value === 'typescript' || s.language?.value === 'javascript') &&
    ['nextjs', 'hono'].includes(s.framework?.value ?? '');
  if (services.length > 0 && services.every(nodeEdge)) return ['vercel'];
  const worker = services.some((s) => !s.port || !s.framework);
  const onKubernetes = fingerprint.k8sManifests.length > 0 || fingerprint.helmCharts.length > 0;
  if (worker || onKubernetes) return ['eks', 'gke'];
  return ['ecs', 'cloudrun', 'render', 'eks', 'gke'];
}

export interface AuditedStack extends StackFixture {
  fingerprint: Fingerprint;
  profile: string;
  cloud: CloudTarget;
  cases: AuditedCase[];
}

/** Audits every stack fixture and derives its three cases. */
export async function auditedStacks(): Promise<AuditedStack[]> {
  const fixtures = await loadStackFixtures();
  const used = new Map<CloudTarget, number>(CLOUD_TARGETS.map((t) => [t, 0]));
  const out: AuditedStack[] = [];
  for (const [index, fixture] of fixtures.entries()) {
    const fingerprint = await auditFixture(fixture.tree);
    const profile = PROFILE_ORDER[index % PROFILE_ORDER.length]!;
    const clouds = fittingClouds(fingerprint);
    const cloud = clouds.reduce((best, t) => (used.get(t)! < used.get(best)! ? t : best));
    used.set(cloud, used.get(cloud)! + 1);
    const base = `audited/${fixture.stack}-kubernetes`;
    const cases = (['kubernetes', 'docker', cloud] as const).map((target) => ({
      name: `audited/${fixture.stack}-${target}`,
      stack: fixture.stack,
      target,
      profile,
      inputs: JSON.parse(
        JSON.stringify({
          ...PROFILES[profile],
          target,
          ...(target === cloud && profile !== 'minimal' ? { region: REGIONS[cloud] } : {}),
        }),
      ) as Record<string, unknown>,
      ...(target === 'kubernetes' ? {} : { sameAs: base }),
    }));
    out.push({ ...fixture, fingerprint, profile, cloud, cases });
  }
  return out;
}

export const AUDITED_STACKS = await auditedStacks();
export const AUDITED_CASES: AuditedCase[] = AUDITED_STACKS.flatMap((s) => s.cases);

function stackOf(name: string): AuditedStack {
  const found = AUDITED_STACKS.find((s) => s.cases.some((c) => c.name === name));
  if (!found) throw new Error(`no audited blueprint case ${name}`);
  return found;
}

/** Plans `name` from a given fingerprint (the memoised audit unless one is passed). */
export function planAudited(name: string, fingerprint?: Fingerprint): Promise<Plan> {
  const stack = stackOf(name);
  const c = stack.cases.find((x) => x.name === name)!;
  return planBlueprint(fingerprint ?? stack.fingerprint, c.inputs, {
    readCurrentFile: fixtureReader(stack.tree),
  });
}

const memo = new Map<string, Promise<Plan>>();

export function auditedPlanFor(name: string): Promise<Plan> {
  let plan = memo.get(name);
  if (!plan) {
    plan = planAudited(name);
    memo.set(name, plan);
  }
  return plan;
}

export function auditedStackOf(name: string): AuditedStack {
  return stackOf(name);
}
