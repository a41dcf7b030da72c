import { describe, expect, it } from 'vitest';
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { ProblemError } from '../../contract/problem.ts';
import { estimateCost, resolveRegion, type PriceCatalog, CATALOG_PATH } from './cost.ts';
import type { PlannedResource } from './iac/plan-json.ts';
import { loadTemplates } from './template-store.ts';

const store = await loadTemplates();
const catalog = store.data<PriceCatalog>(CATALOG_PATH);

const planned = (
  environment: string,
  address: string,
  values: Record<string, unknown>,
): PlannedResource => ({
  environment,
  address,
  type: address.split('.')[0]!,
  actions: ['create'],
  values,
});

/** What an ECS plan of one service with a database leaves in place, per environment. */
const ecsPlan = (): PlannedResource[] =>
  (['staging', 'prod'] as const).flatMap((env) => [
    planned(env, 'aws_ecs_service.compute_api', { desired_count: env === 'prod' ? 3 : 2 }),
    planned(env, 'aws_lb.lb_app', {}),
    planned(env, 'aws_db_instance.db_postgres', {
      instance_class: env === 'prod' ? 'db.m6g.large' : 'db.t4g.small',
      multi_az: env === 'prod',
      allocated_storage: env === 'prod' ? 100 : 20,
      manage_master_user_password: true,
    }),
    planned(env, 'aws_vpc_endpoint.network_endpoint_logs', {
      vpc_endpoint_type: 'Interface',
      subnet_ids: ['a', 'b'],
    }),
    planned(env, 'aws_vpc_endpoint.network_endpoint_s3', { vpc_endpoint_type: 'Gateway' }),
    planned(env, 'aws_cloudwatch_log_group.logs_api', {}),
    planned(env, 'aws_vpc.network_vpc', {}),
  ]);

describe('cost estimate', () => {
  it('given an ECS plan, when priced, then each line comes from a planned resource and its size', () => {
    const inputs = BlueprintInputs.parse({
      target: 'ecs',
      region: 'us-east-1',
      db: { engine: 'postgres', version: '16' },
      costCeilingMonthly: 100,
    });
    const cost = estimateCost(store, inputs, 'us-east-1', ['staging', 'prod'], 1, {
      resources: ecsPlan(),
      basis: 'terraform plan JSON (staging, prod)',
    });
    expect(cost).toMatchObject({
      catalogVersion: catalog.version,
      catalogDate: catalog.date,
      region: 'us-east-1',
      basis: 'terraform plan JSON (staging, prod)',
      ceilingMonthly: 100,
    });
    const prices = catalog.targets.ecs!.regions['us-east-1']!;
    const line = (env: string, item: string) =>
      cost.lines.find((l) => l.environment === env && l.item === item);
    // Multi-AZ in prod: two instances and twice the storage.
    expect(line('prod', 'db.instance:db.m6g.large')).toMatchObject({
      quantity: 2,
      unitMonthly: prices['db.instance:db.m6g.large'],
    });
    expect(line('prod', 'db.storage.gb')?.quantity).toBe(200);
    expect(line('staging', 'db.instance:db.t4g.small')?.quantity).toBe(1);
    expect(line('prod', 'compute.replica')?.quantity).toBe(3);
    expect(line('staging', 'compute.replica')?.quantity).toBe(2);
    // One interface endpoint in two zones; the gateway endpoint is free.
    expect(line('prod', 'vpcEndpoint')?.quantity).toBe(2);
    // RDS keeps its managed password in a secret of its own.
    expect(line('prod', 'secret')?.quantity).toBe(1);
    expect(cost.lines.some((l) => l.item === 'storage')).toBe(false);
    expect(cost.unpriced).toContain('CloudWatch Logs (per GB ingested and stored)');
    expect(cost.totalMonthly).toBeCloseTo(
      cost.lines.reduce((s, l) => s + l.monthly, 0),
      2,
    );
    expect(cost.withinCeiling).toBe(false);
  });

  it('given a planned size the catalog does not price, then it is listed as unpriced, not dropped', () => {
    const inputs = BlueprintInputs.parse({ target: 'ecs', region: 'us-east-1' });
    const cost = estimateCost(store, inputs, 'us-east-1', ['prod'], 1, {
      resources: [
        planned('prod', 'aws_db_instance.db_postgres', { instance_class: 'db.x2g.16xlarge' }),
      ],
      basis: 'synthesized configuration',
    });
    expect(cost.unpriced).toContain(
      `db.instance:db.x2g.16xlarge (not in the price catalog ${catalog.version})`,
    );
  });

  it('given a Kubernetes target, then replicas and the ingress load balancer come from the manifests', () => {
    const inputs = BlueprintInputs.parse({ target: 'gke' });
    const region = resolveRegion(catalog, inputs);
    const cost = estimateCost(store, inputs, region, ['staging', 'prod'], 2, {
      resources: [planned('prod', 'google_container_cluster.compute_cluster', {})],
      basis: 'synthesized configuration',
    });
    const replicas = cost.lines.filter((l) => l.item === 'compute.replica');
    expect(replicas.map((l) => [l.environment, l.quantity])).toEqual([
      ['staging', 4],
      ['prod', 6],
    ]);
    expect(cost.lines.filter((l) => l.item === 'cluster').map((l) => l.environment)).toEqual([
      'prod',
    ]);
  });

  it('has a price list for every target the contract offers', () => {
    for (const target of [
      'kubernetes',
      'docker',
      'render',
      'vercel',
      'cloudrun',
      'gke',
      'ecs',
      'eks',
    ]) {
      expect(Object.keys(catalog.targets[target]?.regions ?? {}).length, target).toBeGreaterThan(0);
    }
  });

  it('defaults the region to the catalog’s first and refuses an unknown one', () => {
    expect(resolveRegion(catalog, BlueprintInputs.parse({ target: 'gke' }))).toBe(
      Object.keys(catalog.targets.gke!.regions)[0],
    );
    expect(() =>
      resolveRegion(catalog, BlueprintInputs.parse({ target: 'gke', region: 'us-east-1' })),
    ).toThrow(ProblemError);
  });
});
