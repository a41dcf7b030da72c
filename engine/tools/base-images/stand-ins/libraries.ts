/**
 * The shared libraries a host binary copied into a stand-in needs, split into the Debian
 * packages that own them (installed in the root the dpkg way, so its database stays truthful)
 * and the few no package owns (copied as files to the same path).
 */
import { packagesOwning } from '../debian-packages.ts';
import { sharedLibraries } from '../rootfs.ts';
import type { HostContext } from './types.ts';

export interface BinaryLibraries {
  packages: string[];
  unowned: string[];
}

export async function librariesOf(
  binaries: string[],
  context: HostContext,
): Promise<BinaryLibraries> {
  const libraries = (await sharedLibraries(binaries)).filter((path) => !binaries.includes(path));
  const owners = packagesOwning(context.database, libraries);
  return {
    packages: [...new Set(owners.values())].sort(),
    unowned: libraries.filter((path) => !owners.has(path)),
  };
}
