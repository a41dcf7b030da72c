import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, publishBare } from '../fixtures/repos/build-repo.ts';
import { nodeExpress } from '../fixtures/repos/node-stacks.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';
import { runCli } from '../support/run-cli.ts';

// `prodsprint import` / `audit` / `projects` as a user runs them: the real CLI in a child
// process, a real git repository, and a real git http-backend with basic auth on 127.0.0.1.
const PASSWORD = 'import-test-Pa55word-91c2';
let root: string;
let dataDir: string;
let server: GitHttpServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-import-cli-'));
  dataDir = join(root, 'data');
  buildRepo(join(root, 'orders'), nodeExpress);
  mkdirSync(join(root, 'served'));
  publishBare(join(root, 'orders'), join(root, 'served'), 'orders');
  server = await startGitHttpServer({
    projectRoot: join(root, 'served'),
    auth: { username: 'ci', password: PASSWORD },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(['--data-dir', dataDir, ...args], { env });

describe('prodsprint import / audit / projects', () => {
  let projectId: string;

  it('imports a local repository, audits it and prints the project as JSON', async () => {
    const result = await cli(['import', join(root, 'orders'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const project = JSON.parse(result.stdout);
    expect(project).toMatchObject({
      name: 'orders',
      branch: 'main',
      services: ['orders-api'],
      gaps: 1,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    projectId = project.projectId;
  });

  it('audit --json prints the fingerprint itself, with evidence', async () => {
    const result = await cli(['audit', projectId, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const fingerprint = JSON.parse(result.stdout);
    expect(fingerprint.version).toBe(1);
    expect(fingerprint.services[0]).toMatchObject({
      name: 'orders-api',
      framework: {
        value: 'express',
        evidence: [expect.objectContaining({ file: expect.any(String), line: expect.any(Number) })],
      },
      port: { value: 3000 },
    });
    const text = await cli(['audit', projectId]);
    expect(text.stdout).toMatch(/orders-api +\. +javascript +express +3000/);
    expect(text.stdout).toMatch(/-> Adopt a migrations tool/);
  });

  it('lists the project', async () => {
    const result = await cli(['projects', '--json']);
    expect(
      JSON.parse(result.stdout).projects.map((p: { projectId: string }) => p.projectId),
    ).toContain(projectId);
  });

  it('refuses a second project with the same name, naming the existing one (exit 1)', async () => {
    const result = await cli(['import', join(root, 'orders')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`a project named orders already exists (${projectId})`);
  });

  it('names the argument when the source does not exist (exit 2)', async () => {
    const result = await cli(['import', join(root, 'missing')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/<source>: no directory at/);
  });

  it('imports over HTTP with credentials from the environment, and never shows or stores them', async () => {
    const result = await cli(
      [
        'import',
        `${server.url}/orders.git`,
        '--name',
        'orders-http',
        '--credential-ref',
        'env:GIT_CREDENTIALS',
        '--json',
      ],
      {
        GIT_CREDENTIALS: `ci:${PASSWORD}`,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const project = JSON.parse(result.stdout);
    expect(project.repoUrl).toBe(`${server.url}/orders.git`);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(readFileSync(join(dataDir, 'prodsprint.db')).includes(PASSWORD)).toBe(false);
    expect(server.requests.every((request) => !request.url.includes('git-receive-pack'))).toBe(
      true,
    );
  });

  it('reports wrong credentials with a remedy and leaves no checkout behind', async () => {
    const before = readdirSync(join(dataDir, 'repos')).sort();
    const result = await cli(
      [
        'import',
        `${server.url}/orders.git`,
        '--name',
        'orders-denied',
        '--credential-ref',
        'env:GIT_CREDENTIALS',
      ],
      {
        GIT_CREDENTIALS: 'ci:wrong-password-123',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/auth-failed/);
    expect(result.stderr).not.toContain('wrong-password-123');
    expect(readdirSync(join(dataDir, 'repos')).sort()).toEqual(before);
  });

  it('projects sync fetches a new commit over HTTP, audits it again, and keeps the password out', async () => {
    const imported = JSON.parse((await cli(['projects', '--json'])).stdout).projects.find(
      (p: { name: string }) => p.name === 'orders-http',
    );
    const env = { GIT_CREDENTIALS: `ci:${PASSWORD}` };
    const sync = (extra: string[] = []) =>
      cli(
        [
          'projects',
          'sync',
          imported.projectId,
          '--credential-ref',
          'env:GIT_CREDENTIALS',
          ...extra,
        ],
        env,
      );

    const unchanged = await sync();
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toMatch(/no new commit \([0-9a-f]{12}\)/);

    // A second service lands on the server.
    const work = join(root, 'orders-next');
    gitIn(root, 'clone', '-q', join(root, 'served', 'orders.git'), work);
    mkdirSync(join(work, 'billing'));
    writeFileSync(
      join(work, 'billing', 'package.json'),
      JSON.stringify({ name: 'billing', scripts: { start: 'node index.js' } }),
    );
    writeFileSync(
      join(work, 'billing', 'index.js'),
      "require('http').createServer().listen(4000);\n",
    );
    gitIn(work, 'add', '-A');
    gitIn(work, 'commit', '-qm', 'billing');
    gitIn(work, 'push', '-q', 'origin', 'HEAD:main');

    const result = await sync(['--json']);
    expect(result.code, result.stderr).toBe(0);
    const synced = JSON.parse(result.stdout);
    expect(synced.changed).toBe(true);
    expect(synced.commit).toBe(gitIn(work, 'rev-parse', 'HEAD'));
    expect(synced.previousCommit).not.toBe(synced.commit);
    expect(synced.services).toEqual(expect.arrayContaining(['orders-api', 'billing']));
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(readFileSync(join(dataDir, 'prodsprint.db')).includes(PASSWORD)).toBe(false);
  });

  it('projects sync names an unknown project (exit 1)', async () => {
    const result = await cli(['projects', 'sync', 'prj_00000000000000000000000000000000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/prj_00000000000000000000000000000000/);
  });

  it('says which variable is missing when the credential reference is unset (exit 2)', async () => {
    const result = await cli([
      'import',
      `${server.url}/orders.git`,
      '--credential-ref',
      'env:NOT_SET_ANYWHERE',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--credential-ref: NOT_SET_ANYWHERE is not set/);
  });
});
