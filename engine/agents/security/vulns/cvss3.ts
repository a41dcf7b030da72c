/**
 * CVSS v3.0/v3.1 base score from a vector string, as specified in CVSS v3.1 section 7
 * (https://www.first.org/cvss/v3.1/specification-document#7-4-Metric-Values), including the
 * spec's Roundup (Appendix A) that avoids floating-point artefacts. v3.0 vectors are scored
 * with the same equations (3.1 changed only Roundup's implementation and wording).
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Privileges Required weighs more when the scope changes. */
const PR_WEIGHTS = {
  U: { N: 0.85, L: 0.62, H: 0.27 },
  C: { N: 0.85, L: 0.68, H: 0.5 },
} as const;

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'none';

export interface CvssScore {
  score: number;
  severity: Severity;
}

/** Scores `CVSS:3.x/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_`; throws on a malformed vector. */
export function cvss3BaseScore(vector: string): CvssScore {
  const [prefix, ...parts] = vector.trim().split('/');
  if (prefix !== 'CVSS:3.1' && prefix !== 'CVSS:3.0')
    throw new Error(`not a CVSS v3 vector: ${vector}`);
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const [key, value] = part.split(':');
    if (!key || !value || metrics.has(key))
      throw new Error(`malformed CVSS metric "${part}" in ${vector}`);
    metrics.set(key, value);
  }
  const pick = <T extends Record<string, number>>(table: T, key: string): number => {
    const value = metrics.get(key);
    const weight = value === undefined ? undefined : (table as Record<string, number>)[value];
    if (weight === undefined) throw new Error(`CVSS vector ${vector} lacks a valid ${key}`);
    return weight;
  };
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') throw new Error(`CVSS vector ${vector} lacks a valid S`);
  const iss =
    1 - (1 - pick(WEIGHTS.C, 'C')) * (1 - pick(WEIGHTS.I, 'I')) * (1 - pick(WEIGHTS.A, 'A'));
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability =
    8.22 *
    pick(WEIGHTS.AV, 'AV') *
    pick(WEIGHTS.AC, 'AC') *
    pick(PR_WEIGHTS[scope], 'PR') *
    pick(WEIGHTS.UI, 'UI');
  let score: number;
  if (impact <= 0) score = 0;
  else if (scope === 'U') score = roundUp(Math.min(impact + exploitability, 10));
  else score = roundUp(Math.min(1.08 * (impact + exploitability), 10));
  return { score, severity: severityOf(score) };
}

/** Qualitative rating (CVSS v3.1 section 5). */
export function severityOf(score: number): Severity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** Appendix A: the smallest number with one decimal that is >= input, free of float error. */
export function roundUp(input: number): number {
  const scaled = Math.round(input * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}
