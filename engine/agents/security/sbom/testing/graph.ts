/** Test helpers: a parsed lockfile as a compact purl → edges map. */
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

export function edges(parsed: ParsedLockfile): Record<string, string[]> {
  return Object.fromEntries(parsed.packages.map((pkg) => [pkg.purl, pkg.dependsOn]));
}

export function find(parsed: ParsedLockfile, purl: string): LockedPackage {
  const pkg = parsed.packages.find((candidate) => candidate.purl === purl);
  if (!pkg) throw new Error(`${purl} not in ${parsed.packages.map((p) => p.purl).join(', ')}`);
  return pkg;
}
