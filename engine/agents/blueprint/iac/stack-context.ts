/**
 * What one environment's stack is built from, shared by every target family's modules. Sizes
 * differ by environment only: prod gets redundancy and deletion protection, staging does not.
 */
import type { BlueprintInputs } from '../../../api/blueprints.contract.ts';

export interface StackService {
  slug: string;
  port: number;
  healthPath: string;
  /** Image repository in the internal registry; the release stage supplies the digest. */
  image: string;
  host: string;
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
