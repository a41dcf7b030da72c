import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOsv } from '../../agents/security/vulns/osv-import.ts';
import { SETTINGS } from '../../contract/config.contract.ts';
import { openStore } from '../../store/database.ts';
import { writeSetting } from '../../store/repositories/settings.ts';
import type { DoctorDocker } from './doctor-engine.ts';
import { checkVulnerabilityData, offlineInputChecks } from './doctor-offline.ts';

let root: string;
let dataDir: string;
const servers: Server[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-doctor-offline-'));
  dataDir = join(root, 'data');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const noEngine = () =>
  Promise.resolve(
    new Docker({ socketPath: join(root, 'no-such.sock'), timeout: 1000 }) as DoctorDocker,
  );

const run = () => offlineInputChecks({ dataDir, env: {}, docker: noEngine() });

/** A loopback registry stand-in answering /v2/ like Distribution does. */
async function registry(): Promise<string> {
  const server = createServer((request, response) =>
    response.writeHead(request.url === '/v2/' ? 200 : 404).end('{}'),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One OSV record in the real schema (https://ossf.github.io/osv-schema/). */
function osvExport(): string {
  const dir = join(root, 'osv');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'TEST-2026-0001.json'),
    JSON.stringify({
      schema_version: '1.6.0',
      id: 'TEST-2026-0001',
      modified: '2026-11-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'doctor-test-package' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
        },
      ],
    }),
  );
  return dir;
}

describe('doctor: offline inputs', () => {
  it('given no database yet, then nothing is configured or imported, each with its remedy, and no database is made', async () => {
    const checks = await run();
    const byId = Object.fromEntries(checks.map((check) => [check.id, check]));
    for (const id of [
      'registry-mirror',
      'package-mirror.npm',
      'package-mirror.pypi',
      'package-mirror.go',
      'package-mirror.maven',
    ])
      expect(byId[id], id).toMatchObject({
        status: 'warn',
        detail: expect.stringMatching(/^not configured/),
      });
    expect(byId['vulnerability-data']).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no database yet'),
      remedy: expect.stringContaining('prodsprint vulns import <dir|zip>'),
    });
    expect(byId['stand-in.node']).toBeDefined();
    expect(byId['backing-service.postgres']).toBeDefined();
    expect(byId['backing-service.mongodb']).toBeDefined();
    for (const check of checks) {
      expect(check.required, check.id).toBe(false);
      if (check.status !== 'ok') expect(check.remedy, check.id).toBeTruthy();
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('given configured mirrors and imported advisories, then each is probed and counted, and no file is left beside the database', async () => {
    const store = openStore(dataDir);
    const url = await registry();
    const npm = `http://127.0.0.1:${await closedPort()}/`;
    writeSetting(store.db, 'registry.mirror', SETTINGS['registry.mirror'].schema, { url }, 'u');
    writeSetting(store.db, 'mirrors.npm', SETTINGS['mirrors.npm'].schema, { url: npm }, 'u');
    await importOsv(store.db, osvExport(), { now: '2026-12-01T00:00:00Z' });
    store.close();
    const files = readdirSync(dataDir).sort();

    const byId = Object.fromEntries((await run()).map((check) => [check.id, check]));
    expect(byId['registry-mirror']).toMatchObject({
      status: 'ok',
      detail: `${url} answers on ${url}/v2/ (HTTP 200)`,
    });
    expect(byId['package-mirror.npm']).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining(`${npm} does not answer (connection refused)`),
    });
    expect(byId['package-mirror.pypi']).toMatchObject({
      detail: expect.stringMatching(/^not configured/),
    });
    expect(byId['vulnerability-data']).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^1 advisory imported/),
    });
    expect(readdirSync(dataDir).sort()).toEqual(files);
  });

  it('given a setting edited outside ProdSprint, then one warning says the settings cannot be read and how to fix them', async () => {
    const store = openStore(dataDir);
    store.db
      .prepare(`INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, 'x', 'x')`)
      .run('mirrors.go', JSON.stringify({ url: 'ftp://nope' }));
    store.close();
    const checks = await run();
    expect(checks.filter((check) => check.id.includes('mirror'))).toEqual([
      expect.objectContaining({
        id: 'mirrors',
        status: 'warn',
        detail: expect.stringContaining('cannot read the mirror settings'),
        remedy: expect.stringContaining('prodsprint config unset <key>'),
      }),
    ]);
    // The advisory count is read on its own: the bad row does not hide it.
    expect(checks.find((check) => check.id === 'vulnerability-data')).toMatchObject({
      detail: expect.stringMatching(/^no advisories imported/),
    });
  });
});

describe('doctor: vulnerability data', () => {
  it('given none imported, then the gate will deny, and the remedy imports an OSV export', () => {
    expect(checkVulnerabilityData(0)).toEqual({
      id: 'vulnerability-data',
      title: 'Vulnerability data (OSV)',
      status: 'warn',
      required: false,
      detail:
        'no advisories imported: the vulnerability gate denies every release (a scan against nothing cannot be shown clean)',
      remedy: expect.stringContaining('prodsprint vulns import <dir|zip>'),
    });
  });

  it('given advisories, then their number', () => {
    expect(checkVulnerabilityData(41_512)).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^41512 advisories imported/),
    });
  });
});
