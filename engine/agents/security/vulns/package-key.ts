/**
 * The key a package is looked up by, the same from an OSV record and from an SBOM purl: names
 * are compared the way each ecosystem does (PyPI PEP 503-normalised, npm lower-cased, Maven
 * `group:artifact`, Go module paths as is).
 */
import { PackageURL } from 'packageurl-js';
import type { OsvEcosystem } from './ecosystem-versions.ts';

const PURL_ECOSYSTEM: Record<string, OsvEcosystem> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  cargo: 'crates.io',
};

export function packageKey(ecosystem: OsvEcosystem, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (ecosystem === 'npm') return name.toLowerCase();
  return name;
}

export interface PurlPackage {
  ecosystem: OsvEcosystem;
  /** The name as OSV writes it (`@scope/name`, `group:artifact`, module path). */
  name: string;
  version: string;
}

/** Reads a purl into an OSV ecosystem, name and version; undefined for other purl types. */
export function fromPurl(purl: string): PurlPackage | undefined {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const ecosystem = PURL_ECOSYSTEM[parsed.type];
  if (!ecosystem || !parsed.version) return undefined;
  const namespace = parsed.namespace ?? undefined;
  let name = parsed.name;
  if (namespace)
    name = ecosystem === 'Maven' ? `${namespace}:${parsed.name}` : `${namespace}/${parsed.name}`;
  return { ecosystem, name, version: parsed.version };
}
