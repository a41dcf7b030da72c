/**
 * Whether a version is affected by one OSV `affected` entry, per the evaluation algorithm of the
 * OSV schema (https://ossf.github.io/osv-schema/#evaluation): the explicit `versions` list, then
 * each SEMVER/ECOSYSTEM range's events sorted by version (`introduced: "0"` first), walked in
 * order: introduced opens, fixed closes at that version, last_affected closes after it, and a
 * `limit` caps the range. GIT ranges name commits, not versions, and are not evaluated here.
 */
import type { OsvEcosystem } from './ecosystem-versions.ts';
import { versionOrder } from './ecosystem-versions.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export type AffectedResult = 'affected' | 'not-affected' | 'unknown-version';

/** Evaluates one affected entry for `version`; `unknown-version` when it cannot be ordered. */
export function isAffected(
  affected: OsvAffected,
  ecosystem: OsvEcosystem,
  version: string,
): AffectedResult {
  const order = versionOrder(ecosystem);
  const listed = (affected.versions ?? []).some(
    (candidate) =>
      candidate === version ||
      (order.valid(candidate) && order.valid(version) && order.compare(candidate, version) === 0),
  );
  if (listed) return 'affected';
  const ranges = (affected.ranges ?? []).filter(
    (range) => range.type === 'SEMVER' || range.type === 'ECOSYSTEM',
  );
  if (ranges.length === 0) return 'not-affected';
  if (!order.valid(version)) return 'unknown-version';
  return ranges.some((range) => inRange(range, ecosystem, version)) ? 'affected' : 'not-affected';
}

function inRange(range: OsvRange, ecosystem: OsvEcosystem, version: string): boolean {
  const order = versionOrder(ecosystem);
  const point = (event: OsvEvent) =>
    event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
  const events = range.events
    .filter((event) => point(event) === '0' || order.valid(point(event)))
    .sort((a, b) => {
      if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
      if (b.introduced === '0') return 1;
      return order.compare(point(a), point(b));
    });
  const atOrAfter = (bound: string) => bound === '0' || order.compare(version, bound) >= 0;
  let affected = false;
  for (const event of events) {
    if (event.introduced !== undefined && atOrAfter(event.introduced)) affected = true;
    else if (event.fixed !== undefined && atOrAfter(event.fixed)) affected = false;
    else if (event.last_affected !== undefined && order.compare(version, event.last_affected) > 0)
      affected = false;
  }
  const limits = events.flatMap((event) => (event.limit !== undefined ? [event.limit] : []));
  if (
    affected &&
    limits.length > 0 &&
    !limits.some((limit) => limit === '*' || order.compare(version, limit) < 0)
  ) {
    return false;
  }
  return affected;
}

/** Versions that fix the vulnerability, for the finding's remediation. */
export function fixedVersions(affected: OsvAffected): string[] {
  return (affected.ranges ?? []).flatMap((range) =>
    range.events.flatMap((event) => (event.fixed ? [event.fixed] : [])),
  );
}
