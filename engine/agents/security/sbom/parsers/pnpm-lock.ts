/**
 * pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. Package keys differ per version
 * (`/name/1.0.0_peer`, `/name@1.0.0(peer)`, `name@1.0.0(peer)`); v9 moved the edges into a
 * separate `snapshots` map. https://github.com/pnpm/spec/tree/master/lockfile
 */
import { parse } from 'yaml';
import {
  hashesFromIntegrity,
  lockedPackage,
  npmNameParts,
  npmPurl,
  uniqueSorted,
} from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

type DepMap = Record<string, string | { version?: string }>;

interface PnpmPackage {
  resolution?: { integrity?: string };
  name?: string;
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Importer {
  dependencies?: DepMap;
  devDependencies?: DepMap;
  optionalDependencies?: DepMap;
}

interface PnpmLock extends Importer {
  lockfileVersion?: string | number;
  importers?: Record<string, Importer>;
  packages?: Record<string, PnpmPackage>;
  snapshots?: Record<string, PnpmPackage>;
}

export function parsePnpmLock(text: string): ParsedLockfile {
  const doc = (parse(text, { maxAliasCount: 100 }) ?? {}) as PnpmLock;
  const major = Math.floor(Number(doc.lockfileVersion ?? 0));
  if (!(major >= 5)) throw new Error(`unsupported pnpm lockfileVersion ${doc.lockfileVersion}`);
  const v5 = major === 5;

  const byPurl = new Map<string, LockedPackage>();
  const keyToPurl = new Map<string, string>();
  for (const [key, pkg] of Object.entries(doc.packages ?? {})) {
    const id = parseKey(key, v5);
    if (!id) continue;
    const name = pkg.name ?? id.name;
    const version = pkg.version ?? id.version;
    const purl = npmPurl(name, version);
    keyToPurl.set(stripPeers(key.replace(/^\//, ''), v5), purl);
    if (!byPurl.has(purl)) {
      const parts = npmNameParts(name);
      byPurl.set(
        purl,
        lockedPackage('npm', parts.namespace, parts.name, version, {
          hashes: hashesFromIntegrity(pkg.resolution?.integrity),
          dev: pkg.dev === true,
        }),
      );
    }
  }

  const refToPurl = (depName: string, ref: string): string | undefined => {
    if (/^(link|file|workspace):/.test(ref)) return undefined;
    const bare = stripPeers(ref.replace(/^\//, ''), v5);
    const aliased = bare.lastIndexOf('@') > 0 ? bare : undefined;
    const joined = v5 ? `${depName}/${bare}` : `${depName}@${bare}`;
    return keyToPurl.get(joined) ?? (aliased ? keyToPurl.get(aliased) : undefined);
  };
  const edges = (deps: Record<string, string> | undefined): string[] =>
    Object.entries(deps ?? {}).flatMap(([depName, ref]) => refToPurl(depName, ref) ?? []);

  // v9 keeps edges in `snapshots` (one per peer variant); older versions inside `packages`.
  const edgeSource = major >= 9 ? (doc.snapshots ?? {}) : (doc.packages ?? {});
  for (const [key, snapshot] of Object.entries(edgeSource)) {
    const purl = keyToPurl.get(stripPeers(key.replace(/^\//, ''), v5));
    const pkg = purl ? byPurl.get(purl) : undefined;
    if (!pkg) continue;
    pkg.dependsOn = uniqueSorted([
      ...pkg.dependsOn,
      ...edges(snapshot.dependencies),
      ...edges(snapshot.optionalDependencies),
    ]);
  }

  const importers = doc.importers ?? { '.': doc };
  const prod: string[] = [];
  const dev: string[] = [];
  for (const importer of Object.values(importers)) {
    const refs = (deps: DepMap | undefined) =>
      Object.entries(deps ?? {}).flatMap(([depName, value]) => {
        const ref = typeof value === 'string' ? value : value.version;
        return ref ? (refToPurl(depName, ref) ?? []) : [];
      });
    prod.push(...refs(importer.dependencies), ...refs(importer.optionalDependencies));
    dev.push(...refs(importer.devDependencies));
  }
  if (major >= 9) markDevOnly(byPurl, prod);
  return {
    format: 'pnpm-lock',
    packages: [...byPurl.values()],
    direct: uniqueSorted([...prod, ...dev]),
  };
}

/** v9 lockfiles dropped the `dev` flag: a package is dev-only when no prod edge reaches it. */
function markDevOnly(byPurl: Map<string, LockedPackage>, prodRoots: string[]): void {
  const reached = new Set<string>();
  const queue = [...prodRoots];
  while (queue.length > 0) {
    const purl = queue.pop()!;
    if (reached.has(purl)) continue;
    reached.add(purl);
    queue.push(...(byPurl.get(purl)?.dependsOn ?? []));
  }
  for (const pkg of byPurl.values()) pkg.dev = !reached.has(pkg.purl);
}

/** `name@1.0.0(peer@2)` → `name@1.0.0`; v5 `name/1.0.0_peer@2` → `name/1.0.0`. */
function stripPeers(key: string, v5: boolean): string {
  const paren = key.indexOf('(');
  const base = paren >= 0 ? key.slice(0, paren) : key;
  return v5 ? base.replace(/_.*$/, '') : base;
}

function parseKey(key: string, v5: boolean): { name: string; version: string } | undefined {
  const bare = stripPeers(key.replace(/^\//, ''), v5);
  const at = v5 ? bare.lastIndexOf('/') : bare.lastIndexOf('@');
  if (at <= 0) return undefined;
  const version = bare.slice(at + 1);
  // Tarball and git dependencies have no registry version to put in a purl.
  if (!/^\d/.test(version)) return undefined;
  return { name: bare.slice(0, at), version };
}
