import { describe, expect, it } from 'vitest';
import {
  changeCounts,
  configuredResources,
  remainingResources,
  resourceChangesOf,
} from './plan-json.ts';
import { pricedItems } from './priced-items.ts';

/** The parts of `terraform show -json` output (format 1.2) this reads, as Terraform writes them. */
const planJson = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  resource_changes: [
    {
      address: 'aws_ecs_service.compute_api',
      mode: 'managed',
      type: 'aws_ecs_service',
      name: 'compute_api',
      change: { actions: ['update'], after: { desired_count: 3, name: 'api' } },
    },
    {
      address: 'aws_lb.lb_app',
      mode: 'managed',
      type: 'aws_lb',
      name: 'lb_app',
      change: { actions: ['create'], after: { internal: false } },
    },
    {
      address: 'aws_db_instance.db_postgres',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'db_postgres',
      change: {
        actions: ['delete', 'create'],
        after: { instance_class: 'db.t4g.small', multi_az: false, allocated_storage: 20 },
      },
    },
    {
      address: 'aws_s3_bucket.storage_assets',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'storage_assets',
      change: { actions: ['delete'], after: null },
    },
    {
      address: 'aws_vpc.network_vpc',
      mode: 'managed',
      type: 'aws_vpc',
      name: 'network_vpc',
      change: { actions: ['no-op'], after: { cidr_block: '10.20.0.0/16' } },
    },
    {
      address: 'data.aws_partition.current',
      mode: 'data',
      type: 'aws_partition',
      name: 'current',
      change: { actions: ['read'], after: {} },
    },
  ],
};

describe('resource_changes of a plan JSON', () => {
  it('given every kind of action, when counted, then they add up as Terraform counts them', () => {
    const resources = resourceChangesOf('prod', planJson);
    expect(resources.map((r) => r.address)).toEqual([
      'aws_db_instance.db_postgres',
      'aws_ecs_service.compute_api',
      'aws_lb.lb_app',
      'aws_s3_bucket.storage_assets',
      'aws_vpc.network_vpc',
    ]);
    // Terraform's "2 to add, 1 to change, 2 to destroy": a replacement is an add and a destroy.
    expect(changeCounts(resources)).toEqual({
      add: ['aws_db_instance.db_postgres', 'aws_lb.lb_app'],
      change: ['aws_ecs_service.compute_api'],
      destroy: ['aws_db_instance.db_postgres', 'aws_s3_bucket.storage_assets'],
    });
  });

  it('given a plan, when priced, then what it destroys is not priced and what stays is', () => {
    const remaining = remainingResources(resourceChangesOf('prod', planJson));
    expect(remaining.map((r) => r.address)).not.toContain('aws_s3_bucket.storage_assets');
    expect(remaining.flatMap(pricedItems)).toEqual([
      { item: 'db.instance:db.t4g.small', quantity: 1 },
      { item: 'db.storage.gb', quantity: 20 },
      { item: 'compute.replica', quantity: 3 },
      { item: 'loadBalancer', quantity: 1 },
    ]);
  });

  it('given blocks as the plan JSON lists them, then sizes are read from their first element', () => {
    const [sql] = resourceChangesOf('prod', {
      resource_changes: [
        {
          address: 'google_sql_database_instance.db_postgres',
          mode: 'managed',
          type: 'google_sql_database_instance',
          change: {
            actions: ['create'],
            after: { settings: [{ tier: 'db-custom-2-7680', availability_type: 'REGIONAL' }] },
          },
        },
      ],
    });
    expect(pricedItems(sql!)).toEqual([{ item: 'db.instance:db-custom-2-7680', quantity: 2 }]);
  });

  it('given no plan JSON, then the configured resources stand in as creates', () => {
    const resources = configuredResources('staging', {
      resource: { aws_lb: { lb_app: { name: 'x' } }, aws_vpc: { network_vpc: {} } },
    });
    expect(resources.map((r) => [r.address, r.actions])).toEqual([
      ['aws_lb.lb_app', ['create']],
      ['aws_vpc.network_vpc', ['create']],
    ]);
    expect(resourceChangesOf('staging', 'not a plan')).toEqual([]);
  });
});
