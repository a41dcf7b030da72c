/**
 * The blueprint cases every validation test runs over: each auditor-like stack against the
 * kubernetes and docker targets, plus cloud targets (ecs, cloudrun) and a two-service repository.
 * Plans are memoised per case, since several test files read the same ones. The goldens pin the
 * audited cases instead (audited-cases.ts: every fixture stack through the real auditor).
 */
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import type { Fingerprint } from '../../engine/agents/repo-auditor/fingerprint.ts';
import { STACKS } from './fingerprints.ts';

export interface BlueprintCase {
  name: string;
  fingerprint: Fingerprint;
  inputs: Record<string, unknown>;
}

/** Everything a production user would pick: data stores, domain, WAF, budgets, approvals. */
const full = (target: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  target,
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
  ...extra,
});

/** The least a user can give: a target. */
const minimal = (target: string): Record<string, unknown> => ({ target });

export const CASES: BlueprintCase[] = [
  { name: 'node-express-kubernetes', fingerprint: STACKS.nodeExpress, inputs: full('kubernetes') },
  { name: 'node-express-docker', fingerprint: STACKS.nodeExpress, inputs: minimal('docker') },
  {
    name: 'python-fastapi-kubernetes',
    fingerprint: STACKS.pythonFastapi,
    inputs: full('kubernetes'),
  },
  { name: 'python-fastapi-docker', fingerprint: STACKS.pythonFastapi, inputs: minimal('docker') },
  {
    name: 'python-fastapi-ecs',
    fingerprint: STACKS.pythonFastapi,
    inputs: full('ecs', { region: 'eu-west-1' }),
  },
  {
    name: 'go-gin-kubernetes',
    fingerprint: STACKS.goGin,
    inputs: full('kubernetes', { strategy: 'rolling' }),
  },
  { name: 'go-gin-docker', fingerprint: STACKS.goGin, inputs: minimal('docker') },
  { name: 'go-gin-cloudrun', fingerprint: STACKS.goGin, inputs: full('cloudrun') },
  {
    name: 'java-spring-kubernetes',
    fingerprint: STACKS.javaSpring,
    inputs: full('kubernetes', { environments: ['prod'] }),
  },
  { name: 'java-spring-docker', fingerprint: STACKS.javaSpring, inputs: minimal('docker') },
  {
    name: 'monorepo-eks',
    fingerprint: STACKS.monorepo,
    inputs: full('eks', { region: 'us-east-1' }),
  },
];

export const noRepository = async (): Promise<string | null> => null;

const memo = new Map<string, Promise<Plan>>();

export function planFor(name: string): Promise<Plan> {
  const found = CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no blueprint case ${name}`);
  let plan = memo.get(name);
  if (!plan) {
    plan = planBlueprint(found.fingerprint, found.inputs, { readCurrentFile: noRepository });
    memo.set(name, plan);
  }
  return plan;
}

export async function allPlans(): Promise<Array<[BlueprintCase, Plan]>> {
  return Promise.all(CASES.map(async (c) => [c, await planFor(c.name)] as [BlueprintCase, Plan]));
}

/** Artifacts of every case whose path matches, with the case name, for per-file assertions. */
export async function artifactsMatching(
  pattern: RegExp,
): Promise<Array<{ name: string; path: string; content: string }>> {
  const out: Array<{ name: string; path: string; content: string }> = [];
  for (const [c, plan] of await allPlans()) {
    for (const a of plan.artifacts)
      if (pattern.test(a.path)) out.push({ name: c.name, path: a.path, content: a.content });
  }
  return out;
}
