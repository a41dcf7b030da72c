/**
 * One vulnerability often arrives as several OSV records (GHSA-…, PYSEC-…, GO-…) that name each
 * other in `aliases`. For the gate they are one finding per package: records whose ids or
 * aliases overlap are merged, keeping the worst severity and score and every fixed version.
 * https://ossf.github.io/osv-schema/#aliases-field
 */
import type { AdvisorySeverity } from './advisory-severity.ts';
import type { VulnFinding } from './match-vulns.ts';

const RANK: Record<AdvisorySeverity, number> = {
  unknown: 0,
  none: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

/** Merges alias-linked findings of the same package; output sorted by purl, then id. */
export function dedupeFindings(findings: VulnFinding[]): VulnFinding[] {
  const groups: VulnFinding[][] = [];
  for (const finding of findings) {
    const names = new Set([finding.id, ...finding.aliases]);
    const linked = groups.filter(
      (group) =>
        group[0]!.purl === finding.purl &&
        group.some(
          (other) => names.has(other.id) || other.aliases.some((alias) => names.has(alias)),
        ),
    );
    const merged = [...linked.flat(), finding];
    for (const group of linked) groups.splice(groups.indexOf(group), 1);
    groups.push(merged);
  }
  return groups
    .map(mergeGroup)
    .sort((a, b) => (a.purl === b.purl ? compare(a.id, b.id) : compare(a.purl, b.purl)));
}

function mergeGroup(group: VulnFinding[]): VulnFinding {
  // The lead record: scored over unscored, then worse severity, then the smallest id (stable).
  const lead = [...group].sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      RANK[b.severity] - RANK[a.severity] ||
      compare(a.id, b.id),
  )[0]!;
  const names = new Set(group.flatMap((finding) => [finding.id, ...finding.aliases]));
  names.delete(lead.id);
  const worst = group.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a)).severity;
  const scores = group.flatMap((finding) => (finding.score === undefined ? [] : [finding.score]));
  return {
    ...lead,
    aliases: [...names].sort(),
    fixedVersions: [...new Set(group.flatMap((finding) => finding.fixedVersions))].sort(),
    severity: worst,
    ...(scores.length > 0 ? { score: Math.max(...scores) } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
