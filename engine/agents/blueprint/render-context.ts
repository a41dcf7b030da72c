/**
 * The scope every template shares: pinned images and actions resolved against the user's mirror,
 * the policy numbers, environments and approvals. Built once per plan from data files only.
 */
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { pnpmInstallOf } from '../repo-auditor/pnpm-version.ts';
import { orderedEnvironments } from './inputs.ts';
import type { TemplateStore } from './template-store.ts';
import type { TemplateScope } from './template-engine.ts';
import type { ServiceView } from './service-view.ts';
import type { PolicyProfile } from './plan-model.ts';
import { smokeTestPath } from './render-smoke.ts';

export interface Pins {
  /** False until someone syncs the table from the mirror; plans then warn in their notes. */
  verified: boolean;
  actions: Record<string, { uses: string; version: string; sha: string }>;
  images: Record<string, { repository: string; tag: string; digest: string }>;
}

/** Defaults a platform team would start from when the user sets no budget. */
const DEFAULT_COVERAGE = 80;
const DEFAULT_BUDGETS = { p95Ms: 500, errorRate: 0.01 };

/** The gates and thresholds this plan enforces, defaults filled in. */
export function policyProfile(inputs: BlueprintInputs): PolicyProfile {
  const packs = [...new Set(inputs.policies.packs)].sort();
  const gates = ['tests', 'coverage', 'vulnerabilities', 'perf-budget', 'cost', 'approvals'];
  if (inputs.policies.sbom) gates.push('sbom', 'signature');
  if (packs.includes('soc2') || packs.includes('hipaa')) gates.push('change-freeze');
  return {
    packs,
    coverageMin: inputs.policies.coverageMin ?? DEFAULT_COVERAGE,
    sbom: inputs.policies.sbom,
    perfBudgets: inputs.policies.perfBudgets ?? DEFAULT_BUDGETS,
    approvals: [...new Set(inputs.approvals)].sort(),
    gates: gates.sort(),
  };
}

/** `registry/repository:tag@sha256:…`: readable and still immutable. */
export function imageRefs(store: TemplateStore, registry: string): Record<string, string> {
  const pins = store.data<Pins>('ci/pins.yaml');
  return Object.fromEntries(
    Object.entries(pins.images).map(([key, pin]) => [
      key,
      `${registry}/${pin.repository}:${pin.tag}@${pin.digest}`,
    ]),
  );
}

/** Template scope shared by every artifact of one plan. */
export function baseScope(
  inputs: BlueprintInputs,
  store: TemplateStore,
  region: string,
): TemplateScope {
  const pins = store.data<Pins>('ci/pins.yaml');
  const policy = policyProfile(inputs);
  const environments = orderedEnvironments(inputs);
  return {
    target: inputs.target,
    region,
    domain: inputs.dnsDomain ?? '',
    hasDomain: inputs.dnsDomain !== undefined,
    tls: inputs.tls,
    cdnWaf: inputs.cdnWaf,
    canary: inputs.strategy === 'canary',
    strategy: inputs.strategy,
    db: inputs.db !== undefined,
    dbVersion: inputs.db?.version ?? '',
    cache: inputs.cache !== undefined,
    registry: inputs.mirror.registry,
    packagesMirror: inputs.mirror.packages,
    stateUrl: inputs.mirror.state,
    images: imageRefs(store, inputs.mirror.registry),
    actions: Object.fromEntries(
      Object.entries(pins.actions).map(([key, pin]) => [key, `${pin.uses}@${pin.sha}`]),
    ),
    actionVersions: Object.fromEntries(
      Object.entries(pins.actions).map(([key, pin]) => [key, pin.version]),
    ),
    coverageMin: policy.coverageMin,
    sbom: policy.sbom,
    p95Ms: policy.perfBudgets.p95Ms,
    errorRate: policy.perfBudgets.errorRate,
    errorRatePct: Number((policy.perfBudgets.errorRate * 100).toFixed(4)),
    packs: policy.packs,
    packsCsv: policy.packs.join(','),
    approvals: policy.approvals,
    hasApprovals: policy.approvals.length > 0,
    approvalsCsv: policy.approvals.join(','),
    environments,
    hasStaging: environments.includes('staging'),
    hasProd: environments.includes('prod'),
  };
}

/** Public host of a service: the domain itself for a single service, a subdomain otherwise. */
export function hostOf(view: ServiceView, inputs: BlueprintInputs, serviceCount: number): string {
  const domain = inputs.dnsDomain ?? 'internal';
  return serviceCount === 1 && inputs.dnsDomain ? domain : `${view.slug}.${domain}`;
}

/** The base scope plus one service's facts; `versions` are the images for the version it states. */
export function serviceScope(
  base: TemplateScope,
  view: ServiceView,
  inputs: BlueprintInputs,
  serviceCount: number,
  versions?: {
    buildImage: string | null;
    runtimeImage: string | null;
    packageTool?: string | null;
  },
): TemplateScope {
  const { facts, ...viewScope } = view;
  const images = base.images as Record<string, string>;
  const host = hostOf(view, inputs, serviceCount);
  const scheme = inputs.tls ? 'https' : 'http';
  return {
    ...base,
    ...viewScope,
    migrations: view.migrations ? `${view.migrations.tool} (${view.migrations.path})` : '',
    hasMigrations: view.migrations !== null,
    smokeTestPath: view.hasTests ? '' : smokeTestPath(view),
    migrationTool: view.migrations?.tool ?? '',
    migrationDir: view.migrations?.path ?? '',
    strategy: inputs.strategy,
    host,
    stagingHost: `staging.${host}`,
    stagingUrl: `${scheme}://staging.${host}`,
    prodUrl: `${scheme}://${host}`,
    // The version the repository states (ci-toolchain.ts), else the toolchain's default.
    buildImage: facts ? images[versions?.buildImage ?? facts.buildImage]! : '',
    runtimeImage: facts ? images[versions?.runtimeImage ?? facts.runtimeImage]! : '',
    otelPackage: facts?.otelPackage ?? '',
    // The generated Dockerfile installs pnpm from the npm mirror (repo-auditor pnpm-version.ts).
    pnpmInstall: pnpmInstallOf(versions?.packageTool ?? 'pnpm@9'),
    mirrorEnv: (facts?.mirrorEnv ?? []).map((env) => ({
      name: env.name,
      value: env.value ?? `${inputs.mirror.packages}${env.path ?? ''}`,
    })),
    envVarList: view.envVars,
    // One-shot jobs (migrations) the Kubernetes deploy runs before the new version starts.
    jobs: view.companions.filter((c) => c.role === 'job').map((c) => ({ jobName: c.slug })),
  };
}
