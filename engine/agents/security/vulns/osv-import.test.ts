import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../store/database.ts';
import { migrate } from '../../../store/migrations.ts';
import { matchPurls } from './match-vulns.ts';
import { importOsv } from './osv-import.ts';
import * as osv from './testing/osv-records.ts';
import { writeZip } from './testing/zip-writer.ts';

const MIGRATION = readFileSync(
  new URL('../../../store/migrations/0005_vulns.sql', import.meta.url),
  'utf8',
);
const NOW = '2026-01-01T00:00:00.000Z';
const root = mkdtempSync(join(tmpdir(), 'prodsprint-osv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
  // Only this stage's migration: the tables it needs stand alone.
  migrate(db, { migrations: [{ version: 1, name: 'vulns', sql: MIGRATION }] });
});

function writeDir(name: string, files: Record<string, unknown>): string {
  const dir = join(root, name);
  for (const [file, value] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return dir;
}

describe('importOsv', () => {
  it('imports a directory of OSV JSON and skips what is not OSV, with reasons', async () => {
    const dir = writeDir('dir', {
      'npm/GHSA-35jh-r3h4-6jhm.json': osv.LODASH_PROTOTYPE_POLLUTION,
      'PyPI/PYSEC-2023-74.json': osv.REQUESTS_LEAK,
      'broken.json': '{"id": ',
      'no-id.json': { modified: '2024-01-01T00:00:00Z' },
      'README.md': 'not json, not read',
    });
    const result = await importOsv(db, dir, { now: NOW });
    expect(result.stored).toBe(2);
    expect(result.skipped.map((s) => s.origin).sort()).toEqual(['broken.json', 'no-id.json']);
    const row = db
      .prepare('SELECT severity, score FROM vuln_advisories WHERE id = ?')
      .get(osv.LODASH_PROTOTYPE_POLLUTION.id);
    expect(row).toEqual({ severity: 'high', score: 7.2 });
  });

  it('imports a zip export and refuses one with a traversing entry', async () => {
    const good = join(root, 'all.zip');
    writeFileSync(
      good,
      writeZip([
        { name: 'GO-2024-2687.json', data: JSON.stringify(osv.XNET_HTTP2) },
        {
          name: 'GHSA-jjjh-jjxp-wpff.json',
          data: JSON.stringify(osv.JACKSON_GADGET),
          method: 'store',
        },
      ]),
    );
    expect((await importOsv(db, good, { now: NOW })).stored).toBe(2);
    const evil = join(root, 'evil.zip');
    writeFileSync(evil, writeZip([{ name: '../../etc/cron.d/x.json', data: '{}' }]));
    await expect(importOsv(db, evil, { now: NOW })).rejects.toThrow(/unsafe/);
  });

  it('keeps the newer record when the same id is imported twice', async () => {
    const newer = { ...osv.REQUESTS_LEAK, modified: '2024-06-01T00:00:00Z', summary: 'newer' };
    await importOsv(db, writeDir('newer', { 'a.json': newer }), { now: NOW });
    const older = await importOsv(db, writeDir('older', { 'a.json': osv.REQUESTS_LEAK }), {
      now: NOW,
    });
    expect(older).toMatchObject({ stored: 0, unchanged: 1 });
    expect(db.prepare('SELECT summary FROM vuln_advisories').get()).toEqual({ summary: 'newer' });
  });
});

describe('matchPurls', () => {
  beforeEach(async () => {
    const dir = writeDir(`all-${Math.random().toString(36).slice(2)}`, {
      'a.json': osv.LODASH_PROTOTYPE_POLLUTION,
      'b.json': osv.REQUESTS_LEAK,
      'c.json': osv.XNET_HTTP2,
      'd.json': osv.JACKSON_GADGET,
      'e.json': osv.WITHDRAWN,
    });
    await importOsv(db, dir, { now: NOW });
  });

  it('returns findings ready for the gate, across ecosystems', () => {
    const { findings, undetermined } = matchPurls(db, [
      'pkg:npm/lodash@4.17.20',
      'pkg:npm/lodash@4.17.21',
      'pkg:pypi/requests@2.30.0',
      'pkg:golang/golang.org/x/net@v0.0.0-20240604161424-a59d25b0b7e2',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4.1',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4.2',
      'pkg:cargo/serde@1.0.0',
    ]);
    expect(undetermined).toEqual([]);
    expect(findings).toEqual([
      {
        id: 'GO-2024-2687',
        aliases: ['CVE-2023-45288'],
        summary: 'HTTP/2 CONTINUATION flood in net/http',
        purl: 'pkg:golang/golang.org/x/net@v0.0.0-20240604161424-a59d25b0b7e2',
        installedVersion: 'v0.0.0-20240604161424-a59d25b0b7e2',
        fixedVersions: ['0.23.0'],
        severity: 'unknown',
      },
      {
        id: 'GHSA-jjjh-jjxp-wpff',
        aliases: ['CVE-2022-42003'],
        summary: 'Uncontrolled Resource Consumption in jackson-databind',
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4.1',
        installedVersion: '2.13.4.1',
        fixedVersions: ['2.12.7.1', '2.13.4.2'],
        severity: 'high',
        score: 7.5,
      },
      {
        id: 'GHSA-35jh-r3h4-6jhm',
        aliases: ['CVE-2021-23337'],
        summary: 'Command Injection in lodash',
        purl: 'pkg:npm/lodash@4.17.20',
        installedVersion: '4.17.20',
        fixedVersions: ['4.17.21'],
        severity: 'high',
        score: 7.2,
      },
      {
        id: 'PYSEC-2023-74',
        aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
        summary: 'Unintended leak of Proxy-Authorization header in requests',
        purl: 'pkg:pypi/requests@2.30.0',
        installedVersion: '2.30.0',
        fixedVersions: ['2.31.0'],
        severity: 'medium',
      },
    ]);
  });

  it('reports a version it cannot order as undetermined, not clean', () => {
    const result = matchPurls(db, ['pkg:pypi/requests@not-a-version']);
    expect(result.findings).toEqual([]);
    expect(result.undetermined).toEqual([
      {
        id: 'PYSEC-2023-74',
        purl: 'pkg:pypi/requests@not-a-version',
        installedVersion: 'not-a-version',
      },
    ]);
  });
});
