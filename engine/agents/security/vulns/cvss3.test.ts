import { describe, expect, it } from 'vitest';
import { advisorySeverity } from './advisory-severity.ts';
import { cvss3BaseScore, roundUp } from './cvss3.ts';

// Scores as published by NVD / the FIRST calculator for the same vectors.
const VECTORS: Array<[string, number, string]> = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'high'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9, 'medium'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'medium'],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6, 'low'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1, 'critical'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'high'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
  // Metric order does not matter.
  ['CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U', 9.8, 'critical'],
];

describe('cvss3BaseScore', () => {
  it.each(VECTORS)('%s scores %s (%s)', (vector, score, severity) => {
    expect(cvss3BaseScore(vector)).toEqual({ score, severity });
  });

  it.each([
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
  ])('rejects the malformed vector %s', (vector) => {
    expect(() => cvss3BaseScore(vector)).toThrow();
  });

  it('rounds up to one decimal as Appendix A specifies', () => {
    expect(roundUp(4.02)).toBe(4.1);
    expect(roundUp(4.0)).toBe(4.0);
    expect(roundUp(4.000001)).toBe(4.0);
  });
});

describe('advisorySeverity', () => {
  it('takes the highest CVSS v3 score among several vectors', () => {
    const result = advisorySeverity({
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ],
      database_specific: { severity: 'LOW' },
    });
    expect(result).toMatchObject({ severity: 'critical', score: 9.8 });
  });

  it('falls back to database_specific severity (GHSA MODERATE is medium)', () => {
    expect(advisorySeverity({ database_specific: { severity: 'MODERATE' } })).toEqual({
      severity: 'medium',
    });
    expect(
      advisorySeverity({
        severity: [
          {
            type: 'CVSS_V4',
            score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          },
        ],
        affected: [{ ecosystem_specific: { severity: 'HIGH' } }],
      }),
    ).toEqual({ severity: 'high' });
  });

  it('says unknown when there is nothing to go on', () => {
    expect(advisorySeverity({})).toEqual({ severity: 'unknown' });
  });
});
