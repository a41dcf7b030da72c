/**
 * uv.lock (version 1). The project itself is the package whose source is `editable`/`virtual`
 * (or a workspace member): its edges are the direct dependencies. An edge names a version
 * only when the lockfile holds several versions of that package (forked resolutions).
 * https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile
 */
import { parse } from 'smol-toml';
import {
  hashFromPrefixed,
  lockedPackage,
  normalisePythonName,
  uniqueSorted,
} from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface UvEdge {
  name: string;
  version?: string;
}

interface UvPackage {
  name: string;
  version?: string;
  source?: Record<string, string>;
  dependencies?: UvEdge[];
  'optional-dependencies'?: Record<string, UvEdge[]>;
  'dev-dependencies'?: Record<string, UvEdge[]>;
  sdist?: { hash?: string };
}

const PROJECT_SOURCES = ['editable', 'virtual', 'directory'];

export function parseUvLock(text: string): ParsedLockfile {
  const doc = parse(text) as unknown as { package?: UvPackage[] };
  const all = doc.package ?? [];
  const isProject = (pkg: UvPackage) =>
    !pkg.version || PROJECT_SOURCES.some((key) => pkg.source?.[key] !== undefined);
  const purls = new Map<string, string[]>();
  const locked = new Map<UvPackage, LockedPackage>();
  for (const pkg of all) {
    if (isProject(pkg)) continue;
    const entry = lockedPackage('pypi', undefined, pkg.name, pkg.version!, {
      hashes: hashFromPrefixed(pkg.sdist?.hash),
    });
    locked.set(pkg, entry);
    const key = normalisePythonName(pkg.name);
    purls.set(key, [...(purls.get(key) ?? []), `${pkg.version}\n${entry.purl}`]);
  }
  const resolve = (edge: UvEdge): string[] => {
    const candidates = purls.get(normalisePythonName(edge.name)) ?? [];
    const matching = edge.version
      ? candidates.filter((candidate) => candidate.startsWith(`${edge.version}\n`))
      : candidates;
    return matching.map((candidate) => candidate.slice(candidate.indexOf('\n') + 1));
  };
  const edgesOf = (pkg: UvPackage, withDev: boolean): string[] => {
    const groups = [
      pkg.dependencies ?? [],
      ...Object.values(pkg['optional-dependencies'] ?? {}),
      ...(withDev ? Object.values(pkg['dev-dependencies'] ?? {}) : []),
    ];
    return uniqueSorted(groups.flat().flatMap(resolve));
  };
  const direct: string[] = [];
  for (const pkg of all) {
    const entry = locked.get(pkg);
    if (entry) entry.dependsOn = edgesOf(pkg, false);
    else direct.push(...edgesOf(pkg, true));
  }
  return { format: 'uv-lock', packages: [...locked.values()], direct: uniqueSorted(direct) };
}
