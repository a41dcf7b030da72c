/**
 * Monthly cost estimate from the offline, versioned price catalog (templates/catalog), per
 * target and region (issue 7). A region the catalog does not know is a field error on
 * `region`: an estimate from the wrong price list would be worse than none.
 */
import type { BlueprintInputs } from '../../api/blueprints.contract.ts';
import { INPUTS_ROOT, invalidInputs } from './inputs.ts';
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

/** Monthly cost lines per environment from the catalog, totalled and checked against the ceiling. */
export function estimateCost(
  store: TemplateStore,
  inputs: BlueprintInputs,
  region: string,
  environments: Array<'staging' | 'prod'>,
  serviceCount: number,
): CostEstimate {
  const catalog = store.data<PriceCatalog>(CATALOG_PATH);
  const prices = catalog.targets[inputs.target]!.regions[region]!;
  const lines: CostLine[] = [];
  const add = (environment: string, item: string, quantity: number): void => {
    const unitMonthly = prices[item] ?? 0;
    if (quantity === 0 || unitMonthly === 0) return;
    lines.push({
      environment,
      item,
      quantity,
      unitMonthly,
      monthly: round2(quantity * unitMonthly),
    });
  };
  for (const env of environments) {
    add(env, 'compute.replica', serviceCount * REPLICAS[env].min);
    add(env, 'cluster', 1);
    add(env, 'loadBalancer', 1);
    if (inputs.db) add(env, `db.${env}`, 1);
    if (inputs.cache) add(env, `cache.${env}`, 1);
    add(env, 'storage', 1);
    // Vault is the team's own; only a platform secret manager is billed per secret.
    if (inputs.secrets === 'platform') add(env, 'secret', serviceCount);
    if (inputs.dnsDomain) add(env, 'dns.zone', 1);
    if (inputs.dnsDomain && inputs.tls) add(env, 'tls', 1);
    if (inputs.cdnWaf) add(env, 'cdnWaf', 1);
  }
  const totalMonthly = round2(lines.reduce((sum, line) => sum + line.monthly, 0));
  const ceiling = inputs.costCeilingMonthly ?? null;
  return {
    catalogVersion: catalog.version,
    catalogDate: catalog.date,
    currency: catalog.currency,
    target: inputs.target,
    region,
    lines,
    totalMonthly,
    ceilingMonthly: ceiling,
    withinCeiling: ceiling === null || totalMonthly <= ceiling,
  };
}
