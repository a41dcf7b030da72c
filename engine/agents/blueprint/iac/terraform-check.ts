/**
 * The plan checks its own Terraform with the real binary before it is shown (issue 15):
 * `terraform validate` for every target whose providers the mirror holds, and `plan` + `show
 * -json` for AWS targets, whose provider plans new resources with no credentials (its
 * skip-validation settings). The providers come from the provider mirror only and are pinned by
 * hash into `.terraform.lock.hcl`, which becomes a plan artifact. Without terraform, without a
 * mirror or without a provider in it, nothing runs and the plan says so with a readiness
 * warning naming the remedy: never silently.
 */
import type { Redactor } from '../../../secrets/redact.ts';
import {
  findProviderMirror,
  mirroredVersions,
  terraformPlatform,
} from '../../../tools/terraform/provider-mirror.ts';
import {
  checkStack,
  type Diagnostic,
  type StackCheckResult,
} from '../../../tools/terraform/stack-check.ts';
import { findTerraform, terraformVersion } from '../../../tools/terraform/terraform-process.ts';
import { newestSatisfying } from '../../../tools/terraform/version-constraint.ts';
import type {
  ReadinessWarning,
  RenderedArtifact,
  TerraformCheck,
  TerraformStackCheck,
} from '../plan-model.ts';
import { FAMILIES } from './families.ts';
import {
  changeCounts,
  configuredResources,
  remainingResources,
  resourceChangesOf,
  type PlannedResource,
} from './plan-json.ts';
import { placeholderFor } from './placeholders.ts';

/** One environment's synthesized stack, as the plan artifact holds it. */
export interface SynthesizedStack {
  environment: string;
  /** `infra/<env>/cdk.tf.json` */
  path: string;
  content: string;
  json: Record<string, unknown>;
}

export interface TerraformCheckOutcome {
  check: TerraformCheck;
  /** `infra/<env>/.terraform.lock.hcl` for each stack terraform initialised. */
  lockFiles: RenderedArtifact[];
  /** Per environment, the resources of the plan JSON; absent where `terraform plan` did not run. */
  planned: Record<string, PlannedResource[]>;
}

export type TerraformChecker = (
  stacks: SynthesizedStack[],
  target: string,
) => Promise<TerraformCheckOutcome>;

const notRun = (stacks: SynthesizedStack[], warning: ReadinessWarning): TerraformCheckOutcome => ({
  check: {
    status: 'not-run',
    providers: [],
    stacks: stacks.map((s) => ({
      environment: s.environment,
      validate: 'not-run',
      plan: 'not-run',
      diagnostics: [],
    })),
    warnings: [warning],
  },
  lockFiles: [],
  planned: {},
});

const VALIDATE_BY_HAND =
  'terraform -chdir=infra/<env> init -backend=false -plugin-dir=<mirror> && terraform -chdir=infra/<env> validate';

/** The outcome of a plan made without a checker: validation did not run, and the plan says so. */
export function terraformNotRequested(stacks: SynthesizedStack[]): TerraformCheckOutcome {
  return notRun(stacks, {
    id: 'terraform-not-run',
    detail:
      'Terraform validation did not run: this plan was made without the Terraform check, so infra/ is cdktn synthesis that terraform has not validated',
    remedy: `plan again with \`prodsprint plan\` on a machine with terraform and a provider mirror, or run ${VALIDATE_BY_HAND}`,
  });
}

interface RequiredProvider {
  source: string;
  version: string;
}

function requiredProviders(stacks: SynthesizedStack[]): Map<string, RequiredProvider> {
  const out = new Map<string, RequiredProvider>();
  for (const stack of stacks) {
    const terraform = stack.json.terraform as
      { required_providers?: Record<string, RequiredProvider> } | undefined;
    for (const provider of Object.values(terraform?.required_providers ?? {}))
      out.set(provider.source, provider);
  }
  return out;
}

/** `provider "registry.terraform.io/hashicorp/aws" { version = "5.100.0"` → `hashicorp/aws 5.100.0` */
function pinnedProviders(lockFile: string): string[] {
  const out: string[] = [];
  for (const match of lockFile.matchAll(
    /^provider "[^"/]+\/([^"]+)" \{\n\s+version\s+= "([^"]+)"/gm,
  )) {
    out.push(`${match[1]} ${match[2]}`);
  }
  return out;
}

/** Plan-only settings: local state instead of the http backend; for AWS, no credentials. */
function overrideFor(family: string, plan: boolean): Record<string, unknown> {
  const override: Record<string, unknown> = { terraform: { backend: { local: {} } } };
  if (family === 'aws' && plan) {
    override.provider = {
      aws: {
        access_key: 'plan-only',
        secret_key: 'plan-only',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    };
  }
  return override;
}

function requiredVariables(stack: SynthesizedStack, region: string): Record<string, string> {
  const variables = (stack.json.variable ?? {}) as Record<string, { default?: unknown }>;
  const out: Record<string, string> = {};
  for (const name of Object.keys(variables).sort()) {
    if (variables[name]?.default === undefined) out[name] = placeholderFor(name, region);
  }
  return out;
}

const regionOf = (stack: SynthesizedStack): string => {
  const provider = (stack.json.provider ?? {}) as Record<string, Array<{ region?: string }>>;
  return provider.aws?.[0]?.region ?? 'us-east-1';
};

export interface TerraformCheckerOptions {
  env?: NodeJS.ProcessEnv;
  redactor: Redactor;
  timeoutMs?: number;
}

/** A checker that runs the real terraform found through `env`. */
export function terraformChecker(options: TerraformCheckerOptions): TerraformChecker {
  const env = options.env ?? process.env;
  const line = (environment: string, d: Diagnostic): string =>
    options.redactor
      .redact(
        `${environment}: ${d.severity}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}${d.at ? ` (${d.at})` : ''}`,
      )
      .slice(0, 600);

  return async (stacks, target) => {
    const family = FAMILIES[target] ?? 'self-hosted';
    const tool = findTerraform(env);
    if (!tool.found) {
      return notRun(stacks, {
        id: 'terraform-missing',
        detail: `Terraform validation did not run: ${tool.reason}; infra/ is cdktn synthesis that terraform has not validated`,
        remedy: tool.remedy,
      });
    }
    const mirror = findProviderMirror(env);
    if (!mirror.found) {
      return notRun(stacks, {
        id: 'terraform-provider-mirror-missing',
        detail: `Terraform validation did not run: ${mirror.reason}`,
        remedy: mirror.remedy,
      });
    }
    const platform = terraformPlatform();
    const missing = [...requiredProviders(stacks).values()].filter(
      (p) => !newestSatisfying(mirroredVersions(mirror.dir, p.source, platform), p.version),
    );
    if (missing.length > 0) {
      const names = missing.map((p) => `${p.source} ${p.version}`).join(', ');
      return notRun(stacks, {
        id: 'terraform-provider-missing',
        detail: `Terraform validation did not run for ${target}: the provider mirror ${mirror.dir} has no ${names} for ${platform}`,
        remedy: `on a connected machine run \`terraform providers mirror -platform=${platform} <dir>\` in a copy of infra/<env>, copy <dir>/registry.terraform.io into ${mirror.dir}, and plan again`,
      });
    }

    const plan = family === 'aws';
    const version = await terraformVersion(
      tool.binary,
      { PATH: '/usr/bin:/bin', CHECKPOINT_DISABLE: '1' },
      mirror.dir,
    );
    const results = await Promise.all(
      stacks.map(async (stack) => {
        const variables = plan ? requiredVariables(stack, regionOf(stack)) : {};
        const result = await checkStack({
          binary: tool.binary,
          pluginDir: mirror.dir,
          content: stack.content,
          override: overrideFor(family, plan),
          variables,
          plan,
          displayPath: `infra/${stack.environment}`,
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        });
        return { stack, result, placeholders: Object.keys(variables) };
      }),
    );

    const outcome: TerraformCheckOutcome = {
      check: { status: 'passed', providers: [], stacks: [], warnings: [] },
      lockFiles: [],
      planned: {},
    };
    if (version) outcome.check.terraformVersion = version;
    const providers = new Set<string>();
    for (const { stack, result, placeholders } of results) {
      outcome.check.stacks.push(stackCheck(stack.environment, result, plan, placeholders, line));
      if (result.lockFile) {
        outcome.lockFiles.push({
          path: `infra/${stack.environment}/.terraform.lock.hcl`,
          content: result.lockFile,
        });
        for (const p of pinnedProviders(result.lockFile)) providers.add(p);
      }
      if (result.plan?.ok && result.plan.json !== undefined) {
        outcome.planned[stack.environment] = resourceChangesOf(stack.environment, result.plan.json);
      }
    }
    outcome.check.providers = [...providers].sort();
    outcome.check.status = outcome.check.stacks.some(
      (s) => s.validate === 'failed' || s.plan === 'failed',
    )
      ? 'failed'
      : 'passed';
    outcome.check.warnings = warningsOf(outcome.check, target, plan);
    return outcome;
  };
}

function stackCheck(
  environment: string,
  result: StackCheckResult,
  plan: boolean,
  placeholders: string[],
  line: (environment: string, d: Diagnostic) => string,
): TerraformStackCheck {
  const diagnostics = [
    ...result.init.diagnostics,
    ...(result.validate?.diagnostics ?? []),
    ...(result.plan?.diagnostics ?? []),
  ].map((d) => line(environment, d));
  const validate =
    !result.init.ok || (result.validate && !result.validate.valid) ? 'failed' : 'passed';
  const planStatus =
    !plan || validate === 'failed' ? 'not-run' : result.plan?.ok ? 'passed' : 'failed';
  const check: TerraformStackCheck = {
    environment,
    validate,
    plan: planStatus,
    diagnostics: [...new Set(diagnostics)].slice(0, 20),
  };
  if (planStatus === 'passed' && result.plan?.json !== undefined) {
    check.changes = changeCounts(resourceChangesOf(environment, result.plan.json));
    if (placeholders.length > 0) check.placeholders = placeholders;
  }
  return check;
}

const terraformName = (check: TerraformCheck): string =>
  check.terraformVersion ? `terraform ${check.terraformVersion}` : 'terraform';

function warningsOf(check: TerraformCheck, target: string, plan: boolean): ReadinessWarning[] {
  const warnings: ReadinessWarning[] = [];
  for (const stack of check.stacks) {
    if (stack.validate === 'failed' || stack.plan === 'failed') {
      warnings.push({
        id: 'terraform-check-failed',
        detail: `terraform ${stack.validate === 'failed' ? 'validate' : 'plan'} failed for infra/${stack.environment}: ${stack.diagnostics.filter((d) => d.includes(': error: ')).join('; ') || 'see the diagnostics'}`,
        remedy: `do not apply this plan: the generated Terraform is wrong for ${target}; report it with infra/${stack.environment}/cdk.tf.json, or fix the module and plan again`,
      });
    }
    if (stack.placeholders?.length) {
      warnings.push({
        id: 'terraform-plan-placeholders',
        detail: `terraform plan for infra/${stack.environment} ran with placeholder values for ${stack.placeholders.join(', ')}`,
        remedy: `set them (TF_VAR_<name> or a .tfvars file) in the pipeline that applies infra/${stack.environment}`,
      });
    }
  }
  const planned = check.stacks.filter((s) => s.plan === 'passed' && s.changes);
  if (planned.length > 0) {
    const counts = planned
      .map((s) => {
        const { add, change, destroy } = s.changes!;
        return `infra/${s.environment} +${add.length} ~${change.length} -${destroy.length}`;
      })
      .join(', ');
    warnings.push({
      id: 'terraform-plan-empty-state',
      detail: `${terraformName(check)} validated and planned ${counts} with ${check.providers.join(', ')} from the provider mirror, against an empty local state (the http state backend was not read): its changes are what a first apply creates`,
      remedy:
        'before applying, plan again in the pipeline that can read the state backend, and compare',
    });
  }
  if (!plan && check.status === 'passed') {
    warnings.push({
      id: 'terraform-plan-needs-credentials',
      detail: `${terraformName(check)} validated infra/ with ${check.providers.join(', ')} from the provider mirror; terraform plan did not run: ${target}'s providers need real credentials to plan`,
      remedy: `run terraform plan for infra/<env> in the pipeline that holds ${target} credentials before applying`,
    });
  }
  return warnings;
}

/**
 * What the cost is priced from: per environment, the resources the plan JSON leaves in place
 * where `terraform plan` ran, else the stack's configured resources (what it would plan).
 */
export function plannedInfraOf(
  stacks: SynthesizedStack[],
  outcome: TerraformCheckOutcome,
): { resources: PlannedResource[]; basis: string } {
  const resources: PlannedResource[] = [];
  const fromPlan: string[] = [];
  const fromConfig: string[] = [];
  for (const stack of stacks) {
    const planned = outcome.planned[stack.environment];
    if (planned) {
      resources.push(...remainingResources(planned));
      fromPlan.push(stack.environment);
    } else {
      resources.push(...configuredResources(stack.environment, stack.json));
      fromConfig.push(stack.environment);
    }
  }
  const basis = [
    ...(fromPlan.length ? [`terraform plan JSON (${fromPlan.join(', ')})`] : []),
    ...(fromConfig.length
      ? [`synthesized configuration, terraform plan did not run (${fromConfig.join(', ')})`]
      : []),
  ].join('; ');
  return { resources, basis };
}
