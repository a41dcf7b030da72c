/**
 * Google Cloud modules (targets cloudrun and gke), issues 7 and 15: a VPC with Private Google
 * Access and Cloud NAT, private services access for Cloud SQL, an Artifact Registry repository
 * for the images, a service account per service (bound to its Kubernetes service account through
 * Workload Identity on GKE) that alone may read that service's secrets, the data stores, and
 * compute. Cloud Run services get their variables wired to the planned stores and their secrets
 * by reference; on GKE the manifests deliver them (the plan notes what they need).
 */
import { TerraformOutput } from 'cdktn';
import { Construct } from 'constructs';
import { cloudRun, gkeCluster, gkeEdge } from './google-compute.ts';
import { dataStores } from './google-data.ts';
import {
  GoogleArtifactRegistryRepository,
  GoogleComputeNetwork,
  GoogleComputeRouter,
  GoogleComputeRouterNat,
  GoogleComputeSubnetwork,
  GoogleSecretManagerSecret,
  GoogleSecretManagerSecretIamMember,
  GoogleServiceAccount,
  GoogleServiceAccountIamMember,
} from './google-resources.ts';
import { vaultSecrets } from './self-hosted.ts';
import { envSourceOf, unplannedStoreVars, type EnvRole } from './service-env.ts';
import {
  boundedName,
  idOf,
  tagsOf,
  type StackContext,
  type StackService,
} from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

/** Google labels allow lower-case keys and values only. */
function labelsOf(ctx: StackContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tagsOf(ctx)).map(([k, v]) => [k.replace(/[^a-z0-9_-]/g, '_'), v]),
  );
}

/** A service account id: 6 to 30 characters, a letter first. */
function accountId(slug: string, env: string): string {
  const id = boundedName(
    `${/^[a-z]/.test(slug) ? '' : 'svc-'}${slug}-${env === 'prod' ? 'prod' : 'stg'}`,
    30,
  );
  return id.length >= 6 ? id : `svc-${id}`;
}

/** Roles the platform cannot fill on Google: the password, and a Redis URL that carries AUTH. */
const PERSON_FILLED = new Set<EnvRole>(['db-user', 'db-password', 'cache-url']);

/** Variables of `service` that come from Secret Manager (one secret each). */
function secretNames(ctx: StackContext, service: StackService): string[] {
  const stores = { db: ctx.inputs.db !== undefined, cache: ctx.inputs.cache !== undefined };
  return service.envVars
    .filter((name) => {
      const source = envSourceOf(name, stores);
      return (
        source.kind === 'secret' || (source.kind === 'wired' && PERSON_FILLED.has(source.role))
      );
    })
    .sort();
}

/** Adds the Google Cloud modules for one environment to `stack`. */
export function googleModules(stack: Construct, ctx: StackContext): void {
  const labels = labelsOf(ctx);
  const { inputs } = ctx;
  const gke = inputs.target === 'gke';

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
  // Private nodes and Cloud Run egress have no external address: outbound traffic leaves through NAT.
  const router = new GoogleComputeRouter(network, 'network_router', {
    name: `${ctx.name}-router`,
    network: vpc.ref('id'),
    region: ctx.region,
  });
  new GoogleComputeRouterNat(network, 'network_nat', {
    name: `${ctx.name}-nat`,
    router: router.ref('name'),
    region: ctx.region,
    nat_ip_allocate_option: 'AUTO_ONLY',
    source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    log_config: { enable: true, filter: 'ERRORS_ONLY' },
  });

  new GoogleArtifactRegistryRepository(new Construct(stack, 'module_registry'), 'registry_images', {
    location: ctx.region,
    repository_id: ctx.name,
    format: 'DOCKER',
    description: `${ctx.name} images, pushed from the internal registry by the release`,
    docker_config: { immutable_tags: true },
    labels,
  });
  const imagePath = `${ctx.region}-docker.pkg.dev/\${var.project_id}/${ctx.name}`;
  new TerraformOutput(stack, 'registry_path', { value: imagePath });

  const stores = dataStores(stack, ctx, vpc, labels);
  const identity = new Construct(stack, 'module_iam');
  const accounts = new Map<string, TypedResource<Attributes>>();
  for (const service of ctx.services) {
    const account = new GoogleServiceAccount(identity, `iam_${idOf(service.slug)}`, {
      account_id: accountId(service.slug, ctx.env),
      display_name: `${service.slug} (${ctx.env})`,
    });
    accounts.set(service.slug, account);
    if (gke) {
      new GoogleServiceAccountIamMember(identity, `iam_${idOf(service.slug)}_workload_identity`, {
        service_account_id: account.ref('name'),
        role: 'roles/iam.workloadIdentityUser',
        member: `serviceAccount:\${var.project_id}.svc.id.goog[${ctx.env}/${service.slug}]`,
      });
    }
    const unplanned = unplannedStoreVars(service.envVars, {
      db: inputs.db !== undefined,
      cache: inputs.cache !== undefined,
    });
    if (unplanned.length > 0) {
      ctx.notes.push(
        `${service.slug}: the code reads ${unplanned.join(', ')} but this plan creates no such data store; add db/cache to the inputs or supply them`,
      );
    }
  }

  const secrets = new Map<string, Array<{ name: string; secret: TypedResource<Attributes> }>>();
  if (inputs.secrets === 'vault') {
    vaultSecrets(stack, ctx);
  } else {
    let scope: Construct | undefined;
    for (const service of ctx.services) {
      const names = secretNames(ctx, service);
      const list = names.map((name) => {
        scope ??= new Construct(stack, 'module_secrets');
        const id = `secrets_${idOf(service.slug)}_${name.toLowerCase()}`;
        const secret = new GoogleSecretManagerSecret(scope, id, {
          secret_id: `${ctx.name}-${service.slug}-${name}`,
          replication: { auto: {} },
          labels,
        });
        new GoogleSecretManagerSecretIamMember(scope, `${id}_reader`, {
          secret_id: secret.ref('id'),
          role: 'roles/secretmanager.secretAccessor',
          member: `serviceAccount:${accounts.get(service.slug)!.ref('email')}`,
        });
        return { name, secret };
      });
      secrets.set(service.slug, list);
      if (names.length > 0) {
        ctx.notes.push(
          `${service.slug}: add a version to the Secret Manager secrets ${names.map((n) => `${ctx.name.slice(0, -(ctx.env.length + 1))}-<env>-${service.slug}-${n}`).join(', ')} before the first deploy`,
        );
      }
    }
  }

  if (gke) {
    gkeCluster(stack, ctx, vpc, subnet, labels);
    gkeEdge(stack, ctx);
  } else {
    cloudRun(stack, ctx, { vpc, subnet, stores, accounts, secrets, imagePath, labels });
  }
  new TerraformOutput(stack, 'network_id', { value: vpc.ref('id') });
}
