/**
 * What every lockfile parser returns: the packages a lockfile pins, keyed by purl, with the
 * edges between them. Parsers are pure (text in, graph out) so they are tested on small
 * realistic lockfiles without touching the filesystem.
 */
import { PackageURL } from 'packageurl-js';

export type PurlType = 'npm' | 'pypi' | 'golang' | 'cargo' | 'maven';

/** CycloneDX hash algorithm names we fill from lockfiles. */
export type HashAlg = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface LockedPackage {
  /** Canonical purl string; also the package's bom-ref. */
  purl: string;
  type: PurlType;
  namespace?: string;
  name: string;
  version: string;
  hashes: Array<{ alg: HashAlg; content: string }>;
  /** purls of the packages this one depends on. */
  dependsOn: string[];
  /** Only needed for development (npm dev, pnpm dev, maven test scope). */
  dev: boolean;
}

export interface ParsedLockfile {
  /** Which parser read it, e.g. `package-lock`. */
  format: string;
  packages: LockedPackage[];
  /** purls the project depends on directly (the root's edges). */
  direct: string[];
  /**
   * The project's own coordinates when the file names them (a pom's groupId:artifactId:version):
   * it becomes an application component between the SBOM root and `direct`.
   */
  project?: LockedPackage;
}

/** Builds the canonical purl string (packageurl-js encodes and normalises per type). */
export function purlOf(
  type: PurlType,
  namespace: string | undefined,
  name: string,
  version: string,
): string {
  return new PackageURL(
    type,
    namespace ?? undefined,
    name,
    version,
    undefined,
    undefined,
  ).toString();
}

export function lockedPackage(
  type: PurlType,
  namespace: string | undefined,
  name: string,
  version: string,
  extra: Partial<Pick<LockedPackage, 'hashes' | 'dependsOn' | 'dev'>> = {},
): LockedPackage {
  return {
    purl: purlOf(type, namespace, name, version),
    type,
    ...(namespace ? { namespace } : {}),
    name,
    version,
    hashes: extra.hashes ?? [],
    dependsOn: extra.dependsOn ?? [],
    dev: extra.dev ?? false,
  };
}

/** Splits an npm package name into purl namespace and name (`@scope/x` → `@scope`, `x`). */
export function npmNameParts(fullName: string): { namespace?: string; name: string } {
  const slash = fullName.startsWith('@') ? fullName.indexOf('/') : -1;
  return slash > 0
    ? { namespace: fullName.slice(0, slash), name: fullName.slice(slash + 1) }
    : { name: fullName };
}

export function npmPurl(fullName: string, version: string): string {
  const { namespace, name } = npmNameParts(fullName);
  return purlOf('npm', namespace, name, version);
}

const SRI_ALGS: Record<string, HashAlg> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/**
 * Subresource-integrity strings (`sha512-<base64>`, as npm, pnpm and yarn v1 write them) to
 * CycloneDX hashes in hex. Unknown algorithms are dropped, never guessed.
 */
export function hashesFromIntegrity(integrity: string | undefined): LockedPackage['hashes'] {
  if (!integrity) return [];
  const out: LockedPackage['hashes'] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const dash = token.indexOf('-');
    const alg = SRI_ALGS[token.slice(0, dash).toLowerCase()];
    if (!alg || dash < 0) continue;
    const hex = Buffer.from(token.slice(dash + 1), 'base64').toString('hex');
    if (hasDigestLength(alg, hex) && !out.some((hash) => hash.alg === alg)) {
      out.push({ alg, content: hex });
    }
  }
  return out;
}

/** `sha256:<hex>` (poetry, uv, pip --hash) to a CycloneDX hash. */
export function hashFromPrefixed(value: string | undefined): LockedPackage['hashes'] {
  const match = /^(sha1|sha256|sha384|sha512)[:=]([0-9a-f]+)$/i.exec(value ?? '');
  const alg = SRI_ALGS[match?.[1]?.toLowerCase() ?? ''];
  const content = match?.[2]?.toLowerCase() ?? '';
  return alg && hasDigestLength(alg, content) ? [{ alg, content }] : [];
}

const HEX_LENGTH: Record<HashAlg, number> = {
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
};

/**
 * A truncated or mangled hash is dropped: CycloneDX's schema pins the length per algorithm,
 * and one bad hash would make the whole SBOM fail validation.
 */
export function hasDigestLength(alg: HashAlg, hex: string): boolean {
  return hex.length === HEX_LENGTH[alg] && /^[0-9a-f]+$/.test(hex);
}

/** PEP 503 name normalisation: the form Python tools compare names in. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Sorts and removes duplicate edges, so output does not depend on lockfile order. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
