/**
 * The Terraform JSON is what cdktn synthesises (its metadata block names cdktn and the stack),
 * per environment, with the blocks an air-gapped apply needs: providers from the mirror with
 * pinned versions, an internal http state backend, and resources grouped by concern.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { artifactsMatching, planFor } from './cases.ts';

const cdktnVersion = (
  JSON.parse(
    await readFile(createRequire(import.meta.url).resolve('cdktn/package.json'), 'utf8'),
  ) as { version: string }
).version;

interface TfJson {
  '//': { metadata: { version: string; stackName: string; backend: string } };
  terraform: {
    backend: { http: { address: string; lock_address: string } };
    required_providers: Record<string, { source: string; version: string }>;
  };
  provider: Record<string, unknown[]>;
  resource: Record<string, Record<string, unknown>>;
  variable?: Record<string, unknown>;
}

const stacks = (await artifactsMatching(/^infra\/(staging|prod)\/cdk\.tf\.json$/)).map((a) => ({
  ...a,
  json: JSON.parse(a.content) as TfJson,
}));

const typesOf = (json: TfJson): string[] => Object.keys(json.resource).sort();

describe('Terraform JSON from cdktn', () => {
  it.each(stacks.map((s) => [`${s.name}: ${s.path}`, s] as const))(
    '%s is a cdktn stack with mirror providers and an http backend',
    (_label, s) => {
      const env = s.path.split('/')[1]!;
      expect(s.json['//'].metadata).toMatchObject({
        version: cdktnVersion,
        stackName: env,
        backend: 'http',
      });
      expect(s.json.terraform.backend.http.address).toMatch(
        /^https:\/\/state\.internal\/terraform\/.+-(staging|prod)$/,
      );
      expect(s.json.terraform.backend.http.lock_address).toBe(
        `${s.json.terraform.backend.http.address}/lock`,
      );
      const providers = Object.keys(s.json.terraform.required_providers);
      expect(providers.length).toBeGreaterThan(0);
      for (const name of providers) {
        expect(s.json.provider[name], name).toBeDefined();
        expect(s.json.terraform.required_providers[name]!.version).toMatch(/^~> \d+\.\d+$/);
      }
      // Every resource type belongs to a declared provider (its prefix).
      for (const type of typesOf(s.json)) expect(providers).toContain(type.split('_')[0]);
      // Every variable referenced is declared, so `terraform validate` has nothing undeclared.
      for (const m of s.content.matchAll(/\$\{var\.([a-z_]+)\}/g))
        expect(Object.keys(s.json.variable ?? {})).toContain(m[1]);
    },
  );

  it('emits one module per concern on a cloud target', async () => {
    const plan = await planFor('python-fastapi-ecs');
    const prod = JSON.parse(
      plan.artifacts.find((a) => a.path === 'infra/prod/cdk.tf.json')!.content,
    ) as TfJson;
    const names = Object.values(prod.resource).flatMap((byName) => Object.keys(byName));
    for (const concern of [
      'network',
      'db',
      'cache',
      'lb',
      'dns',
      'tls',
      'cdn_waf',
      'secrets',
      'registry',
      'logs',
      'iam',
      'compute',
    ]) {
      expect(
        names.some((n) => n.startsWith(`${concern}_`)),
        concern,
      ).toBe(true);
    }
    expect(typesOf(prod)).toEqual(
      expect.arrayContaining([
        'aws_db_instance',
        'aws_elasticache_replication_group',
        'aws_wafv2_web_acl',
        'aws_wafv2_web_acl_association',
        'aws_ecs_service',
        'aws_lb',
        'aws_cloudwatch_log_group',
      ]),
    );
    // Nothing mounts a bucket or a volume: no storage is planned (issue 15).
    expect(names.some((n) => n.startsWith('storage_'))).toBe(false);
    expect(
      (prod.resource.aws_db_instance!.db_postgres as { deletion_protection: boolean })
        .deletion_protection,
    ).toBe(true);
  });

  it('plans ECS services named like the stack’s singletons (app, cluster) without a clash', async () => {
    const { planBlueprint } = await import('../../engine/agents/blueprint/plan.ts');
    const { noRepository } = await import('./cases.ts');
    const { STACKS } = await import('./fingerprints.ts');
    const { Fingerprint } = await import('../../engine/agents/repo-auditor/fingerprint.ts');
    const [service] = STACKS.nodeExpress.services;
    const fingerprint = Fingerprint.parse({
      ...STACKS.nodeExpress,
      services: [
        { ...service!, name: 'app', path: 'app' },
        { ...service!, name: 'cluster', path: 'cluster' },
      ],
    });
    const plan = await planBlueprint(
      fingerprint,
      { target: 'ecs', environments: ['prod'] },
      { readCurrentFile: noRepository },
    );
    const prod = JSON.parse(
      plan.artifacts.find((a) => a.path === 'infra/prod/cdk.tf.json')!.content,
    ) as TfJson;
    expect(Object.keys(prod.resource.aws_lb_target_group!).sort()).toEqual([
      'lb_app',
      'lb_cluster',
    ]);
    expect(Object.keys(prod.resource.aws_lb!)).toEqual(['lb_app']);
    expect(Object.keys(prod.resource.aws_ecs_cluster!)).toEqual(['compute_cluster']);
    expect(Object.keys(prod.resource.aws_ecs_service!).sort()).toEqual([
      'compute_app',
      'compute_cluster',
    ]);
  });

  it('configures the provider mirror for air-gapped runners', async () => {
    const plan = await planFor('go-gin-docker');
    const rc = plan.artifacts.find((a) => a.path === 'infra/.terraformrc')!.content;
    expect(rc).toMatch(
      /provider_installation \{\s+network_mirror \{\s+url = "https:\/\/mirror\.internal\/terraform\/providers\/"/,
    );
    expect(rc).not.toMatch(/^\s*direct/m);
  });

  it('summarises add / change / destroy against a previous blueprint', async () => {
    const { planBlueprint } = await import('../../engine/agents/blueprint/plan.ts');
    const { CASES, noRepository } = await import('./cases.ts');
    const c = CASES.find((x) => x.name === 'python-fastapi-ecs')!;
    const before = await planBlueprint(
      c.fingerprint,
      { ...c.inputs, cache: undefined },
      { readCurrentFile: noRepository },
    );
    const after = await planBlueprint(
      c.fingerprint,
      { ...c.inputs, costCeilingMonthly: 2000, db: { engine: 'postgres', version: '17' } },
      {
        readCurrentFile: noRepository,
        previous: { resources: before.summary.infra.resources },
      },
    );
    expect(after.summary.infra.add).toEqual(
      expect.arrayContaining(['prod:aws_elasticache_replication_group.cache_redis']),
    );
    expect(after.summary.infra.change).toEqual([
      'prod:aws_db_instance.db_postgres',
      'staging:aws_db_instance.db_postgres',
    ]);
    expect(after.summary.infra.destroy).toEqual([]);
    const removed = await planBlueprint(
      c.fingerprint,
      { ...c.inputs, cdnWaf: false },
      { readCurrentFile: noRepository, previous: { resources: before.summary.infra.resources } },
    );
    expect(removed.summary.infra.destroy).toEqual([
      'prod:aws_wafv2_web_acl.cdn_waf_acl',
      'prod:aws_wafv2_web_acl_association.cdn_waf_association',
      'staging:aws_wafv2_web_acl.cdn_waf_acl',
      'staging:aws_wafv2_web_acl_association.cdn_waf_association',
    ]);
  });
});
