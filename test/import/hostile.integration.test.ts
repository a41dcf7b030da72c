/**
 * Hostile input (issue 5 acceptance): malformed manifests and YAML alias bombs, binary and
 * non-UTF-8 files, committed secrets, a 200 MB file, 100,000 files, symlink loops and escapes.
 * Nothing may crash; limits are enforced; each problem is a clear gap or a typed error.
 */
import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../engine/agents/repo-auditor/audit.ts';
import { GitImportError } from '../../engine/git/errors.ts';
import { importRepository } from '../../engine/git/import-repository.ts';
import { buildManyFilesBare, buildRepo, git } from '../fixtures/repos/build-repo.ts';
import { binaryAndEncodings, malformed, secrets, symlinks } from '../fixtures/repos/hostile.ts';
import { writeLargeMonorepo, writeSparseFile } from '../fixtures/repos/large-trees.ts';
import { startGitHttpServer } from '../support/git-http-server.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { describeFingerprint } from './describe-fingerprint.ts';
import { materialise } from './fixtures.ts';

let root: string;
let server: GitHttpServer;
const auth = { username: 'reader', password: 'hostile-pass-5521' };
const credentials = { kind: 'basic' as const, ...auth };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ps-hostile-'));
  for (const [name, tree] of Object.entries({ malformed, binaryAndEncodings, secrets, symlinks }))
    materialise(root, name, tree);
  server = await startGitHttpServer({ projectRoot: join(root, 'served'), auth });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function importOverHttp(name: string) {
  return importRepository({
    source: `${server.url}/${name}.git`,
    destDir: join(root, 'imported', name),
    credentials,
  });
}

describe('malformed files', () => {
  it('turns every malformed manifest, YAML alias bomb and broken chart into a gap', async () => {
    const started = Date.now();
    const view = describeFingerprint(
      await auditRepository((await importOverHttp('malformed')).dir),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(view.services).toEqual({});
    expect(view.gaps).toEqual([
      'malformed-manifest - @ .github/workflows/ci.yml:2',
      'malformed-manifest - @ charts/x/Chart.yaml:1',
      'malformed-manifest - @ deploy/bad.yaml:4',
      'malformed-manifest - @ deploy/bomb.yaml:1',
      'malformed-manifest - @ docker-compose.yml:1',
      'malformed-manifest - @ go/go.mod:1',
      'malformed-manifest - @ java/pom.xml:1',
      'malformed-manifest - @ package.json:1',
      'malformed-manifest - @ py/pyproject.toml:1',
    ]);
  });

  it('reports binary and non-UTF-8 manifests as unreadable and skips binary sources', async () => {
    const fingerprint = await auditRepository((await importOverHttp('binaryAndEncodings')).dir);
    const view = describeFingerprint(fingerprint);
    expect(Object.keys(view.services)).toEqual(['svc-c']);
    expect(view.services['svc-c']?.port).toBe('3000 @ svc-c/index.js:1');
    expect(view.gaps.filter((gap) => gap.startsWith('unreadable-file'))).toEqual([
      'unreadable-file - @ svc-a/package.json:1',
      'unreadable-file - @ svc-b/requirements.txt:1',
    ]);
  });

  it('reports committed secrets by place, never by value', async () => {
    const fingerprint = await auditRepository((await importOverHttp('secrets')).dir);
    const secretsFound = fingerprint.gaps.filter((gap) => gap.id === 'committed-secret');
    expect(secretsFound.map((gap) => `${gap.evidence[0]?.file}:${gap.evidence[0]?.line}`)).toEqual([
      '.env:2',
      'config/settings.yml:2',
      'deploy/id_rsa:1',
      'deploy/secret.yaml:2',
    ]);
    const text = JSON.stringify(fingerprint);
    expect(text).not.toContain('hunter2-prod');
    expect(text).not.toContain(['AKIA', 'IOSFODNN7'].join(''));
    expect(text).not.toContain('MIIEowIBAAKCAQEA');
  });
});

describe('symlinks', () => {
  it('never follows links out of the repository, in a loop or into a directory (audit from disk)', async () => {
    const workdir = join(root, 'work', 'symlinks');
    writeFileSync(join(root, 'work', 'outside.txt'), 'outside\n');
    const fingerprint = await auditRepository(workdir);
    expect(fingerprint.stats.skipped).toEqual([
      { path: 'escape-passwd', reason: 'symlink-outside-repo' },
      { path: 'escape-up', reason: 'symlink-outside-repo' },
      { path: 'loop-a', reason: 'symlink-loop' },
      { path: 'loop-b', reason: 'symlink-loop' },
      { path: 'self-dir', reason: 'symlink-to-directory' },
    ]);
    expect(
      describeFingerprint(fingerprint).gaps.filter((gap) => gap.startsWith('symlink')),
    ).toEqual(['symlink-outside-repo - @ escape-passwd:1', 'symlink-outside-repo - @ escape-up:1']);
  });

  it('checks symlinks out as plain files on import and reports where they point', async () => {
    const imported = await importOverHttp('symlinks');
    expect(lstatSync(join(imported.dir, 'escape-passwd')).isSymbolicLink()).toBe(false);
    expect(imported.symlinks).toEqual([
      { path: 'escape-passwd', target: '/etc/passwd', escapesRepo: true },
      { path: 'escape-up', target: '../outside.txt', escapesRepo: true },
      { path: 'inside-link.js', target: 'index.js', escapesRepo: false },
      { path: 'loop-a', target: 'loop-b', escapesRepo: false },
      { path: 'loop-b', target: 'loop-a', escapesRepo: false },
      { path: 'self-dir', target: '.', escapesRepo: false },
    ]);
    const fingerprint = await auditRepository(imported.dir);
    expect(fingerprint.stats.skipped).toEqual([]);
  });
});

describe('size limits', () => {
  it('refuses a repository with a 200 MB file before checking it out', async () => {
    const workdir = join(root, 'work', 'huge-file');
    buildRepo(workdir, { 'package.json': '{ "name": "huge" }\n' });
    await writeSparseFile(join(workdir, 'data.bin'), 200 * 1024 * 1024);
    // Stored whole (no delta search), as git does for big files by default at 512 MiB.
    git(workdir, ['-c', 'core.bigFileThreshold=1m', 'add', 'data.bin']);
    git(workdir, ['commit', '-q', '-m', 'big']);
    const destDir = join(root, 'imported', 'huge-file');
    const error = await importRepository({ source: workdir, destDir }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitImportError);
    expect((error as GitImportError).kind).toBe('limit-exceeded');
    expect((error as GitImportError).message).toContain('data.bin');
  });

  it('audits a tree holding a 200 MB manifest without reading it', async () => {
    const dir = join(root, 'work', 'huge-manifest');
    buildRepo(dir, { 'README.md': 'x\n' });
    await writeSparseFile(join(dir, 'package.json'), 200 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const fingerprint = await auditRepository(dir);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(describeFingerprint(fingerprint).gaps).toContain('unreadable-file - @ package.json:1');
  });

  it('audits 100,000 files on disk', async () => {
    const dir = join(root, 'work', 'many-files');
    writeLargeMonorepo(dir, { files: 100_000, services: 20 });
    const fingerprint = await auditRepository(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(fingerprint.stats.files).toBe(100_000);
    expect(fingerprint.services.map((service) => service.name)).toHaveLength(20);
    expect(
      fingerprint.services.every((service) => service.healthEndpoint?.value === '/health'),
    ).toBe(true);
    expect(fingerprint.monorepoTool?.value).toBe('turborepo');
  });

  it('refuses a 100,000-file repository over the file-count limit, before checkout', async () => {
    buildManyFilesBare(join(root, 'served', 'many.git'), 100_000);
    const destDir = join(root, 'imported', 'many');
    const error = await importRepository({
      source: `${server.url}/many.git`,
      destDir,
      credentials,
      limits: { maxFiles: 50_000 },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitImportError);
    expect((error as GitImportError).kind).toBe('limit-exceeded');
    expect((error as GitImportError).message).toContain('50000 files');
    expect(existsSync(destDir)).toBe(false);
  });

  it('cuts a download off at the repository size limit', async () => {
    const error = await importRepository({
      source: `${server.url}/many.git`,
      destDir: join(root, 'imported', 'many-bytes'),
      credentials,
      limits: { maxRepoBytes: 64 * 1024 },
    }).catch((caught: unknown) => caught);
    expect((error as GitImportError).kind).toBe('limit-exceeded');
    expect((error as GitImportError).message).toContain('size limit');
  });
});
