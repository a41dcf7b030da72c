/**
 * `prodsprint config` as a user runs it (issue 14): a child process per command on a real data
 * dir, the settings read back, every change an audit entry in the signed chain, and the one rule
 * that matters most: a credential never reaches the database (only its `env:NAME` reference).
 * The same operations over HTTP /v1 answer the same values.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/api/engine.ts';
import { startHttpServer } from '../../engine/api/http-server.ts';
import { runCli } from '../support/run-cli.ts';

const SECRET = 'ci:Mirror-Pa55word-7781';
let root: string;
let dataDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-config-cli-'));
  dataDir = join(root, 'data');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['--data-dir', dataDir, ...args], { env });

function configAuditEntries(): Array<{ action: string; target: string; meta: unknown }> {
  const db = new Database(join(dataDir, 'prodsprint.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT action, target, meta FROM audit_log WHERE action LIKE 'config.%' ORDER BY seq`,
      )
      .all() as Array<{ action: string; target: string; meta: string }>;
    return rows.map((row) => ({ ...row, meta: JSON.parse(row.meta) }));
  } finally {
    db.close();
  }
}

describe('prodsprint config', () => {
  it('lists every known key, not set, with an example of each in --help', async () => {
    const list = await cli(['config', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(
      JSON.parse(list.stdout).settings.map((s: { key: string; value: unknown }) => [
        s.key,
        s.value,
      ]),
    ).toEqual([
      ['registry.mirror', null],
      ['mirrors.npm', null],
      ['mirrors.pypi', null],
      ['mirrors.go', null],
      ['mirrors.maven', null],
    ]);
    const help = await cli(['config', 'set', '--help']);
    expect(help.code).toBe(0);
    for (const key of [
      'registry.mirror',
      'mirrors.npm',
      'mirrors.pypi',
      'mirrors.go',
      'mirrors.maven',
    ])
      expect(help.stdout).toMatch(
        new RegExp(`e\\.g\\. prodsprint config set ${key.replace('.', '\\.')} https://`),
      );
  });

  it('sets a mirror with a credential reference, reads it back, and audits the change', async () => {
    const set = await cli(
      [
        'config',
        'set',
        'mirrors.npm',
        'https://nexus.example.internal/repository/npm-proxy/',
        '--credential-ref',
        'env:NPM_MIRROR',
      ],
      { NPM_MIRROR: SECRET },
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(
      'Set mirrors.npm to https://nexus.example.internal/repository/npm-proxy/  (credential: env:NPM_MIRROR)\n',
    );
    const get = await cli(['config', 'get', 'mirrors.npm', '--json']);
    expect(JSON.parse(get.stdout)).toMatchObject({
      key: 'mirrors.npm',
      value: {
        url: 'https://nexus.example.internal/repository/npm-proxy/',
        credentialRef: 'env:NPM_MIRROR',
      },
    });
    expect(configAuditEntries()).toEqual([
      {
        action: 'config.set',
        target: 'setting:mirrors.npm',
        meta: {
          key: 'mirrors.npm',
          old: null,
          new: {
            url: 'https://nexus.example.internal/repository/npm-proxy/',
            credentialRef: 'env:NPM_MIRROR',
          },
        },
      },
    ]);
  });

  it('warns when the credential variable is not set where the command runs', async () => {
    const set = await cli([
      'config',
      'set',
      'mirrors.go',
      'http://athens.example.internal/',
      '--credential-ref',
      'env:GO_MIRROR_TOKEN',
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('warning: GO_MIRROR_TOKEN is not set');
  });

  it('refuses a URL carrying user:password (exit 2), says where the credential goes, never echoes it', async () => {
    const result = await cli([
      'config',
      'set',
      'mirrors.pypi',
      'https://ci:Mirror-Pa55word-7781@pypi.example.internal/simple/',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '<url>: a URL must not carry a user or password: put the credential in an environment variable and give --credential-ref env:NAME',
    );
    expect(result.stderr + result.stdout).not.toContain('Mirror-Pa55word-7781');
    const get = await cli(['config', 'get', 'mirrors.pypi', '--json']);
    expect(JSON.parse(get.stdout).value).toBeNull();
  });

  it('refuses an unknown key (exit 2) and lists the known ones', async () => {
    const result = await cli(['config', 'set', 'mirrors.cargo', 'http://x.internal/']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '<key>: unknown setting; the known keys are registry.mirror, mirrors.npm, mirrors.pypi, mirrors.go, mirrors.maven',
    );
  });

  it('unsets a mirror with an audit entry of the old value; a second unset changes nothing', async () => {
    const first = await cli(['config', 'unset', 'mirrors.npm']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Unset mirrors\.npm \(was https:/);
    const second = await cli(['config', 'unset', 'mirrors.npm']);
    expect(second.stdout).toBe('mirrors.npm was not set; nothing changed\n');
    const entries = configAuditEntries();
    expect(entries.map((entry) => entry.action)).toEqual([
      'config.set',
      'config.set',
      'config.unset',
    ]);
    expect(entries[2]!.meta).toMatchObject({ old: { credentialRef: 'env:NPM_MIRROR' }, new: null });
  });

  it('the signed chain verifies with the config entries in it', async () => {
    const verified = await cli(['audit', 'verify', '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  });

  it('no byte of the database holds the credential', () => {
    for (const file of ['prodsprint.db', 'prodsprint.db-wal']) {
      const path = join(dataDir, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from('Mirror-Pa55word-7781'))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(SECRET).toString('base64')))).toBe(false);
    }
  });
});

describe('config over HTTP /v1', () => {
  it('sets with POST /v1/config/:key and reads with GET /v1/config', async () => {
    const engine = createEngine({ dataDir, env: {} });
    const server = await startHttpServer(engine, { port: 0 });
    try {
      const token = readFileSync(server.tokenFile, 'utf8').trim();
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      const set = await call('POST', '/config/mirrors.maven', {
        value: { url: 'https://nexus.example.internal/repository/maven-public/' },
      });
      expect(set.status).toBe(200);
      const list = (await (await call('GET', '/config')).json()) as {
        settings: Array<{ key: string; value: { url: string } | null }>;
      };
      expect(list.settings.find((s) => s.key === 'mirrors.maven')?.value).toEqual({
        url: 'https://nexus.example.internal/repository/maven-public/',
      });
      const refused = await call('POST', '/config/mirrors.maven', {
        value: { url: 'ftp://nexus.example.internal/' },
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([
        { field: 'input.value.url', message: 'ftp: is not served: give an http(s) URL' },
      ]);
      const unset = await call('POST', '/config/mirrors.maven/unset');
      expect(await unset.json()).toMatchObject({ key: 'mirrors.maven', removed: true });
    } finally {
      await server.close();
      engine.close();
    }
  });
});
