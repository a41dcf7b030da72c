/**
 * Version ordering per OSV ecosystem (https://ossf.github.io/osv-schema/#affectedpackage-field):
 * npm and crates.io use SemVer 2.0 precedence, PyPI PEP 440 (epochs, pre/post/dev releases),
 * Go SemVer with a `v` prefix (pseudo-versions are SemVer pre-releases, so they order between
 * the tags around them), Maven its ComparableVersion rules.
 */
import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import semver from 'semver';
import { compareMavenVersions } from './maven-version.ts';

export type OsvEcosystem = 'npm' | 'PyPI' | 'Go' | 'Maven' | 'crates.io';

export const ECOSYSTEMS: readonly OsvEcosystem[] = ['npm', 'PyPI', 'Go', 'Maven', 'crates.io'];

export interface VersionOrder {
  /** Whether `version` can be placed in this ecosystem's order at all. */
  valid(version: string): boolean;
  compare(a: string, b: string): number;
}

const semverOrder: VersionOrder = {
  valid: (version) => semver.valid(version) !== null,
  compare: (a, b) => semver.compare(a, b),
};

const goOrder: VersionOrder = {
  valid: (version) => semver.valid(stripV(version)) !== null,
  compare: (a, b) => semver.compare(stripV(a), stripV(b)),
};

const pypiOrder: VersionOrder = {
  valid: (version) => validPep440(version) !== null,
  compare: (a, b) => comparePep440(a, b),
};

const mavenOrder: VersionOrder = {
  // ComparableVersion orders any string; an empty one names no release.
  valid: (version) => version.trim() !== '',
  compare: compareMavenVersions,
};

const ORDERS: Record<OsvEcosystem, VersionOrder> = {
  npm: semverOrder,
  'crates.io': semverOrder,
  Go: goOrder,
  PyPI: pypiOrder,
  Maven: mavenOrder,
};

export function versionOrder(ecosystem: OsvEcosystem): VersionOrder {
  return ORDERS[ecosystem];
}

export function isKnownEcosystem(value: string): value is OsvEcosystem {
  return (ECOSYSTEMS as readonly string[]).includes(value);
}

/** Go tags are `v1.2.3`; OSV's Go records write `1.2.3`. Both are accepted. */
function stripV(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}
