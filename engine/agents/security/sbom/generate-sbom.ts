/**
 * The SBOM step of the security stage: lockfiles of a checked-out project in, validated
 * CycloneDX 1.6 JSON out. A lockfile that could not be read is returned as a problem so the
 * SBOM gate blocks with its reason (invariant 5) instead of passing on a partial SBOM.
 */
import { renderSbom } from './build-bom.ts';
import { collectLockfiles } from './collect-lockfiles.ts';
import type { CollectOptions } from './collect-lockfiles.ts';

export interface GenerateSbomOptions extends CollectOptions {
  project: { name: string; version?: string };
  /** Injected clock value; omitted from the SBOM when absent (reproducible output). */
  timestamp?: string;
  tool?: { name: string; version: string };
}

export interface GeneratedSbom {
  /** CycloneDX 1.6 JSON, schema-validated. */
  json: string;
  /** Lockfiles read, relative to the project root. */
  lockfiles: string[];
  components: number;
  problems: Array<{ path: string; message: string }>;
}

export async function generateSbom(
  root: string,
  options: GenerateSbomOptions,
): Promise<GeneratedSbom> {
  const collected = await collectLockfiles(root, options);
  const json = await renderSbom({
    project: options.project,
    lockfiles: collected.lockfiles,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    ...(options.tool ? { tool: options.tool } : {}),
  });
  const components = (JSON.parse(json) as { components?: unknown[] }).components?.length ?? 0;
  return {
    json,
    lockfiles: collected.lockfiles.map((lockfile) => lockfile.path),
    components,
    problems: collected.problems,
  };
}
