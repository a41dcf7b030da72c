import { createHash } from 'node:crypto';
import { checkFunctions, isRegoError, parseModule, prepare, type Policy } from '../rego/index.ts';
import { BundleError } from './errors.ts';
import { SIGNATURES_FILE, type BundleFiles } from './files.ts';
import { hashMember, parseJsonMember } from './hash.ts';
import { readManifest, underRoots, type PackManifest } from './manifest.ts';

/** A bundle whose manifest, data and Rego have been checked; ready to store or evaluate. */
export interface LoadedPack {
  manifest: PackManifest;
  policy: Policy;
  /** data.json documents merged at their directory paths. */
  data: Record<string, unknown>;
  /** sha256 over the sorted member hashes (signature excluded), so re-signing keeps it. */
  digest: string;
}

/**
 * Validates the content of a (verified) bundle: `.manifest`, every `data.json` (a JSON object,
 * inside the roots), every `*.rego` (parses, compiles, calls only known functions, package
 * inside the roots). Other members are refused so a pack holds nothing we do not understand.
 */
export function loadPack(files: BundleFiles): LoadedPack {
  const manifest = readManifest(files);
  const sources: { file: string; source: string }[] = [];
  const data: Record<string, unknown> = {};
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name === SIGNATURES_FILE || name === '.manifest') continue;
    if (name.endsWith('.rego')) {
      const source = bytes.toString('utf8');
      const pkg = regoPackage(name, source);
      if (!underRoots(pkg, manifest.roots))
        throw new BundleError(
          'bad_manifest',
          `package ${pkg.join('.')} is outside the manifest roots`,
          name,
        );
      sources.push({ file: name, source });
    } else if (name === 'data.json' || name.endsWith('/data.json')) {
      mergeData(data, name, parseJsonMember(name, bytes), manifest.roots);
    } else {
      throw new BundleError(
        'bad_data',
        'unexpected file: a pack holds .manifest, *.rego and data.json only',
        name,
      );
    }
  }
  return { manifest, policy: compileSources(sources), data, digest: packDigest(files) };
}

/** The content digest recorded in policy_packs.digest (`sha256:<hex>`). */
export function packDigest(files: BundleFiles): string {
  const lines = [...files.keys()]
    .filter((n) => n !== SIGNATURES_FILE)
    .sort()
    .map((n) => `${hashMember(n, files.get(n)!)}  ${n}\n`);
  return `sha256:${createHash('sha256').update(lines.join('')).digest('hex')}`;
}

function regoPackage(name: string, source: string): string[] {
  try {
    return parseModule(source, name).pkg;
  } catch (error) {
    throw regoFailure(name, error);
  }
}

function compileSources(sources: { file: string; source: string }[]): Policy {
  let policy: Policy;
  try {
    policy = prepare(sources);
  } catch (error) {
    throw regoFailure(undefined, error);
  }
  const problems = checkFunctions(policy);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new BundleError('rego_error', first.message, first.location?.file);
  }
  return policy;
}

function regoFailure(name: string | undefined, error: unknown): BundleError {
  if (!isRegoError(error)) throw error;
  return new BundleError('rego_error', error.message, error.location?.file ?? name);
}

function mergeData(
  into: Record<string, unknown>,
  name: string,
  doc: unknown,
  roots: string[],
): void {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new BundleError('bad_data', 'data.json must hold a JSON object', name);
  const dir = name.split('/').slice(0, -1);
  for (const key of Object.keys(doc))
    if (!underRoots([...dir, key], roots))
      throw new BundleError(
        'bad_data',
        `data path ${[...dir, key].join('/')} is outside the manifest roots`,
        name,
      );
  let node = into;
  for (const seg of dir) {
    const next = node[seg];
    if (next !== undefined && (typeof next !== 'object' || next === null))
      throw new BundleError(
        'bad_data',
        `data path ${dir.join('/')} conflicts with another data.json`,
        name,
      );
    node = (node[seg] ??= {}) as Record<string, unknown>;
  }
  for (const [key, value] of Object.entries(doc)) {
    if (key in node)
      throw new BundleError(
        'bad_data',
        `data key ${[...dir, key].join('/')} is defined twice`,
        name,
      );
    node[key] = value;
  }
}
