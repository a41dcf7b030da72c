/**
 * Synthesises one cdktn stack per environment into Terraform JSON (issue 7). cdktn writes files,
 * so synthesis happens in a private temporary directory that is read back and removed; the
 * returned JSON is re-serialised with sorted keys so it is byte-stable.
 */
import { App, HttpBackend, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.ts';
import type { InfraResource, RenderedArtifact } from '../plan-model.ts';
import { awsModules } from './aws.ts';
import { FAMILIES, type Family } from './families.ts';
import { googleModules } from './google.ts';
import { paasModules } from './paas.ts';
import { selfHostedModules } from './self-hosted.ts';
import type { StackContext } from './stack-context.ts';
import type { SynthesizedStack } from './terraform-check.ts';
import { MirroredProvider, type ProviderSpec } from './typed-resource.ts';

const MODULES: Record<Family, (stack: Construct, ctx: StackContext) => void> = {
  aws: awsModules,
  google: googleModules,
  'self-hosted': selfHostedModules,
  paas: paasModules,
};

/** Providers each family's modules use, with the attributes their blocks need. */
function providersFor(ctx: StackContext): Array<[string, Record<string, unknown>]> {
  const platform = platformProviders(ctx);
  const vault: [string, Record<string, unknown>] = ['vault', { address: '${var.vault_address}' }];
  const usesVault = FAMILIES[ctx.inputs.target] === 'self-hosted' || ctx.inputs.secrets === 'vault';
  return usesVault && !platform.some(([name]) => name === 'vault')
    ? [...platform, vault]
    : platform;
}

function platformProviders(ctx: StackContext): Array<[string, Record<string, unknown>]> {
  const { target } = ctx.inputs;
  switch (FAMILIES[target]) {
    case 'aws':
      return [
        ['aws', { region: ctx.region, default_tags: [{ tags: { 'managed-by': 'prodsprint' } }] }],
      ];
    case 'google':
      return [['google', { project: '${var.project_id}', region: ctx.region }]];
    case 'paas':
      return [[target, {}]];
    default: {
      const platform: Array<[string, Record<string, unknown>]> =
        target === 'kubernetes'
          ? [
              ['kubernetes', { config_context: ctx.env }],
              ['helm', { kubernetes: { config_context: ctx.env } }],
            ]
          : [['docker', { host: 'unix:///var/run/docker.sock' }]];
      const dns: Array<[string, Record<string, unknown>]> = ctx.inputs.dnsDomain
        ? [['dns', { update: { server: '${var.dns_server}' } }]]
        : [];
      return [...platform, ...dns];
    }
  }
}

function buildStack(
  app: App,
  ctx: StackContext,
  providers: Record<string, ProviderSpec>,
  stateUrl: string,
): void {
  const stack = new TerraformStack(app, ctx.env);
  for (const [name, attributes] of providersFor(ctx)) {
    new MirroredProvider(stack, providers[name]!, attributes);
  }
  new HttpBackend(stack, {
    address: `${stateUrl}/${ctx.name}`,
    lockAddress: `${stateUrl}/${ctx.name}/lock`,
    unlockAddress: `${stateUrl}/${ctx.name}/lock`,
    lockMethod: 'LOCK',
    unlockMethod: 'UNLOCK',
  });
  MODULES[FAMILIES[ctx.inputs.target]!](stack, ctx);
}

/** Terraform variables the providers reference; declared so `terraform validate` passes. */
function declareProviderVariables(json: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(json);
  const variables = { ...(json.variable as Record<string, unknown> | undefined) };
  for (const match of text.matchAll(/\$\{var\.([a-z_]+)\}/g)) {
    variables[match[1]!] ??= { type: 'string' };
  }
  return Object.keys(variables).length > 0 ? { ...json, variable: variables } : json;
}

function resourcesOf(env: string, json: Record<string, unknown>): InfraResource[] {
  const resources: InfraResource[] = [];
  const byType = (json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const type of Object.keys(byType).sort()) {
    for (const name of Object.keys(byType[type]!).sort()) {
      const { '//': _metadata, ...attributes } = byType[type]![name]!;
      const digest = createHash('sha256').update(canonicalJson(attributes)).digest('hex');
      resources.push({ environment: env, address: `${type}.${name}`, digest });
    }
  }
  return resources;
}

export interface SynthResult {
  artifacts: RenderedArtifact[];
  resources: InfraResource[];
  /** Each environment's stack, for `terraform validate` / `plan` and for pricing. */
  stacks: SynthesizedStack[];
}

/** Terraform JSON per environment plus the resource list the infra summary compares. */
export async function synthesizeInfra(
  contexts: StackContext[],
  providers: Record<string, ProviderSpec>,
  stateUrl: string,
): Promise<SynthResult> {
  const outdir = await mkdtemp(join(tmpdir(), 'prodsprint-synth-'));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: false });
    for (const ctx of contexts) buildStack(app, ctx, providers, stateUrl);
    app.synth();
    const artifacts: RenderedArtifact[] = [];
    const resources: InfraResource[] = [];
    const stacks: SynthesizedStack[] = [];
    for (const ctx of contexts) {
      const raw = await readFile(join(outdir, 'stacks', ctx.env, 'cdk.tf.json'), 'utf8');
      const json = declareProviderVariables(JSON.parse(raw) as Record<string, unknown>);
      const artifact = { path: `infra/${ctx.env}/cdk.tf.json`, content: canonicalJson(json) };
      artifacts.push(artifact);
      resources.push(...resourcesOf(ctx.env, json));
      stacks.push({ environment: ctx.env, ...artifact, json });
    }
    return { artifacts, resources, stacks };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
