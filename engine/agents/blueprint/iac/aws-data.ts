/**
 * Managed data stores on AWS (issue 15): PostgreSQL on RDS with its master password managed by
 * RDS in Secrets Manager (never in state), Redis on ElastiCache with TLS in transit, both in the
 * private subnets behind the data security group (reachable from the service tasks only).
 */
import { Construct } from 'constructs';
import {
  AwsDbInstance,
  AwsDbSubnetGroup,
  AwsElasticacheReplicationGroup,
  AwsElasticacheSubnetGroup,
} from './aws-resources.ts';
import type { AwsNetwork } from './aws-network.ts';
import { boundedName, isProd, tagsOf, type StackContext } from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

/** The database the app connects to; RDS creates it on first boot. */
export const DB_NAME = 'app';
export const DB_PORT = 5432;
export const CACHE_PORT = 6379;

export interface AwsDataStores {
  db?: TypedResource<Attributes>;
  cache?: TypedResource<Attributes>;
}

/** Adds the db and cache modules the inputs ask for. */
export function awsDataStores(
  stack: Construct,
  ctx: StackContext,
  network: AwsNetwork,
): AwsDataStores {
  const tags = tagsOf(ctx);
  const prod = isProd(ctx);
  const { inputs } = ctx;
  const out: AwsDataStores = {};
  if (inputs.db && network.dataSg) {
    const scope = new Construct(stack, 'module_db');
    const group = new AwsDbSubnetGroup(scope, 'db_subnets', {
      name: `${ctx.name}-db`,
      subnet_ids: network.privateSubnetIds,
    });
    out.db = new AwsDbInstance(scope, 'db_postgres', {
      identifier: boundedName(`${ctx.name}-postgres`, 63),
      engine: 'postgres',
      engine_version: inputs.db.version,
      instance_class: prod ? 'db.m6g.large' : 'db.t4g.small',
      allocated_storage: prod ? 100 : 20,
      storage_type: 'gp3',
      storage_encrypted: true,
      multi_az: prod,
      deletion_protection: prod,
      skip_final_snapshot: !prod,
      ...(prod
        ? { final_snapshot_identifier: boundedName(`${ctx.name}-postgres-final`, 255) }
        : {}),
      backup_retention_period: prod ? 14 : 1,
      db_name: DB_NAME,
      port: DB_PORT,
      username: 'app',
      manage_master_user_password: true,
      db_subnet_group_name: group.ref('name'),
      vpc_security_group_ids: [network.dataSg.ref('id')],
      iam_database_authentication_enabled: true,
      tags,
    });
  }
  if (inputs.cache && network.dataSg) {
    const scope = new Construct(stack, 'module_cache');
    const group = new AwsElasticacheSubnetGroup(scope, 'cache_subnets', {
      name: `${ctx.name}-cache`,
      subnet_ids: network.privateSubnetIds,
    });
    out.cache = new AwsElasticacheReplicationGroup(scope, 'cache_redis', {
      // ElastiCache ids are at most 40 characters.
      replication_group_id: boundedName(`${ctx.name}-redis`, 40),
      description: `${ctx.name} cache`,
      engine: 'redis',
      node_type: prod ? 'cache.m6g.large' : 'cache.t4g.small',
      port: CACHE_PORT,
      num_cache_clusters: prod ? 2 : 1,
      automatic_failover_enabled: prod,
      multi_az_enabled: prod,
      at_rest_encryption_enabled: true,
      transit_encryption_enabled: true,
      subnet_group_name: group.ref('name'),
      security_group_ids: [network.dataSg.ref('id')],
      tags,
    });
  }
  return out;
}
