/**
 * Typed constructs for the Google Cloud resource types the blueprint emits (issues 7, 15). The
 * google provider is not in this build machine's provider mirror, so `terraform validate` checks
 * them only where a mirror holds hashicorp/google; the attribute names follow its 6.x schema.
 */
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
export const GoogleComputeRouter = r<{ name: string; network: string; region: string }>(
  'google_compute_router',
);
export const GoogleComputeRouterNat = r<
  Attributes & { name: string; router: string; region: string }
>('google_compute_router_nat');
export const GoogleComputeGlobalAddress = r<Attributes & { name: string }>(
  'google_compute_global_address',
);
export const GoogleServiceNetworkingConnection = r<{
  network: string;
  service: string;
  reserved_peering_ranges: string[];
}>('google_service_networking_connection');
export const GoogleArtifactRegistryRepository = r<
  Attributes & { location: string; repository_id: string; format: 'DOCKER' }
>('google_artifact_registry_repository');
export const GoogleServiceAccount = r<{ account_id: string; display_name: string }>(
  'google_service_account',
);
export const GoogleServiceAccountIamMember = r<{
  service_account_id: string;
  role: string;
  member: string;
}>('google_service_account_iam_member');
export const GoogleSqlDatabaseInstance = r<
  Attributes & { name: string; database_version: string; region: string }
>('google_sql_database_instance');
export const GoogleSqlDatabase = r<{ name: string; instance: string }>('google_sql_database');
export const GoogleRedisInstance = r<
  Attributes & { name: string; memory_size_gb: number; region: string }
>('google_redis_instance');
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
export const GoogleSecretManagerSecretIamMember = r<{
  secret_id: string;
  role: string;
  member: string;
}>('google_secret_manager_secret_iam_member');
export const GoogleCloudRunV2Service = r<Attributes & { name: string; location: string }>(
  'google_cloud_run_v2_service',
);
export const GoogleContainerCluster = r<Attributes & { name: string; location: string }>(
  'google_container_cluster',
);
