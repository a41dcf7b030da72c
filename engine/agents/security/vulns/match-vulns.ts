/**
 * Matches an SBOM's packages against the imported OSV data and returns findings shaped for the
 * policy gate. A package whose version cannot be ordered in its ecosystem while an advisory has
 * ranges for it is returned as `undetermined`, not as clean: the gate must see it (fail closed).
 */
import type { Db } from '../../../store/database.ts';
import type { AdvisorySeverity } from './advisory-severity.ts';
import { dedupeFindings } from './dedupe-findings.ts';
import { isAffected, fixedVersions } from './osv-range.ts';
import type { OsvAffected } from './osv-range.ts';
import { fromPurl, packageKey } from './package-key.ts';

export interface VulnFinding {
  id: string;
  aliases: string[];
  summary: string;
  purl: string;
  installedVersion: string;
  fixedVersions: string[];
  severity: AdvisorySeverity;
  score?: number;
}

export interface MatchResult {
  findings: VulnFinding[];
  undetermined: Array<{ id: string; purl: string; installedVersion: string }>;
}

interface Row {
  id: string;
  aliases: string;
  summary: string;
  severity: AdvisorySeverity;
  score: number | null;
  affected: string;
}

export function matchPurls(db: Db, purls: Iterable<string>): MatchResult {
  const query = db.prepare(
    `SELECT a.id, a.aliases, a.summary, a.severity, a.score, f.affected
       FROM vuln_affected f JOIN vuln_advisories a ON a.id = f.advisory_id
      WHERE f.ecosystem = ? AND f.package_key = ? AND a.withdrawn IS NULL`,
  );
  const findings = new Map<string, VulnFinding>();
  const undetermined = new Map<string, MatchResult['undetermined'][number]>();
  for (const purl of new Set(purls)) {
    const pkg = fromPurl(purl);
    if (!pkg) continue;
    for (const row of query.all(pkg.ecosystem, packageKey(pkg.ecosystem, pkg.name)) as Row[]) {
      const affected = JSON.parse(row.affected) as OsvAffected;
      const verdict = isAffected(affected, pkg.ecosystem, pkg.version);
      const key = `${purl}\n${row.id}`;
      if (verdict === 'unknown-version') {
        undetermined.set(key, { id: row.id, purl, installedVersion: pkg.version });
        continue;
      }
      if (verdict !== 'affected') continue;
      const known = findings.get(key);
      const fixes = fixedVersions(affected);
      if (known) {
        known.fixedVersions = [...new Set([...known.fixedVersions, ...fixes])].sort();
        continue;
      }
      findings.set(key, {
        id: row.id,
        aliases: JSON.parse(row.aliases) as string[],
        summary: row.summary,
        purl,
        installedVersion: pkg.version,
        fixedVersions: [...new Set(fixes)].sort(),
        severity: row.severity,
        ...(row.score === null ? {} : { score: row.score }),
      });
    }
  }
  for (const key of findings.keys()) undetermined.delete(key);
  const byKey = <T>(map: Map<string, T>) =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  return { findings: byKey(findings), undetermined: byKey(undetermined) };
}

/**
 * The gate's input: every component of a CycloneDX JSON SBOM matched, alias-linked records
 * merged into one finding per package and vulnerability.
 */
export function matchSbom(db: Db, sbomJson: string): MatchResult {
  const result = matchPurls(db, purlsOfSbom(sbomJson));
  return { findings: dedupeFindings(result.findings), undetermined: result.undetermined };
}

/** The purls of a CycloneDX JSON SBOM's components (nested ones included). */
export function purlsOfSbom(json: string): string[] {
  const out: string[] = [];
  const visit = (components: Array<{ purl?: string; components?: unknown[] }> | undefined) => {
    for (const component of components ?? []) {
      if (component.purl) out.push(component.purl);
      visit(component.components as typeof components);
    }
  };
  visit((JSON.parse(json) as { components?: Array<{ purl?: string }> }).components);
  return out;
}
