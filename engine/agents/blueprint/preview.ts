/**
 * The reviewable parts of a plan (issue 7): a unified diff per artifact against the repository's
 * current file, the infrastructure delta against the previous blueprint, and the plan hash that
 * approval signs (ARCHITECTURE.md invariant 3: apply only what was signed).
 */
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import canonicalizeModule from 'canonicalize';
import type { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type {
  InfraResource,
  InfraSummary,
  PlanSummary,
  PlannedArtifact,
  ReadCurrentFile,
  RenderedArtifact,
} from './plan-model.ts';

/**
 * RFC 8785 canonical JSON. The package is CommonJS while its typings declare an ES default
 * export, so under `nodenext` the call signature is restated.
 */
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** Bumped when the hashed listing changes shape, so old signatures are never misread. */
export const PLAN_HASH_VERSION = 1;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The artifact with its sha256, its change kind and a unified diff against the current file. */
export async function diffArtifact(
  artifact: RenderedArtifact,
  readCurrentFile: ReadCurrentFile,
): Promise<PlannedArtifact> {
  const current = await readCurrentFile(artifact.path);
  const base = { ...artifact, sha256: sha256(artifact.content) };
  if (current === artifact.content) return { ...base, change: 'unchanged', diff: '' };
  const diff = createTwoFilesPatch(
    current === null ? '/dev/null' : `a/${artifact.path}`,
    `b/${artifact.path}`,
    current ?? '',
    artifact.content,
    undefined,
    undefined,
    { context: 3 },
  );
  return { ...base, change: current === null ? 'new' : 'changed', diff };
}

const key = (r: InfraResource): string => `${r.environment}:${r.address}`;

/** add / change / destroy of this blueprint's resources against the previous blueprint's. */
export function infraSummary(
  resources: InfraResource[],
  previous: InfraResource[] = [],
): InfraSummary {
  const before = new Map(previous.map((r) => [key(r), r.digest]));
  const after = new Set(resources.map(key));
  const add: string[] = [];
  const change: string[] = [];
  let unchanged = 0;
  for (const resource of resources) {
    const old = before.get(key(resource));
    if (old === undefined) add.push(key(resource));
    else if (old !== resource.digest) change.push(key(resource));
    else unchanged++;
  }
  const destroy = [...before.keys()].filter((k) => !after.has(k));
  return {
    add: add.sort(),
    change: change.sort(),
    destroy: destroy.sort(),
    unchanged,
    resources: [...resources].sort((a, b) => key(a).localeCompare(key(b))),
  };
}

/**
 * sha256 over the RFC 8785 canonical form of the validated inputs, every artifact's path and
 * content hash, and the summary. Diffs are left out on purpose: they depend on the repository, the artifacts do not.
 */
export function planHash(
  inputs: BlueprintInputs,
  artifacts: PlannedArtifact[],
  summary: PlanSummary,
): string {
  const listing = {
    version: PLAN_HASH_VERSION,
    inputs,
    artifacts: artifacts.map((a) => ({ path: a.path, sha256: a.sha256 })),
    summary,
  };
  return sha256(canonicalize(listing)!);
}
