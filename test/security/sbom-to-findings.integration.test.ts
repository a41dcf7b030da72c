/**
 * The security stage's data path end to end, given / when / then: a project's lockfiles become
 * a validated SBOM, an OSV export (zip, as osv.dev publishes it) is imported into SQLite, and
 * the SBOM's packages are matched into de-duplicated findings for the policy gate.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSbom } from '../../engine/agents/security/sbom/generate-sbom.ts';
import { matchSbom } from '../../engine/agents/security/vulns/match-vulns.ts';
import { importOsv } from '../../engine/agents/security/vulns/osv-import.ts';
import { writeZip } from '../../engine/agents/security/vulns/testing/zip-writer.ts';
import { migrate } from '../../engine/store/migrations.ts';
import { writeTree } from '../fixtures/repos/build-repo.ts';
import { LOCKFILE_PROJECTS } from './lockfile-projects.ts';

const root = mkdtempSync(join(tmpdir(), 'prodsprint-sbom-findings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const advisory = (
  id: string,
  aliases: string[],
  ecosystem: string,
  name: string,
  fixed: string,
  extra = {},
) => ({
  schema_version: '1.6.0',
  id,
  modified: '2024-10-01T00:00:00Z',
  aliases,
  summary: `${name} advisory`,
  affected: [
    {
      package: { ecosystem, name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
  ...extra,
});

const EXPORT = [
  advisory('GO-2024-2687', ['CVE-2023-45288'], 'Go', 'golang.org/x/net', '0.23.0'),
  advisory('GHSA-q34m-jh98-gwm2', ['CVE-2024-49767'], 'PyPI', 'werkzeug', '3.0.6', {
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  }),
  advisory(
    'PYSEC-2024-118',
    ['CVE-2024-49767', 'GHSA-q34m-jh98-gwm2'],
    'PyPI',
    'Werkzeug',
    '3.0.6',
  ),
  advisory('GHSA-qw6h-vgh9-j6wx', ['CVE-2024-43796'], 'npm', 'express', '4.20.0', {
    database_specific: { severity: 'MODERATE' },
  }),
  advisory('GHSA-old0-0000-0000', [], 'npm', 'express', '4.0.0'),
];

describe('lockfiles → SBOM → OSV findings', () => {
  it('finds the vulnerable packages of a polyglot project, one finding per vulnerability', async () => {
    // Given a project with npm, pip and Go lockfiles, and an OSV export as a zip
    const project = join(root, 'project');
    writeTree(project, LOCKFILE_PROJECTS.polyglot!);
    const zip = join(root, 'osv-all.zip');
    writeFileSync(
      zip,
      writeZip(
        EXPORT.map((record) => ({ name: `${record.id}.json`, data: JSON.stringify(record) })),
      ),
    );
    const db = new Database(join(root, 'vulns.db'));
    const sql = readFileSync(
      new URL('../../engine/store/migrations/0005_vulns.sql', import.meta.url),
      'utf8',
    );
    migrate(db, { migrations: [{ version: 1, name: 'vulns', sql }] });

    // When the SBOM is generated, the export imported and the SBOM matched
    const sbom = await generateSbom(project, { project: { name: 'polyglot' } });
    const imported = await importOsv(db, zip, { now: '2026-01-01T00:00:00.000Z' });
    const result = matchSbom(db, sbom.json);
    db.close();

    // Then
    expect(sbom.problems).toEqual([]);
    expect(sbom.lockfiles).toEqual([
      'svc/go.mod',
      'web/package-lock.json',
      'worker/requirements.txt',
    ]);
    expect(imported.stored).toBe(5);
    expect(result.undetermined).toEqual([]);
    expect(
      result.findings.map((f) => [f.purl, f.id, f.aliases, f.fixedVersions, f.severity, f.score]),
    ).toEqual([
      [
        'pkg:golang/golang.org/x/net@v0.0.0-20240604161424-a59d25b0b7e2',
        'GO-2024-2687',
        ['CVE-2023-45288'],
        ['0.23.0'],
        'unknown',
        undefined,
      ],
      [
        'pkg:npm/express@4.19.2',
        'GHSA-qw6h-vgh9-j6wx',
        ['CVE-2024-43796'],
        ['4.20.0'],
        'medium',
        undefined,
      ],
      [
        'pkg:pypi/werkzeug@3.0.3',
        'GHSA-q34m-jh98-gwm2',
        ['CVE-2024-49767', 'PYSEC-2024-118'],
        ['3.0.6'],
        'high',
        7.5,
      ],
    ]);
  });
});
