/**
 * Cargo.lock (versions 1 to 4). Packages without a `source` are the workspace's own crates:
 * their edges are the direct dependencies. An edge is `name`, `name version` or
 * `name version (source)`; the short form is used when the name is unique in the lockfile.
 * `checksum` is the SHA-256 of the published .crate (v1 kept it under [metadata]).
 * https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html
 */
import { parse } from 'smol-toml';
import { lockedPackage, uniqueSorted } from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface CargoPackage {
  name: string;
  version: string;
  source?: string;
  checksum?: string;
  dependencies?: string[];
}

export function parseCargoLock(text: string): ParsedLockfile {
  const doc = parse(text) as unknown as {
    package?: CargoPackage[];
    metadata?: Record<string, string>;
  };
  const all = doc.package ?? [];
  const versionsByName = new Map<string, CargoPackage[]>();
  for (const pkg of all)
    versionsByName.set(pkg.name, [...(versionsByName.get(pkg.name) ?? []), pkg]);
  const locked = new Map<CargoPackage, LockedPackage>();
  for (const pkg of all) {
    if (!pkg.source) continue;
    const checksum =
      pkg.checksum ?? doc.metadata?.[`checksum ${pkg.name} ${pkg.version} (${pkg.source})`];
    const hashes =
      checksum && /^[0-9a-f]{64}$/.test(checksum)
        ? [{ alg: 'SHA-256' as const, content: checksum }]
        : [];
    locked.set(pkg, lockedPackage('cargo', undefined, pkg.name, pkg.version, { hashes }));
  }
  const resolve = (edge: string): string | undefined => {
    const [name = '', version] = edge.split(' ');
    const candidates = versionsByName.get(name) ?? [];
    const target = version ? candidates.find((pkg) => pkg.version === version) : candidates[0];
    return target ? locked.get(target)?.purl : undefined;
  };
  const direct: string[] = [];
  for (const pkg of all) {
    const edges = (pkg.dependencies ?? []).flatMap((edge) => resolve(edge) ?? []);
    const entry = locked.get(pkg);
    if (entry) entry.dependsOn = uniqueSorted(edges);
    else direct.push(...edges);
  }
  return { format: 'cargo-lock', packages: [...locked.values()], direct: uniqueSorted(direct) };
}
