import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo } from '../fixtures/repos/build-repo.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';
import { runCli } from '../support/run-cli.ts';

// The audit chain as a compliance reviewer meets it: every state change the CLI makes is a
// signed entry; `audit export` writes a bundle; `audit verify` checks it offline and checks
// the live database, naming the first thing wrong.
let root: string;
let dataDir: string;
let keyId: string;
let projectId: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-audit-cli-'));
  dataDir = join(root, 'data');
  buildRepo(join(root, 'orders'), nodeExpress);
  const init = await runCli(['--data-dir', dataDir, 'init', '--json']);
  keyId = JSON.parse(init.stdout).auditKeyId;
  const imported = await runCli(['--data-dir', dataDir, 'import', join(root, 'orders'), '--json']);
  projectId = JSON.parse(imported.stdout).projectId;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

describe('prodsprint audit export / verify', () => {
  it('init made a workstation key, kept in a file only its owner can read', () => {
    expect(keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'keys', 'workstation.key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o077).toBe(0);
  });

  it('exports a bundle that verifies offline against the expected signer', async () => {
    const bundle = join(root, 'all.tar.gz');
    const exported = await cli('audit', 'export', '-o', bundle, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const result = JSON.parse(exported.stdout);
    // key.created (init) and project.imported (import): every state change left an entry.
    expect(result).toMatchObject({ entries: 2, treeSize: 2, signerKeyId: keyId });
    const verified = await cli('audit', 'verify', bundle, '--trusted-key', keyId, '--json');
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, subject: 'bundle', entries: 2 });
  });

  it('re-auditing a project is recorded too, and a project slice exports only its entries', async () => {
    expect((await cli('audit', projectId, '--json')).code).toBe(0);
    const bundle = join(root, 'project.tar.gz');
    const exported = JSON.parse(
      (await cli('audit', 'export', '-o', bundle, '--project', projectId, '--json')).stdout,
    );
    expect(exported.entries).toBeGreaterThanOrEqual(2);
    expect((await cli('audit', 'verify', bundle)).code).toBe(0);
  });

  it('refuses a bundle signed by another key than the one trusted (exit 1)', async () => {
    const bundle = join(root, 'all.tar.gz');
    const result = await cli('audit', 'verify', bundle, '--trusted-key', 'f'.repeat(64));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED: /);
  });

  it('refuses a damaged bundle (exit 1)', async () => {
    const bundle = join(root, 'all.tar.gz');
    const damaged = join(root, 'damaged.tar.gz');
    const bytes = readFileSync(bundle);
    writeFileSync(damaged, bytes.subarray(0, bytes.length - 100));
    const result = await cli('audit', 'verify', damaged, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      problem: { reason: expect.any(String) },
    });
  });

  it("verifies the live chain, and names the row edited behind the app's back with the sqlite3 CLI", async () => {
    expect((await cli('audit', 'verify')).code).toBe(0);
    const sqlite = spawnSync(
      'sqlite3',
      [
        join(dataDir, 'prodsprint.db'),
        `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'project.deleted' WHERE action = 'project.imported';`,
      ],
      { encoding: 'utf8' },
    );
    expect(sqlite.status, sqlite.stderr).toBe(0);
    const result = await cli('audit', 'verify', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: false,
      subject: 'live',
      problem: { where: 'audit_log', seq: 2 },
    });
  });

  it('names the bad time when --from is not a time (exit 2)', async () => {
    const result = await cli(
      'audit',
      'export',
      '-o',
      join(root, 'x.tar.gz'),
      '--from',
      'yesterday',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--from: an ISO-8601 time/);
  });
});
