/**
 * yarn.lock from Yarn 2+ ("berry"): YAML whose keys are comma-separated descriptors
 * (`name@npm:^1.0.0`) and whose entries carry the exact `resolution` (`name@npm:1.2.3`).
 * Workspaces appear as `name@workspace:path` entries: they are the project, not components,
 * and their edges are the direct dependencies. Berry's `checksum` hashes Yarn's own zip cache
 * entry, not the published tarball, so it is not reported as a package hash.
 * https://yarnpkg.com/advanced/lockfile
 */
import { parse } from 'yaml';
import { lockedPackage, npmNameParts, uniqueSorted } from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface BerryEntry {
  version?: string;
  resolution?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  languageName?: string;
}

export function parseYarnBerry(text: string): ParsedLockfile {
  const doc = (parse(text, { maxAliasCount: 100 }) ?? {}) as Record<string, BerryEntry>;
  if (!doc.__metadata) throw new Error('not a Yarn berry lockfile: no __metadata entry');
  const byDescriptor = new Map<string, string | 'workspace'>();
  const byPurl = new Map<string, { pkg: LockedPackage; deps: Record<string, string> }>();
  const workspaces: BerryEntry[] = [];
  for (const [key, entry] of Object.entries(doc)) {
    if (key === '__metadata' || !entry.resolution) continue;
    const descriptors = key.split(',').map((part) => part.trim());
    const resolved = splitDescriptor(entry.resolution);
    if (resolved.protocol === 'workspace') {
      workspaces.push(entry);
      for (const descriptor of descriptors) byDescriptor.set(descriptor, 'workspace');
      continue;
    }
    // Only registry packages have a version a purl can name (not git:, file:, patch:).
    if (resolved.protocol !== 'npm' || !entry.version) continue;
    const { namespace, name } = npmNameParts(resolved.name);
    const pkg = lockedPackage('npm', namespace, name, entry.version);
    for (const descriptor of descriptors) byDescriptor.set(descriptor, pkg.purl);
    byPurl.set(pkg.purl, { pkg, deps: entry.dependencies ?? {} });
  }
  const resolve = (name: string, range: string): string | undefined => {
    const withProtocol = /^[a-z]+:/.test(range) ? range : `npm:${range}`;
    const found =
      byDescriptor.get(`${name}@${withProtocol}`) ?? byDescriptor.get(`${name}@${range}`);
    return found === 'workspace' ? undefined : found;
  };
  const edges = (deps: Record<string, string> | undefined) =>
    uniqueSorted(Object.entries(deps ?? {}).flatMap(([name, range]) => resolve(name, range) ?? []));
  for (const { pkg, deps } of byPurl.values()) pkg.dependsOn = edges(deps);
  return {
    format: 'yarn-berry',
    packages: [...byPurl.values()].map((entry) => entry.pkg),
    direct: uniqueSorted(workspaces.flatMap((workspace) => edges(workspace.dependencies))),
  };
}

/** `@scope/name@npm:1.2.3` → name `@scope/name`, protocol `npm`. */
function splitDescriptor(descriptor: string): { name: string; protocol: string } {
  const at = descriptor.indexOf('@', 1);
  const name = descriptor.slice(0, at);
  const protocol = /^([a-z]+):/.exec(descriptor.slice(at + 1))?.[1] ?? 'npm';
  return { name, protocol };
}

/** Yarn berry lockfiles start with a `__metadata:` block; v1 ones with a comment header. */
export function isYarnBerry(text: string): boolean {
  return /^__metadata:/m.test(text);
}
