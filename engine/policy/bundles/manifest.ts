import { BundleError } from './errors.ts';
import { MANIFEST_FILE, type BundleFiles } from './files.ts';
import { parseJsonMember } from './hash.ts';

/**
 * The subset of OPA's `.manifest` (https://www.openpolicyagent.org/docs/management-bundles#bundle-file-format)
 * a pack needs. `metadata.name` names the pack; with `revision` it becomes a directory on disk,
 * so both are restricted to one safe path segment.
 */
export interface PackManifest {
  name: string;
  revision: string;
  roots: string[];
  regoVersion?: number;
  metadata: Record<string, unknown>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const ROOT = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Reads and validates `.manifest`; throws `bad_manifest` naming the field at fault. */
export function readManifest(files: BundleFiles): PackManifest {
  const raw = files.get(MANIFEST_FILE);
  if (!raw) throw new BundleError('bad_manifest', 'bundle has no .manifest', MANIFEST_FILE);
  const doc = parseJsonMember(MANIFEST_FILE, raw);
  const bad = (why: string): never => {
    throw new BundleError('bad_manifest', why, MANIFEST_FILE);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return bad('must be a JSON object');
  const m = doc as Record<string, unknown>;
  const metadata = m['metadata'] ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return bad('metadata must be an object');
  const name = (metadata as Record<string, unknown>)['name'];
  if (typeof name !== 'string' || !SEGMENT.test(name))
    return bad('metadata.name must be a short name of letters, digits, . _ + -');
  const revision = m['revision'];
  if (typeof revision !== 'string' || !SEGMENT.test(revision))
    return bad('revision must be a non-empty string of letters, digits, . _ + -');
  const roots = m['roots'] ?? [''];
  if (
    !Array.isArray(roots) ||
    !roots.every((r) => typeof r === 'string' && (r === '' || ROOT.test(r)))
  )
    return bad('roots must be a list of slash-separated paths');
  const regoVersion = m['rego_version'];
  if (regoVersion !== undefined && regoVersion !== 1)
    return bad('only rego_version 1 is supported');
  return {
    name,
    revision,
    roots: roots as string[],
    ...(regoVersion === undefined ? {} : { regoVersion }),
    metadata: metadata as Record<string, unknown>,
  };
}

/**
 * True when a path overlaps one of the roots (OPA's rule: a bundle may only write under its
 * roots; data at `a` holding root `a/b` counts as overlapping, as `opa build` allows).
 */
export function underRoots(path: string[], roots: string[]): boolean {
  const joined = path.join('/');
  return roots.some(
    (r) => r === '' || joined === r || joined.startsWith(`${r}/`) || r.startsWith(`${joined}/`),
  );
}
