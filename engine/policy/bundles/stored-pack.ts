import { BundleError } from './errors.ts';
import { DEFAULT_BUNDLE_LIMITS } from './files.ts';
import { loadPack, type LoadedPack } from './load.ts';
import type { PackRecord } from './pack-store.ts';
import { readBundle } from './read-bundle.ts';

/**
 * Loads an imported pack from `<dataDir>/policy-packs/<name>/<revision>/` for evaluation. The
 * signature was checked at import; here the content digest is re-checked against the row so a
 * file edited on disk afterwards blocks the gate (invariant 5: fail closed) instead of running.
 */
export async function loadStoredPack(pack: PackRecord): Promise<LoadedPack> {
  const loaded = loadPack(await readBundle(pack.path, DEFAULT_BUNDLE_LIMITS));
  if (loaded.digest !== pack.digest)
    throw new BundleError(
      'modified_file',
      `stored files of ${pack.name} ${pack.revision} no longer match the imported digest ${pack.digest}; re-import the pack`,
      pack.path,
    );
  return loaded;
}
