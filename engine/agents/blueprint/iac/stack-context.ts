/**
 * What one environment's stack is built from, shared by every target family's modules. Sizes
 * differ by environment only: prod gets redundancy and deletion protection, staging does not.
 */
import { createHash } from 'node:crypto';
import type { BlueprintInputs } from '../../../contract/blueprints.contract.ts';

export interface StackService {
  slug: string;
  port: number;
  /** The health route the auditor found; null when the service has none (checks use TCP or `/`). */
  healthPath: string | null;
  /** Image repository in the internal registry; the release stage supplies the digest. */
  image: string;
  host: string;
  /** Environment variable names the code reads (the auditor's), for wiring and secrets. */
  envVars: string[];
}

export interface StackContext {
  env: 'staging' | 'prod';
  inputs: BlueprintInputs;
  region: string;
  /** `<name>-<env>`: prefix of every resource name in this stack. */
  name: string;
  services: StackService[];
  /** Pinned images (postgres, redis) for self-hosted data stores. */
  images: Record<string, string>;
  notes: string[];
}

export const isProd = (ctx: StackContext): boolean => ctx.env === 'prod';

/** Underscored id for Terraform addresses built from a service slug. */
export const idOf = (slug: string): string => slug.replace(/-/g, '_');

/** Tags every resource carries, so the platform can tell what ProdSprint manages. */
export function tagsOf(ctx: StackContext): Record<string, string> {
  return { environment: ctx.env, 'managed-by': 'prodsprint', stack: ctx.name };
}

/**
 * A cloud resource name within `max` characters: as is when it fits, else cut and suffixed with
 * a short hash of the whole, so two long names stay distinct and the same name stays stable.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, '')}-${hash}`;
}
