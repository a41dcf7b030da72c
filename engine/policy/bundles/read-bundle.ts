import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from './errors.ts';
import {
  checkLimits,
  DEFAULT_BUNDLE_LIMITS,
  safeMemberPath,
  type BundleFiles,
  type BundleLimits,
} from './files.ts';
import { readBundleTarGz } from './tar-reader.ts';

/** Reads a bundle from a directory or an OPA bundle `.tar.gz`, enforcing the limits as it goes. */
export async function readBundle(
  source: string,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): Promise<BundleFiles> {
  const info = await lstat(source);
  if (info.isDirectory()) return readBundleDir(source, limits);
  if (!info.isFile())
    throw new BundleError('bad_archive', 'not a directory or a regular file', source);
  if (info.size > limits.maxTotalBytes)
    throw new BundleError(
      'too_large',
      `archive is larger than ${limits.maxTotalBytes} bytes`,
      source,
    );
  return readBundleTarGz(await readFile(source), limits);
}

async function readBundleDir(root: string, limits: BundleLimits): Promise<BundleFiles> {
  const files: BundleFiles = new Map();
  let total = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = safeMemberPath(rel ? `${rel}/${entry.name}` : entry.name);
      // lstat semantics: a symlink is refused, never followed out of the pack.
      if (entry.isDirectory()) await walk(path);
      else if (!entry.isFile())
        throw new BundleError('unsafe_path', 'not a regular file (link or device)', path);
      else {
        const { size } = await lstat(join(root, path));
        checkLimits(files, path, size, total, limits);
        files.set(path, await readFile(join(root, path)));
        total += size;
      }
    }
  };
  await walk('');
  return files;
}
