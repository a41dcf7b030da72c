/**
 * Managed data stores on Google Cloud (issue 15): Cloud SQL for PostgreSQL on a private IP
 * (private services access: a reserved range peered with Google's network) with the app's
 * database, and Memorystore for Redis with TLS in transit and AUTH, both on the stack's VPC.
 */
import { Construct } from 'constructs';
import {
  GoogleComputeGlobalAddress,
  GoogleRedisInstance,
  GoogleServiceNetworkingConnection,
  GoogleSqlDatabase,
  GoogleSqlDatabaseInstance,
} from './google-resources.ts';
import { isProd, type StackContext } from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

export interface GoogleStores {
  db?: TypedResource<Attributes>;
  cache?: TypedResource<Attributes>;
}

/** Adds the db and cache modules the inputs ask for. */
export function dataStores(
  stack: Construct,
  ctx: StackContext,
  vpc: TypedResource<Attributes>,
  labels: Record<string, string>,
): GoogleStores {
  const prod = isProd(ctx);
  const { inputs } = ctx;
  const out: GoogleStores = {};
  if (inputs.db) {
    const db = new Construct(stack, 'module_db');
    // Cloud SQL's private IP lives in a peered Google network: reserve a range and peer.
    const range = new GoogleComputeGlobalAddress(db, 'db_private_range', {
      name: `${ctx.name}-sql-range`,
      purpose: 'VPC_PEERING',
      address_type: 'INTERNAL',
      prefix_length: 20,
      network: vpc.ref('id'),
    });
    const peering = new GoogleServiceNetworkingConnection(db, 'db_private_access', {
      network: vpc.ref('id'),
      service: 'servicenetworking.googleapis.com',
      reserved_peering_ranges: [range.ref('name')],
    });
    const instance = new GoogleSqlDatabaseInstance(db, 'db_postgres', {
      name: `${ctx.name}-postgres`,
      database_version: `POSTGRES_${inputs.db.version.split('.')[0]}`,
      region: ctx.region,
      deletion_protection: prod,
      settings: {
        tier: prod ? 'db-custom-2-7680' : 'db-custom-1-3840',
        availability_type: prod ? 'REGIONAL' : 'ZONAL',
        ip_configuration: {
          ipv4_enabled: false,
          private_network: vpc.ref('id'),
          ssl_mode: 'ENCRYPTED_ONLY',
        },
        backup_configuration: { enabled: true, point_in_time_recovery_enabled: prod },
        user_labels: labels,
      },
    });
    instance.dependsOn = [`${peering.terraformResourceType}.${peering.friendlyUniqueId}`];
    new GoogleSqlDatabase(db, 'db_app', { name: 'app', instance: instance.ref('name') });
    out.db = instance;
    ctx.notes.push(
      'db: Cloud SQL has no managed password here; create the app user (IAM database authentication or a password kept in Secret Manager) before the first deploy',
    );
  }
  if (inputs.cache) {
    out.cache = new GoogleRedisInstance(new Construct(stack, 'module_cache'), 'cache_redis', {
      name: `${ctx.name}-redis`,
      tier: prod ? 'STANDARD_HA' : 'BASIC',
      memory_size_gb: prod ? 5 : 1,
      region: ctx.region,
      authorized_network: vpc.ref('id'),
      transit_encryption_mode: 'SERVER_AUTHENTICATION',
      auth_enabled: true,
      labels,
    });
  }
  return out;
}
