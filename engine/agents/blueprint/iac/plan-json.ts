/**
 * Reads what `terraform show -json <planfile>` says will happen (issue 15): each managed
 * resource's address, type, actions and planned values, from `resource_changes` (Terraform's "JSON
 * Output Format", format_version 1.x). Pure: the same plan JSON gives the same lists, so the diff
 * and the cost a plan shows are functions of what Terraform actually planned.
 */

/** One managed resource instance as the plan will leave it. */
export interface PlannedResource {
  environment: string;
  /** `aws_lb.lb_app`, as Terraform addresses it. */
  address: string;
  type: string;
  /** Terraform's actions: ["create"], ["update"], ["delete"], ["delete","create"], ["no-op"], … */
  actions: string[];
  /** Planned attribute values (`change.after`); blocks are lists, unknown values absent. */
  values: Record<string, unknown>;
}

interface ResourceChange {
  address?: unknown;
  mode?: unknown;
  type?: unknown;
  change?: { actions?: unknown; after?: unknown } | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The managed resources of a plan JSON document, in address order; data sources left out. */
export function resourceChangesOf(environment: string, planJson: unknown): PlannedResource[] {
  const changes = isObject(planJson) ? planJson.resource_changes : undefined;
  if (!Array.isArray(changes)) return [];
  const out: PlannedResource[] = [];
  for (const raw of changes as ResourceChange[]) {
    if (!isObject(raw) || raw.mode !== 'managed') continue;
    if (typeof raw.address !== 'string' || typeof raw.type !== 'string') continue;
    const change = isObject(raw.change) ? raw.change : {};
    const actions = Array.isArray(change.actions)
      ? change.actions.filter((a): a is string => typeof a === 'string')
      : [];
    const after = change.after;
    out.push({
      environment,
      address: raw.address,
      type: raw.type,
      actions,
      values: isObject(after) ? after : {},
    });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

export interface ChangeCounts {
  add: string[];
  change: string[];
  destroy: string[];
}

/**
 * add / change / destroy as Terraform's own "Plan: N to add, N to change, N to destroy" counts
 * them: a replacement is both an add and a destroy; no-op and read are neither.
 */
export function changeCounts(resources: PlannedResource[]): ChangeCounts {
  const counts: ChangeCounts = { add: [], change: [], destroy: [] };
  for (const r of resources) {
    if (r.actions.includes('create')) counts.add.push(r.address);
    if (r.actions.includes('delete')) counts.destroy.push(r.address);
    if (r.actions.length === 1 && r.actions[0] === 'update') counts.change.push(r.address);
  }
  return counts;
}

/** What the plan will leave in place: every resource not being destroyed. */
export function remainingResources(resources: PlannedResource[]): PlannedResource[] {
  return resources.filter((r) => !(r.actions.length === 1 && r.actions[0] === 'delete'));
}

/**
 * The synthesized stack's resources in the same shape, for plans that `terraform plan` could not
 * run for: the configured attributes are exactly what Terraform would plan for new resources.
 */
export function configuredResources(
  environment: string,
  stack: Record<string, unknown>,
): PlannedResource[] {
  const byType = isObject(stack.resource) ? stack.resource : {};
  const out: PlannedResource[] = [];
  for (const type of Object.keys(byType).sort()) {
    const byName = byType[type];
    if (!isObject(byName)) continue;
    for (const name of Object.keys(byName).sort()) {
      const attributes = byName[name];
      out.push({
        environment,
        address: `${type}.${name}`,
        type,
        actions: ['create'],
        values: isObject(attributes) ? attributes : {},
      });
    }
  }
  return out;
}
