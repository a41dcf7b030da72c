/**
 * The generated ECS Terraform, checked by the real `terraform` binary offline (issue 15): init
 * from the provider mirror only, `validate` clean, `plan` of new resources with no credentials,
 * the plan JSON's resource addresses and the cost priced from it, the providers pinned in
 * `.terraform.lock.hcl`. Two fixtures: a web service with Postgres and Redis behind a public
 * HTTPS load balancer, and a service with no health route (the target group checks `/`). GKE's
 * provider is not in the mirror: the plan says validation did not run, and why.
 * Under CI=true a machine without terraform or the aws provider mirror fails instead of skipping.
 */
import { describe, expect, it } from 'vitest';
import { terraformChecker } from '../../engine/agents/blueprint/iac/terraform-check.ts';
import { planBlueprint } from '../../engine/agents/blueprint/plan.ts';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { Fingerprint } from '../../engine/agents/repo-auditor/fingerprint.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import {
  findProviderMirror,
  mirroredVersions,
  terraformPlatform,
} from '../../engine/tools/terraform/provider-mirror.ts';
import { findTerraform } from '../../engine/tools/terraform/terraform-process.ts';
import { noRepository } from './cases.ts';
import { STACKS } from './fingerprints.ts';

function unavailable(): string | undefined {
  const tool = findTerraform();
  if (!tool.found) return tool.reason;
  const mirror = findProviderMirror();
  if (!mirror.found) return mirror.reason;
  if (mirroredVersions(mirror.dir, 'hashicorp/aws', terraformPlatform()).length === 0)
    return `the provider mirror ${mirror.dir} has no hashicorp/aws`;
  return undefined;
}
const skipReason = unavailable();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the Terraform tests, but: ${skipReason}`);

const TIMEOUT = 300_000;
const checker = terraformChecker({ redactor: new Redactor() });

/** Orders API (Node/Express, port 3000, /healthz) reading DATABASE_URL and REDIS_URL. */
const webWithStores = STACKS.nodeExpress;
/** The same Go service, but the auditor found no health route. */
const noHealthRoute = Fingerprint.parse({
  ...STACKS.goGin,
  services: STACKS.goGin.services.map((s) => ({ ...s, healthEndpoint: null })),
});

const resourceOf = (plan: Plan, env: string, type: string, name: string) => {
  const stack = JSON.parse(
    plan.artifacts.find((a) => a.path === `infra/${env}/cdk.tf.json`)!.content,
  ) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  return stack.resource[type]?.[name];
};

describe.skipIf(skipReason !== undefined)('ECS Terraform in the real terraform, offline', () => {
  it(
    'given a web service with Postgres and Redis, then validate is clean, plan succeeds and creates what it needs',
    { timeout: TIMEOUT },
    async () => {
      const plan = await planBlueprint(
        webWithStores,
        {
          target: 'ecs',
          region: 'eu-west-1',
          environments: ['prod'],
          db: { engine: 'postgres', version: '16' },
          cache: { engine: 'redis' },
          dnsDomain: 'orders.example.com',
          tls: true,
          cdnWaf: true,
        },
        { readCurrentFile: noRepository, terraform: checker },
      );
      const { terraform } = plan.summary;
      expect(terraform.status, terraform.stacks.flatMap((s) => s.diagnostics).join('\n')).toBe(
        'passed',
      );
      const [prod] = terraform.stacks;
      expect(prod).toMatchObject({ environment: 'prod', validate: 'passed', plan: 'passed' });
      expect(prod!.diagnostics).toEqual([]);
      expect(prod!.changes!.change).toEqual([]);
      expect(prod!.changes!.destroy).toEqual([]);
      expect(prod!.changes!.add).toEqual(
        expect.arrayContaining([
          'aws_ecs_cluster.compute_cluster',
          'aws_ecs_service.compute_orders_api',
          'aws_ecs_task_definition.compute_orders_api_task',
          'aws_iam_role.iam_execution',
          'aws_iam_role.iam_orders_api_task',
          'aws_iam_role_policy_attachment.iam_execution_managed',
          'aws_iam_role_policy.iam_execution_secrets',
          'aws_cloudwatch_log_group.logs_orders_api',
          'aws_ecr_repository.registry_orders_api',
          'aws_lb.lb_app',
          'aws_lb_target_group.lb_orders_api',
          'aws_lb_listener.lb_https',
          'aws_lb_listener.lb_http',
          'aws_acm_certificate_validation.tls_validation',
          'aws_route53_record.dns_orders_api',
          'aws_wafv2_web_acl_association.cdn_waf_association',
          'aws_db_instance.db_postgres',
          'aws_elasticache_replication_group.cache_redis',
          'aws_secretsmanager_secret.secrets_orders_api',
          'aws_vpc_endpoint.network_endpoint_ecr_api',
          'aws_vpc_endpoint.network_endpoint_ecr_dkr',
          'aws_vpc_endpoint.network_endpoint_logs',
          'aws_vpc_endpoint.network_endpoint_secretsmanager',
          'aws_vpc_endpoint.network_endpoint_s3',
          'aws_vpc_security_group_ingress_rule.network_app_from_lb_3000',
        ]),
      );
      // Nothing is planned that nothing uses.
      expect(prod!.changes!.add.filter((a) => /aws_s3_bucket|aws_nat_gateway/.test(a))).toEqual([]);
      // The app's port is open to the load balancer's group only, never to an address range.
      const ingress = resourceOf(
        plan,
        'prod',
        'aws_vpc_security_group_ingress_rule',
        'network_app_from_lb_3000',
      )!;
      expect(ingress).toMatchObject({
        from_port: 3000,
        to_port: 3000,
        referenced_security_group_id: '${aws_security_group.network_lb.id}',
      });
      expect(ingress.cidr_ipv4).toBeUndefined();
      expect(
        resourceOf(plan, 'prod', 'aws_lb_target_group', 'lb_orders_api')!.health_check,
      ).toMatchObject({
        path: '/healthz',
        matcher: '200-399',
      });
      // Secrets reach the task by ARN; Redis is wired to the planned replication group.
      const task = resourceOf(plan, 'prod', 'aws_ecs_task_definition', 'compute_orders_api_task')!;
      const [container] = JSON.parse(String(task.container_definitions)) as Array<
        Record<string, unknown>
      >;
      expect(container!.secrets).toEqual([
        {
          name: 'DATABASE_URL',
          valueFrom: '${aws_secretsmanager_secret.secrets_orders_api.arn}:DATABASE_URL::',
        },
      ]);
      expect(container!.environment).toEqual([
        {
          name: 'REDIS_URL',
          value:
            'rediss://${aws_elasticache_replication_group.cache_redis.primary_endpoint_address}:6379',
        },
      ]);
      expect(container!.logConfiguration).toMatchObject({ logDriver: 'awslogs' });
      // The providers are pinned by hash from the mirror, and the lock file is an artifact.
      const lock = plan.artifacts.find((a) => a.path === 'infra/prod/.terraform.lock.hcl')!;
      expect(lock.content).toMatch(
        /provider "registry\.terraform\.io\/hashicorp\/aws" \{\n\s+version\s+= "5\.\d+\.\d+"/,
      );
      expect(lock.content).toMatch(/"h1:[A-Za-z0-9+/=]{44}"/);
      expect(terraform.providers).toEqual([expect.stringMatching(/^hashicorp\/aws 5\./)]);
      // The cost is priced from the plan JSON.
      expect(plan.summary.cost.basis).toBe('terraform plan JSON (prod)');
      expect(plan.summary.cost.lines.map((l) => l.item)).toEqual(
        expect.arrayContaining([
          'db.instance:db.m6g.large',
          'cache.node:cache.m6g.large',
          'compute.replica',
          'loadBalancer',
          'vpcEndpoint',
        ]),
      );
      expect(plan.summary.notes.join('\n')).toMatch(
        /placeholder values for dns_zone_id, orders_api_image/,
      );
    },
  );

  it(
    'given a service with no health route, then its target group checks / below 500, and planning twice gives the same plan',
    { timeout: TIMEOUT },
    async () => {
      const plan = () =>
        planBlueprint(
          noHealthRoute,
          { target: 'ecs', region: 'us-east-1', environments: ['staging'] },
          { readCurrentFile: noRepository, terraform: checker },
        );
      const first = await plan();
      const [staging] = first.summary.terraform.stacks;
      expect(staging, staging!.diagnostics.join('\n')).toMatchObject({
        validate: 'passed',
        plan: 'passed',
      });
      expect(staging!.changes!.add).toEqual(
        expect.arrayContaining([
          'aws_ecs_service.compute_inventory',
          'aws_lb_target_group.lb_inventory',
          'aws_lb_listener.lb_http',
        ]),
      );
      // No domain: an internal load balancer, no certificate, no public subnets.
      expect(
        staging!.changes!.add.filter((a) => /acm|route53|network_public|internet_gateway/.test(a)),
      ).toEqual([]);
      expect(resourceOf(first, 'staging', 'aws_lb', 'lb_app')!.internal).toBe(true);
      expect(
        resourceOf(first, 'staging', 'aws_lb_target_group', 'lb_inventory')!.health_check,
      ).toMatchObject({
        path: '/',
        matcher: '200-499',
      });
      const second = await plan();
      expect(second.planHash).toBe(first.planHash);
    },
  );

  it('given GKE, whose provider the mirror lacks, then the plan says validation did not run and how to fix it', async () => {
    const plan = await planBlueprint(
      STACKS.goGin,
      { target: 'gke', environments: ['prod'] },
      { readCurrentFile: noRepository, terraform: checker },
    );
    expect(plan.summary.terraform.status).toBe('not-run');
    expect(plan.summary.terraform.warnings[0]).toMatchObject({
      id: 'terraform-provider-missing',
      detail: expect.stringMatching(/hashicorp\/google/),
      remedy: expect.stringMatching(/terraform providers mirror/),
    });
    expect(plan.summary.notes.join('\n')).toMatch(/Terraform validation did not run for gke/);
    expect(plan.artifacts.some((a) => a.path.endsWith('.terraform.lock.hcl'))).toBe(false);
  });
});

if (skipReason) {
  describe('ECS Terraform in the real terraform, offline', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
