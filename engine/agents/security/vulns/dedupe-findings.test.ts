import { describe, expect, it } from 'vitest';
import { dedupeFindings } from './dedupe-findings.ts';
import type { VulnFinding } from './match-vulns.ts';

const finding = (over: Partial<VulnFinding>): VulnFinding => ({
  id: 'X',
  aliases: [],
  summary: '',
  purl: 'pkg:pypi/requests@2.30.0',
  installedVersion: '2.30.0',
  fixedVersions: [],
  severity: 'unknown',
  ...over,
});

describe('dedupeFindings', () => {
  it('merges records that alias each other, keeping the worst severity and all fixes', () => {
    const merged = dedupeFindings([
      finding({
        id: 'PYSEC-2023-74',
        aliases: ['CVE-2023-32681'],
        severity: 'medium',
        fixedVersions: ['2.31.0'],
      }),
      finding({
        id: 'GHSA-j8r2-6x86-q33q',
        aliases: ['CVE-2023-32681'],
        severity: 'medium',
        score: 6.1,
        fixedVersions: ['2.31.0'],
      }),
    ]);
    expect(merged).toEqual([
      finding({
        id: 'GHSA-j8r2-6x86-q33q',
        aliases: ['CVE-2023-32681', 'PYSEC-2023-74'],
        severity: 'medium',
        score: 6.1,
        fixedVersions: ['2.31.0'],
      }),
    ]);
  });

  it('links chains transitively (A~B, B~C) into one finding', () => {
    const merged = dedupeFindings([
      finding({ id: 'A', aliases: ['B'] }),
      finding({ id: 'C', aliases: [], severity: 'high' }),
      finding({ id: 'D', aliases: ['C', 'B'] }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'C', aliases: ['A', 'B', 'D'], severity: 'high' });
  });

  it('keeps the same advisory on two packages, and unrelated advisories, apart', () => {
    const merged = dedupeFindings([
      finding({ id: 'GHSA-1', purl: 'pkg:npm/a@1.0.0' }),
      finding({ id: 'GHSA-1', purl: 'pkg:npm/b@1.0.0' }),
      finding({ id: 'GHSA-2', purl: 'pkg:npm/a@1.0.0' }),
    ]);
    expect(merged.map((f) => `${f.purl} ${f.id}`)).toEqual([
      'pkg:npm/a@1.0.0 GHSA-1',
      'pkg:npm/a@1.0.0 GHSA-2',
      'pkg:npm/b@1.0.0 GHSA-1',
    ]);
  });
});
