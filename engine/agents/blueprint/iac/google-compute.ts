/**
 * Google Cloud compute (issue 15): a GKE Autopilot cluster with private nodes whose API only the
 * CI runners and operators reach, its edge (static address, DNS, managed certificate, Cloud
 * Armor) for the Ingress to use; or Cloud Run services running as their own service accounts,
 * with the variables the code reads wired to the planned stores and secrets by reference, and
 * startup probes on the health route (TCP when the service has none).
 */
import { TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import type { GoogleStores } from './google-data.ts';
import {
  GoogleCloudRunV2Service,
  GoogleComputeGlobalAddress,
  GoogleComputeManagedSslCertificate,
  GoogleComputeSecurityPolicy,
  GoogleContainerCluster,
  GoogleDnsRecordSet,
} from './google-resources.ts';
import { envSourceOf, type EnvRole } from './service-env.ts';
import { idOf, isProd, type StackContext } from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

/** Adds the GKE cluster module. */
export function gkeCluster(
  stack: Construct,
  ctx: StackContext,
  vpc: TypedResource<Attributes>,
  subnet: TypedResource<Attributes>,
  labels: Record<string, string>,
): void {
  const controlPlane = new TerraformVariable(stack, 'control_plane_cidr', {
    type: 'string',
    description: 'CIDR of the CI runners and operators that reach the Kubernetes API',
  });
  // Autopilot: private nodes, Workload Identity always on; the API is reachable from CI only.
  new GoogleContainerCluster(new Construct(stack, 'module_compute'), 'compute_cluster', {
    name: ctx.name,
    location: ctx.region,
    enable_autopilot: true,
    network: vpc.ref('id'),
    subnetwork: subnet.ref('id'),
    deletion_protection: isProd(ctx),
    ip_allocation_policy: {},
    private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false },
    master_authorized_networks_config: {
      cidr_blocks: [{ cidr_block: controlPlane.stringValue, display_name: 'ci and operators' }],
    },
    release_channel: { channel: 'STABLE' },
    resource_labels: labels,
  });
  ctx.notes.push(
    'gke: annotate each Kubernetes service account with iam.gke.io/gcp-service-account (its Google service account), reference images in Artifact Registry (output registry_path), and install Argo Rollouts, cert-manager and External Secrets (or the Secret Manager CSI driver) before the first release; none of these is planned here',
  );
}

/** Adds the dns, tls and cdn_waf modules the GKE Ingress uses. */
export function gkeEdge(stack: Construct, ctx: StackContext): void {
  const { inputs } = ctx;
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
      new GoogleDnsRecordSet(
        new Construct(dns, `service_${service.slug}`),
        `dns_${idOf(service.slug)}`,
        {
          managed_zone: zone.stringValue,
          name: `${service.host}.`,
          type: 'A',
          ttl: 300,
          rrdatas: [address.ref('address')],
        },
      );
    }
    ctx.notes.push(
      `gke: the Ingress takes the static address ${ctx.name.slice(0, -(ctx.env.length + 1))}-<env>-ingress (annotation kubernetes.io/ingress.global-static-ip-name)`,
    );
    if (inputs.tls) {
      new GoogleComputeManagedSslCertificate(
        new Construct(stack, 'module_tls'),
        'tls_certificate',
        {
          name: `${ctx.name}-cert`,
          managed: { domains: ctx.services.map((s) => s.host).sort() },
        },
      );
      ctx.notes.push(
        'gke: the Ingress uses the managed certificate through annotation ingress.gcp.kubernetes.io/pre-shared-cert',
      );
    }
  }
  if (inputs.cdnWaf) {
    new GoogleComputeSecurityPolicy(
      new Construct(stack, 'module_cdn_waf'),
      'cdn_waf_policy',
      armorPolicy(ctx),
    );
    ctx.notes.push(
      'gke: attach the Cloud Armor policy to the Ingress backends through a BackendConfig (securityPolicy)',
    );
  }
}

export interface CloudRunParts {
  vpc: TypedResource<Attributes>;
  subnet: TypedResource<Attributes>;
  stores: GoogleStores;
  accounts: Map<string, TypedResource<Attributes>>;
  secrets: Map<string, Array<{ name: string; secret: TypedResource<Attributes> }>>;
  imagePath: string;
  labels: Record<string, string>;
}

/** Adds a Cloud Run service per service. */
export function cloudRun(stack: Construct, ctx: StackContext, parts: CloudRunParts): void {
  const prod = isProd(ctx);
  const compute = new Construct(stack, 'module_compute');
  const stores = { db: parts.stores.db !== undefined, cache: parts.stores.cache !== undefined };
  const wired: Partial<Record<EnvRole, string>> = {
    ...(parts.stores.db
      ? {
          'db-host': parts.stores.db.ref('private_ip_address'),
          'db-port': '5432',
          'db-name': 'app',
        }
      : {}),
    ...(parts.stores.cache
      ? {
          'cache-host': parts.stores.cache.ref('host'),
          'cache-port': parts.stores.cache.ref('port'),
        }
      : {}),
  };
  for (const service of ctx.services) {
    const env: Attributes[] = [];
    for (const { name, secret } of parts.secrets.get(service.slug) ?? []) {
      env.push({
        name,
        value_source: { secret_key_ref: { secret: secret.ref('secret_id'), version: 'latest' } },
      });
    }
    for (const name of service.envVars) {
      const source = envSourceOf(name, stores);
      // Cloud Run sets PORT itself from the container port.
      if (source.kind === 'wired' && wired[source.role] !== undefined)
        env.push({ name, value: wired[source.role] });
    }
    const probe = service.healthPath
      ? { http_get: { path: service.healthPath } }
      : { tcp_socket: { port: service.port } };
    new GoogleCloudRunV2Service(compute, `compute_${idOf(service.slug)}`, {
      name: `${ctx.name}-${service.slug}`,
      location: ctx.region,
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      deletion_protection: prod,
      template: {
        service_account: parts.accounts.get(service.slug)!.ref('email'),
        scaling: { min_instance_count: prod ? 2 : 1, max_instance_count: prod ? 10 : 3 },
        vpc_access: {
          network_interfaces: [
            { network: parts.vpc.ref('id'), subnetwork: parts.subnet.ref('id') },
          ],
          egress: 'ALL_TRAFFIC',
        },
        containers: [
          {
            image: `${parts.imagePath}/${service.slug}@\${var.${idOf(service.slug)}_image}`,
            ports: { container_port: service.port },
            env: env.sort((a, b) => String(a.name).localeCompare(String(b.name))),
            startup_probe: probe,
            ...(service.healthPath ? { liveness_probe: probe } : {}),
          },
        ],
      },
      labels: parts.labels,
    });
    new TerraformVariable(stack, `${idOf(service.slug)}_image`, {
      type: 'string',
      description: `Digest (sha256:…) of the ${service.slug} image in Artifact Registry; the release sets it`,
    });
  }
  const { inputs } = ctx;
  if (inputs.dnsDomain || inputs.cdnWaf) {
    ctx.notes.push(
      'cloudrun: the services accept traffic from an internal load balancer only, and no load balancer (serverless NEG, URL map, certificate, Cloud Armor) is planned: the domain, TLS and WAF choices are not applied yet',
    );
  }
}

function armorPolicy(ctx: StackContext): Attributes & { name: string } {
  return {
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
  };
}
