/**
 * Google Cloud modules (targets cloudrun and gke): the same concerns as AWS with Google's
 * resource types; Cloud Armor stands in for the WAF.
 */
import { TerraformOutput, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { vaultSecrets } from './self-hosted.ts';
import { idOf, isProd, tagsOf, type StackContext } from './stack-context.ts';
import { resourceType, type Attributes, type ResourceClass } from './typed-resource.ts';

const r = <C extends Attributes>(type: string): ResourceClass<C> => resourceType<C>(type, 'google');

export const GoogleComputeNetwork = r<{ name: string; auto_create_subnetworks: false }>(
  'google_compute_network',
);
export const GoogleComputeSubnetwork = r<{
  name: string;
  network: string;
  ip_cidr_range: string;
  region: string;
  private_ip_google_access: true;
}>('google_compute_subnetwork');
export const GoogleSqlDatabaseInstance = r<
  Attributes & { name: string; database_version: string; region: string }
>('google_sql_database_instance');
export const GoogleRedisInstance = r<
  Attributes & { name: string; memory_size_gb: number; region: string }
>('google_redis_instance');
export const GoogleStorageBucket = r<Attributes & { name: string; location: string }>(
  'google_storage_bucket',
);
export const GoogleComputeGlobalAddress = r<{ name: string }>('google_compute_global_address');
export const GoogleDnsRecordSet = r<{
  managed_zone: string;
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}>('google_dns_record_set');
export const GoogleComputeManagedSslCertificate = r<{
  name: string;
  managed: { domains: string[] };
}>('google_compute_managed_ssl_certificate');
export const GoogleComputeSecurityPolicy = r<Attributes & { name: string }>(
  'google_compute_security_policy',
);
export const GoogleSecretManagerSecret = r<{
  secret_id: string;
  replication: Attributes;
  labels: Attributes;
}>('google_secret_manager_secret');
export const GoogleCloudRunV2Service = r<Attributes & { name: string; location: string }>(
  'google_cloud_run_v2_service',
);
export const GoogleContainerCluster = r<Attributes & { name: string; location: string }>(
  'google_container_cluster',
);

/** Google labels allow lower-case keys and values only. */
function labelsOf(ctx: StackContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tagsOf(ctx)).map(([k, v]) => [k.replace(/[^a-z0-9_-]/g, '_'), v]),
  );
}

/** Adds the Google Cloud modules for one environment to `stack`. */
export function googleModules(stack: Construct, ctx: StackContext): void {
  const labels = labelsOf(ctx);
  const prod = isProd(ctx);
  const { inputs } = ctx;

  const network = new Construct(stack, 'module_network');
  const vpc = new GoogleComputeNetwork(network, 'network_vpc', {
    name: ctx.name,
    auto_create_subnetworks: false,
  });
  const subnet = new GoogleComputeSubnetwork(network, 'network_private', {
    name: `${ctx.name}-private`,
    network: vpc.ref('id'),
    ip_cidr_range: '10.30.0.0/20',
    region: ctx.region,
    private_ip_google_access: true,
  });

  if (inputs.db) {
    const db = new Construct(stack, 'module_db');
    new GoogleSqlDatabaseInstance(db, 'db_postgres', {
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
  }
  if (inputs.cache) {
    const cache = new Construct(stack, 'module_cache');
    new GoogleRedisInstance(cache, 'cache_redis', {
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

  const storage = new Construct(stack, 'module_storage');
  new GoogleStorageBucket(storage, 'storage_assets', {
    name: `${ctx.name}-assets`,
    location: ctx.region,
    uniform_bucket_level_access: true,
    public_access_prevention: 'enforced',
    versioning: { enabled: true },
    force_destroy: !prod,
    labels,
  });

  if (inputs.dnsDomain) {
    const dns = new Construct(stack, 'module_dns');
    const zone = new TerraformVariable(stack, 'dns_managed_zone', {
      type: 'string',
      description: 'Cloud DNS managed zone that holds the domain',
    });
    const address = new GoogleComputeGlobalAddress(dns, 'dns_address', {
      name: `${ctx.name}-ingress`,
    });
    for (const service of ctx.services) {
      new GoogleDnsRecordSet(dns, `dns_${idOf(service.slug)}`, {
        managed_zone: zone.stringValue,
        name: `${service.host}.`,
        type: 'A',
        ttl: 300,
        rrdatas: [address.ref('address')],
      });
    }
    if (inputs.tls) {
      const tls = new Construct(stack, 'module_tls');
      new GoogleComputeManagedSslCertificate(tls, 'tls_certificate', {
        name: `${ctx.name}-cert`,
        managed: { domains: ctx.services.map((s) => s.host).sort() },
      });
    }
  }
  if (inputs.cdnWaf) {
    const waf = new Construct(stack, 'module_cdn_waf');
    new GoogleComputeSecurityPolicy(waf, 'cdn_waf_policy', {
      name: `${ctx.name}-armor`,
      rule: [
        {
          action: 'deny(403)',
          priority: 1000,
          match: {
            expr: {
              expression:
                "evaluatePreconfiguredWaf('sqli-v33-stable') || evaluatePreconfiguredWaf('xss-v33-stable')",
            },
          },
          description: 'OWASP SQLi and XSS',
        },
        {
          action: 'allow',
          priority: 2147483647,
          match: { versioned_expr: 'SRC_IPS_V1', config: { src_ip_ranges: ['*'] } },
          description: 'default',
        },
      ],
    });
  }

  if (inputs.secrets === 'vault') {
    vaultSecrets(stack, ctx);
  } else {
    const secrets = new Construct(stack, 'module_secrets');
    for (const service of ctx.services) {
      new GoogleSecretManagerSecret(secrets, `secrets_${idOf(service.slug)}`, {
        secret_id: `${ctx.name}-${service.slug}-env`,
        replication: { auto: {} },
        labels,
      });
    }
  }

  const compute = new Construct(stack, 'module_compute');
  if (inputs.target === 'cloudrun') {
    for (const service of ctx.services) {
      new GoogleCloudRunV2Service(compute, `compute_${idOf(service.slug)}`, {
        name: `${ctx.name}-${service.slug}`,
        location: ctx.region,
        ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
        deletion_protection: prod,
        template: {
          scaling: { min_instance_count: prod ? 2 : 1, max_instance_count: prod ? 10 : 3 },
          vpc_access: {
            network_interfaces: [{ network: vpc.ref('id'), subnetwork: subnet.ref('id') }],
            egress: 'ALL_TRAFFIC',
          },
          containers: [
            {
              image: `${service.image}:release`,
              ports: { container_port: service.port },
              startup_probe: { http_get: { path: service.healthPath } },
              liveness_probe: { http_get: { path: service.healthPath } },
            },
          ],
        },
        labels,
      });
    }
  } else {
    new GoogleContainerCluster(compute, 'compute_cluster', {
      name: ctx.name,
      location: ctx.region,
      enable_autopilot: true,
      network: vpc.ref('id'),
      subnetwork: subnet.ref('id'),
      deletion_protection: prod,
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true },
      release_channel: { channel: 'STABLE' },
      resource_labels: labels,
    });
  }
  new TerraformOutput(stack, 'network_id', { value: vpc.ref('id') });
}
