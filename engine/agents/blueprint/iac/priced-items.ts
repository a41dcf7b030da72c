/**
 * Which price-catalog items a planned resource is billed as (issue 15): the cost is priced from
 * what the plan creates, read from its planned values (instance class, node count, replicas),
 * not from the inputs. Resource types billed only by usage (log ingestion, registry storage,
 * data transfer) are listed as unpriced instead of guessed; types not billed at all (VPCs,
 * subnets, roles, security groups, routes) have no items.
 */
import type { PlannedResource } from './plan-json.ts';

export interface PricedItem {
  item: string;
  quantity: number;
}

/** A block as the plan JSON (a list) or the configuration (an object) holds it. */
function block(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
}

const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

const one = (item: string): PricedItem[] => [{ item, quantity: 1 }];

/** `db_postgres` → `db`: the concern prefix every module gives its resources' names. */
const concernOf = (address: string): string => address.split('.')[1]?.split('_')[0] ?? '';

type Rule = (values: Record<string, unknown>, r: PlannedResource) => PricedItem[];

const RULES: Record<string, Rule> = {
  // AWS
  aws_ecs_cluster: () => one('cluster'),
  aws_eks_cluster: () => one('cluster'),
  aws_ecs_service: (v) => [{ item: 'compute.replica', quantity: num(v.desired_count, 1) }],
  aws_lb: () => one('loadBalancer'),
  aws_db_instance: (v) => {
    const copies = v.multi_az === true ? 2 : 1;
    const items: PricedItem[] = [
      { item: `db.instance:${String(v.instance_class)}`, quantity: copies },
      { item: 'db.storage.gb', quantity: num(v.allocated_storage, 20) * copies },
    ];
    // RDS keeps a managed master password in a Secrets Manager secret of its own.
    if (v.manage_master_user_password === true) items.push({ item: 'secret', quantity: 1 });
    return items;
  },
  aws_elasticache_replication_group: (v) => [
    { item: `cache.node:${String(v.node_type)}`, quantity: num(v.num_cache_clusters, 1) },
  ],
  aws_secretsmanager_secret: () => one('secret'),
  aws_vpc_endpoint: (v) =>
    v.vpc_endpoint_type === 'Interface'
      ? [{ item: 'vpcEndpoint', quantity: Array.isArray(v.subnet_ids) ? v.subnet_ids.length : 1 }]
      : [],
  aws_nat_gateway: () => one('natGateway'),
  aws_wafv2_web_acl: () => one('cdnWaf'),
  aws_service_discovery_private_dns_namespace: () => one('dns.zone'),
  // Google Cloud
  google_container_cluster: () => one('cluster'),
  google_sql_database_instance: (v) => {
    const settings = block(v.settings);
    return [
      {
        item: `db.instance:${String(settings.tier)}`,
        quantity: settings.availability_type === 'REGIONAL' ? 2 : 1,
      },
    ];
  },
  google_redis_instance: (v) => [
    { item: `cache.gb:${String(v.tier ?? 'BASIC')}`, quantity: num(v.memory_size_gb, 1) },
  ],
  google_secret_manager_secret: () => one('secret'),
  google_compute_security_policy: () => one('cdnWaf'),
  google_compute_router_nat: () => one('nat'),
  google_cloud_run_v2_service: (v) => [
    {
      item: 'compute.replica',
      quantity: num(block(block(v.template).scaling).min_instance_count, 1),
    },
  ],
  // Self-hosted and PaaS: priced per environment by concern (internal chargeback, plan tiers).
  helm_release: (_v, r) => byConcern(r),
  docker_container: (_v, r) => byConcern(r),
  render_postgres: (_v, r) => one(`db.${r.environment}`),
  render_redis: (_v, r) => one(`cache.${r.environment}`),
  render_web_service: (v) => [{ item: 'compute.replica', quantity: num(v.num_instances, 1) }],
  vercel_project: () => one('compute.replica'),
};

function byConcern(r: PlannedResource): PricedItem[] {
  const concern = concernOf(r.address);
  return concern === 'db' || concern === 'cache' ? one(`${concern}.${r.environment}`) : [];
}

/** Types billed by usage only: shown as unpriced so the estimate does not look complete. */
const USAGE_BILLED: Record<string, string> = {
  aws_cloudwatch_log_group: 'CloudWatch Logs (per GB ingested and stored)',
  aws_ecr_repository: 'ECR (per GB stored)',
  aws_lb: 'load balancer capacity units and data transfer',
  google_artifact_registry_repository: 'Artifact Registry (per GB stored)',
  google_compute_router_nat: 'Cloud NAT data processing (per GB)',
};

/** Catalog items a planned resource is billed as. */
export function pricedItems(resource: PlannedResource): PricedItem[] {
  const rule = RULES[resource.type];
  return rule ? rule(resource.values, resource).filter((i) => i.quantity > 0) : [];
}

/** What is billed by usage among these resources, one line per kind, sorted. */
export function usageBilled(resources: PlannedResource[]): string[] {
  return [
    ...new Set(resources.map((r) => USAGE_BILLED[r.type]).filter((t): t is string => !!t)),
  ].sort();
}
