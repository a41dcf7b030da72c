/**
 * Self-hosted modules (targets kubernetes and docker): data stores run on the team's own
 * platform from pinned images, DNS records go to the internal DNS server over RFC 2136, TLS
 * certificates and secrets come from Vault. There is no managed CDN/WAF here; the plan says so.
 */
import { TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { idOf, isProd, type StackContext } from './stack-context.ts';
import { resourceType, type Attributes } from './typed-resource.ts';

export const KubernetesNamespace = resourceType<{ metadata: Attributes }>(
  'kubernetes_namespace_v1',
  'kubernetes',
);
export const HelmRelease = resourceType<
  Attributes & { name: string; chart: string; repository: string; version: string }
>('helm_release', 'helm');
export const DockerNetwork = resourceType<{ name: string; internal: boolean }>(
  'docker_network',
  'docker',
);
export const DockerVolume = resourceType<{ name: string }>('docker_volume', 'docker');
export const DockerContainer = resourceType<Attributes & { name: string; image: string }>(
  'docker_container',
  'docker',
);
export const DnsARecordSet = resourceType<{
  zone: string;
  name: string;
  addresses: string[];
  ttl: number;
}>('dns_a_record_set', 'dns');
export const VaultPkiCert = resourceType<{
  backend: string;
  name: string;
  common_name: string;
  alt_names: string[];
  ttl: string;
  auto_renew: boolean;
}>('vault_pki_secret_backend_cert', 'vault');
export const VaultMount = resourceType<{
  path: string;
  type: string;
  options: Attributes;
  description: string;
}>('vault_mount', 'vault');
export const VaultPolicy = resourceType<{ name: string; policy: string }>('vault_policy', 'vault');

function postgresImage(ctx: StackContext): string {
  const major = ctx.inputs.db?.version.split('.')[0] ?? '16';
  const image = ctx.images[`postgres-${major}`];
  if (image) return image;
  ctx.notes.push(
    `db: postgres ${major} is not in the mirror's pin table; postgres 16 is planned instead`,
  );
  return ctx.images['postgres-16']!;
}

/** Adds the Kubernetes or Docker modules for one environment to `stack`. */
export function selfHostedModules(stack: Construct, ctx: StackContext): void {
  const prod = isProd(ctx);
  const { inputs } = ctx;
  const kubernetes = inputs.target === 'kubernetes';
  const charts = `${inputs.mirror.packages}/charts`;

  const network = new Construct(stack, 'module_network');
  if (kubernetes) {
    new KubernetesNamespace(network, 'network_namespace', {
      metadata: {
        name: ctx.env,
        labels: { 'managed-by': 'prodsprint', 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    });
  } else {
    new DockerNetwork(network, 'network_app', { name: ctx.name, internal: true });
  }

  const store = (
    concern: 'db' | 'cache',
    id: string,
    image: string,
    port: number,
    chart: string,
  ): void => {
    const scope = new Construct(stack, `module_${concern}`);
    if (kubernetes) {
      new HelmRelease(scope, `${concern}_${id}`, {
        name: `${ctx.name}-${id}`,
        namespace: ctx.env,
        repository: charts,
        chart,
        version: chart === 'postgresql' ? '16.2.5' : '20.4.0',
        set: [
          { name: 'global.imageRegistry', value: inputs.mirror.registry },
          { name: 'primary.persistence.size', value: prod ? '50Gi' : '8Gi' },
          { name: 'auth.existingSecret', value: `${id}-auth` },
        ],
      });
    } else {
      const volume = new DockerVolume(scope, `${concern}_${id}_data`, {
        name: `${ctx.name}-${id}`,
      });
      new DockerContainer(scope, `${concern}_${id}`, {
        name: `${ctx.name}-${id}`,
        image,
        restart: 'unless-stopped',
        // The official postgres and redis images run as uid 999 once initialised.
        user: '999:999',
        read_only: false,
        networks_advanced: [{ name: ctx.name }],
        volumes: [
          {
            volume_name: volume.ref('name'),
            container_path: concern === 'db' ? '/var/lib/postgresql/data' : '/data',
          },
        ],
        env: concern === 'db' ? ['POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password'] : [],
        healthcheck: {
          test:
            concern === 'db'
              ? ['CMD', 'pg_isready', '-U', 'postgres']
              : ['CMD', 'redis-cli', 'ping'],
          interval: '10s',
          retries: 5,
        },
        ports: [],
        labels: [
          { label: 'managed-by', value: 'prodsprint' },
          { label: 'port', value: String(port) },
        ],
      });
    }
  };
  if (inputs.db) store('db', 'postgres', postgresImage(ctx), 5432, 'postgresql');
  if (inputs.cache) store('cache', 'redis', ctx.images.redis!, 6379, 'redis');

  if (inputs.dnsDomain) {
    const dns = new Construct(stack, 'module_dns');
    const ingress = new TerraformVariable(stack, 'dns_ingress_address', {
      type: 'string',
      description: 'Address of the ingress or HAProxy the hosts resolve to',
    });
    for (const service of ctx.services) {
      new DnsARecordSet(dns, `dns_${idOf(service.slug)}`, {
        zone: `${inputs.dnsDomain}.`,
        name:
          service.host === inputs.dnsDomain
            ? '@'
            : service.host.slice(0, -(inputs.dnsDomain.length + 1)),
        addresses: [ingress.stringValue],
        ttl: 300,
      });
    }
    if (inputs.tls) {
      const tls = new Construct(stack, 'module_tls');
      for (const service of ctx.services) {
        new VaultPkiCert(tls, `tls_${idOf(service.slug)}`, {
          backend: 'pki_int',
          name: 'service',
          common_name: service.host,
          alt_names: [],
          ttl: '720h',
          auto_renew: true,
        });
      }
    }
  }
  if (inputs.cdnWaf) {
    ctx.notes.push(
      `cdn/waf: ${inputs.target} has no managed CDN or WAF; put ModSecurity rules on the ingress or HAProxy`,
    );
  }

  vaultSecrets(stack, ctx);
}

/** A KV v2 mount per stack and a read-only policy per service: secrets never enter state. */
export function vaultSecrets(stack: Construct, ctx: StackContext): void {
  const secrets = new Construct(stack, 'module_secrets');
  const mount = new VaultMount(secrets, 'secrets_kv', {
    path: `${ctx.name}-kv`,
    type: 'kv',
    options: { version: '2' },
    description: `${ctx.name} service secrets`,
  });
  for (const service of ctx.services) {
    new VaultPolicy(secrets, `secrets_${idOf(service.slug)}_read`, {
      name: `${ctx.name}-${service.slug}-read`,
      policy: `path "${mount.ref('path')}/data/${service.slug}/*" {\n  capabilities = ["read"]\n}\n`,
    });
  }
}
