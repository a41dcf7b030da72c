/**
 * The severity of an OSV record: the highest CVSS v3 base score among `severity[]` (computed
 * from the vector, not trusted from a label), else a textual `database_specific.severity` as
 * GitHub and others publish it (GHSA says MODERATE for medium). CVSS v4 vectors are not scored
 * here; such records fall back to the textual severity or stay `unknown` (the gate decides).
 * https://ossf.github.io/osv-schema/#severity-field
 */
import { cvss3BaseScore } from './cvss3.ts';
import type { Severity } from './cvss3.ts';

export type AdvisorySeverity = Severity | 'unknown';

export interface SeverityResult {
  severity: AdvisorySeverity;
  /** CVSS v3 base score, when a vector was given. */
  score?: number;
  vector?: string;
}

interface OsvSeverityEntry {
  type?: string;
  score?: string;
}

const TEXTUAL: Record<string, AdvisorySeverity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
  NONE: 'none',
};

export function advisorySeverity(record: {
  severity?: OsvSeverityEntry[];
  database_specific?: Record<string, unknown>;
  affected?: Array<{
    database_specific?: Record<string, unknown>;
    ecosystem_specific?: Record<string, unknown>;
  }>;
}): SeverityResult {
  let best: SeverityResult | undefined;
  for (const entry of record.severity ?? []) {
    if ((entry.type !== 'CVSS_V3' && entry.type !== 'CVSS_V31') || !entry.score) continue;
    try {
      const { score, severity } = cvss3BaseScore(entry.score);
      if (!best || score > (best.score ?? -1)) best = { severity, score, vector: entry.score };
    } catch {
      // A malformed vector is not a score; the textual fallback still applies.
    }
  }
  if (best) return best;
  const labels = [
    record.database_specific?.severity,
    ...(record.affected ?? []).flatMap((a) => [
      a.database_specific?.severity,
      a.ecosystem_specific?.severity,
    ]),
  ];
  for (const label of labels) {
    const severity = typeof label === 'string' ? TEXTUAL[label.toUpperCase()] : undefined;
    if (severity) return { severity };
  }
  return { severity: 'unknown' };
}
