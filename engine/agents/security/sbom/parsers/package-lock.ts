/**
 * package-lock.json v2/v3 (npm >= 7). The flat `packages` map keys every installed copy by its
 * node_modules path; a dependency resolves the way Node's loader finds it: the nearest
 * `node_modules/<name>` walking up from the dependent's own folder.
 * https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json
 *
 * v1 (npm 5 and 6, still common in real repositories) nests the same tree under `dependencies`
 * with each entry's `requires`; it is flattened into the v2 shape first. v1 does not record the
 * project's own dependencies: its direct ones are taken as the top-level entries nothing else
 * requires (a direct dependency that another also requires is then reached through that one).
 */
import {
  hashesFromIntegrity,
  lockedPackage,
  npmNameParts,
  uniqueSorted,
} from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface Entry {
  name?: string;
  version?: string;
  integrity?: string;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface V1Entry {
  version?: string;
  integrity?: string;
  resolved?: string;
  dev?: boolean;
  bundled?: boolean;
  requires?: Record<string, string>;
  dependencies?: Record<string, V1Entry>;
}

export function parsePackageLock(text: string): ParsedLockfile {
  const doc = JSON.parse(text) as {
    lockfileVersion?: number;
    packages?: Record<string, Entry>;
    dependencies?: Record<string, V1Entry>;
  };
  const entries = doc.packages ?? (doc.dependencies ? flattenV1(doc.dependencies) : undefined);
  if (!entries) {
    throw new Error(
      `package-lock lockfileVersion ${doc.lockfileVersion ?? 1} has neither a "packages" nor a "dependencies" map; regenerate it with npm`,
    );
  }
  const purlAt = new Map<string, string>();
  for (const [path, entry] of Object.entries(entries)) {
    if (!isInstalled(path, entry)) continue;
    const { namespace, name } = npmNameParts(entry.name ?? nameFromPath(path));
    purlAt.set(path, lockedPackage('npm', namespace, name, entry.version!).purl);
  }

  const resolve = (from: string, dep: string): string | undefined => {
    for (let base = from; ; base = parentFolder(base)) {
      const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
      const target = entries[candidate];
      if (target?.link && target.resolved !== undefined) return undefined; // a workspace member
      const purl = purlAt.get(candidate);
      if (purl || base === '') return purl;
    }
  };
  const edges = (path: string, entry: Entry, withDev: boolean): string[] => {
    const names = Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
      ...(withDev ? entry.devDependencies : {}),
    });
    return names.flatMap((dep) => resolve(path, dep) ?? []);
  };

  const byPurl = new Map<string, LockedPackage>();
  const direct: string[] = [];
  for (const [path, entry] of Object.entries(entries)) {
    if (isProjectRoot(path, entry)) {
      direct.push(...edges(path, entry, true));
      continue;
    }
    const purl = purlAt.get(path);
    if (!purl) continue;
    const { namespace, name } = npmNameParts(entry.name ?? nameFromPath(path));
    const existing = byPurl.get(purl);
    const dependsOn = edges(path, entry, false);
    if (existing) {
      // The same name@version installed twice: one component, union of edges.
      existing.dependsOn = uniqueSorted([...existing.dependsOn, ...dependsOn]);
      existing.dev &&= entry.dev === true;
      continue;
    }
    byPurl.set(
      purl,
      lockedPackage('npm', namespace, name, entry.version!, {
        hashes: hashesFromIntegrity(entry.integrity),
        dependsOn: uniqueSorted(dependsOn),
        dev: entry.dev === true,
      }),
    );
  }
  return { format: 'package-lock', packages: [...byPurl.values()], direct: uniqueSorted(direct) };
}

function isInstalled(path: string, entry: Entry): boolean {
  return path.includes('node_modules/') && !entry.link && typeof entry.version === 'string';
}

/** The root (`""`) and workspace member folders (paths outside node_modules). */
function isProjectRoot(path: string, entry: Entry): boolean {
  return !entry.link && (path === '' || !path.includes('node_modules/'));
}

function nameFromPath(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** `a/node_modules/b/node_modules/c` → `a/node_modules/b`; a top-level path → `""`. */
function parentFolder(path: string): string {
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) return path.slice(0, at);
  return '';
}

/** A v1 tree as the v2 `packages` map, with a root entry naming the graph's roots. */
function flattenV1(top: Record<string, V1Entry>): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (base: string, tree: Record<string, V1Entry>) => {
    for (const [name, entry] of Object.entries(tree)) {
      const path = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
      out[path] = {
        name,
        ...(entry.version !== undefined ? { version: entry.version } : {}),
        ...(entry.integrity !== undefined ? { integrity: entry.integrity } : {}),
        ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
        ...(entry.dev ? { dev: true } : {}),
        ...(entry.requires ? { dependencies: entry.requires } : {}),
      };
      if (entry.dependencies) walk(path, entry.dependencies);
    }
  };
  walk('', top);
  const required = new Set(
    Object.values(top).flatMap((entry) => Object.keys(entry.requires ?? {})),
  );
  const roots = Object.keys(top).filter((name) => !required.has(name));
  out[''] = { dependencies: Object.fromEntries(roots.map((name) => [name, '*'])) };
  return out;
}
