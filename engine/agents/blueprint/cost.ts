/**
 * Monthly cost estimate from the offline, versioned price catalog (templates/catalog), per
 * target and region (issues 7, 15). Priced from what the plan creates: each resource Terraform
 * plans (or, when `terraform plan` did not run, each resource the stack configures) is billed as
 * the catalog items its planned values name (iac/priced-items.ts). Replicas that run from the
 * Kubernetes manifests or on the Docker target, not from Terraform, are priced from the
 * manifests' minimum. A region the catalog does not know is a field error on `region`: an
 * estimate from the wrong price list would be worse than none.
 */
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { INPUTS_ROOT, invalidInputs } from './inputs.ts';
import type { PlannedResource } from './iac/plan-json.ts';
import { pricedItems, usageBilled } from './iac/priced-items.ts';
import type { CostEstimate, CostLine } from './plan-model.ts';
import { REPLICAS } from './render-k8s.ts';
import type { TemplateStore } from './template-store.ts';

export interface PriceCatalog {
  version: string;
  date: string;
  currency: string;
  targets: Record<string, { unit: string; regions: Record<string, Record<string, number>> }>;
}

export const CATALOG_PATH = 'catalog/prices.json';

/** Targets whose workloads run from manifests (or the Docker target), not from Terraform. */
const COMPUTE_OUTSIDE_TERRAFORM = new Set(['kubernetes', 'docker', 'gke', 'eks']);
/** Of those, the ones whose ingress controller provisions a load balancer per environment. */
const INGRESS_LOAD_BALANCER = new Set(['kubernetes', 'gke', 'eks']);

/** The region to price and build in: the user's, or the catalog's first for the target. */
export function resolveRegion(catalog: PriceCatalog, inputs: BlueprintInputs): string {
  const regions = Object.keys(catalog.targets[inputs.target]?.regions ?? {});
  const region = inputs.region ?? regions[0];
  if (!region || !regions.includes(region)) {
    throw invalidInputs([
      {
        field: `${INPUTS_ROOT}.region`,
        message: `unknown region for ${inputs.target}; the price catalog ${catalog.version} has: ${regions.join(', ')}`,
      },
    ]);
  }
  return region;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** What the estimate prices: the resources each environment's plan leaves in place. */
export interface PlannedInfra {
  resources: PlannedResource[];
  /** Where the resources were read from, said in the estimate (`terraform plan JSON`, …). */
  basis: string;
}

/** Monthly cost lines per environment, totalled and checked against the ceiling. */
export function estimateCost(
  store: TemplateStore,
  inputs: BlueprintInputs,
  region: string,
  environments: Array<'staging' | 'prod'>,
  serviceCount: number,
  planned: PlannedInfra,
): CostEstimate {
  const catalog = store.data<PriceCatalog>(CATALOG_PATH);
  const prices = catalog.targets[inputs.target]!.regions[region]!;
  const lines: CostLine[] = [];
  const unpriced = new Set(usageBilled(planned.resources));
  for (const env of environments) {
    const quantities = new Map<string, number>();
    const add = (item: string, quantity: number) =>
      quantities.set(item, (quantities.get(item) ?? 0) + quantity);
    for (const resource of planned.resources.filter((r) => r.environment === env)) {
      for (const { item, quantity } of pricedItems(resource)) add(item, quantity);
    }
    if (COMPUTE_OUTSIDE_TERRAFORM.has(inputs.target)) {
      add('compute.replica', serviceCount * REPLICAS[env].min);
      if (INGRESS_LOAD_BALANCER.has(inputs.target) && serviceCount > 0) add('loadBalancer', 1);
    }
    for (const item of [...quantities.keys()].sort()) {
      const quantity = quantities.get(item)!;
      const unitMonthly = prices[item];
      if (unitMonthly === undefined) {
        unpriced.add(`${item} (not in the price catalog ${catalog.version})`);
        continue;
      }
      // A zero price is a free item (an ECS cluster, an ACM certificate): no line.
      if (quantity === 0 || unitMonthly === 0) continue;
      lines.push({
        environment: env,
        item,
        quantity,
        unitMonthly,
        monthly: round2(quantity * unitMonthly),
      });
    }
  }
  const totalMonthly = round2(lines.reduce((sum, line) => sum + line.monthly, 0));
  const ceiling = inputs.costCeilingMonthly ?? null;
  return {
    catalogVersion: catalog.version,
    catalogDate: catalog.date,
    currency: catalog.currency,
    target: inputs.target,
    region,
    basis: planned.basis,
    lines,
    unpriced: [...unpriced].sort(),
    totalMonthly,
    ceilingMonthly: ceiling,
    withinCeiling: ceiling === null || totalMonthly <= ceiling,
  };
}
