/**
 * The git write path (issue 9) against real git: a work tree whose checkout, index and HEAD
 * must not change while generated files are committed to a new branch, and a real
 * `git http-backend` on 127.0.0.1 (test/support/git-http-server.ts) with basic auth receiving
 * the push. Also the hotfix branch at last known good, and that secrets never reach an error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFilesToBranch, GitWriteError, prepareHotfixBranch } from '../../engine/git/index.ts';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.ts';

const AUTH = { username: 'bot', password: 'push-secret-4f1c9a' };
const author = {
  name: 'ProdSprint',
  email: 'bot@prodsprint.local',
  date: new Date('2026-11-25T10:00:00Z'),
};

let root: string;
let work: string;
let server: GitHttpServer;
let first: string;
let second: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'git-branches-'));
  work = join(root, 'work');
  git(root, 'init', '-q', '-b', 'main', work);
  git(work, 'config', 'user.name', 'dev');
  git(work, 'config', 'user.email', 'dev@example.com');
  writeFileSync(join(work, 'app.txt'), 'v1\n');
  git(work, 'add', 'app.txt');
  git(work, 'commit', '-q', '-m', 'v1');
  first = git(work, 'rev-parse', 'HEAD');
  writeFileSync(join(work, 'app.txt'), 'v2\n');
  git(work, 'commit', '-q', '-am', 'v2');
  second = git(work, 'rev-parse', 'HEAD');
  // The user's uncommitted edit and staged file: both must survive untouched.
  writeFileSync(join(work, 'app.txt'), 'local edit\n');
  writeFileSync(join(work, 'staged.txt'), 'staged\n');
  git(work, 'add', 'staged.txt');
  const bare = join(root, 'srv', 'app.git');
  git(root, 'init', '-q', '--bare', bare);
  git(bare, 'config', 'http.receivepack', 'true');
  server = await startGitHttpServer({ projectRoot: join(root, 'srv'), auth: AUTH });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const files = [
  { path: '.github/workflows/ci.yml', content: 'name: ci\non: push\n' },
  { path: 'deploy/Dockerfile', content: 'FROM scratch\n' },
];

describe('commitFilesToBranch', () => {
  it('commits onto a new branch without touching the checkout, and pushes it over HTTP', async () => {
    const status = git(work, 'status', '--porcelain');
    const result = await commitFilesToBranch({
      repoDir: work,
      branch: 'prodsprint/ci',
      files,
      message: 'ProdSprint: CI and deploy artifacts',
      author,
      remote: { url: `${server.url}/app.git`, credentials: { kind: 'basic', ...AUTH } },
    });
    expect(result).toMatchObject({ branch: 'prodsprint/ci', changed: true, pushed: true });
    // The user's side: same branch, same HEAD, same status, same file content.
    expect(git(work, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(git(work, 'rev-parse', 'HEAD')).toBe(second);
    expect(git(work, 'status', '--porcelain')).toBe(status);
    expect(readFileSync(join(work, 'app.txt'), 'utf8')).toBe('local edit\n');
    // The branch: one commit on HEAD with the files, the rest of the tree kept.
    expect(git(work, 'rev-parse', `${result.commit}^`)).toBe(second);
    expect(git(work, 'show', `${result.commit}:deploy/Dockerfile`)).toBe('FROM scratch');
    expect(git(work, 'show', `${result.commit}:app.txt`)).toBe('v2');
    expect(git(work, 'log', '-1', '--format=%an <%ae> %s', result.commit)).toBe(
      'ProdSprint <bot@prodsprint.local> ProdSprint: CI and deploy artifacts',
    );
    // The server got it.
    const bare = join(root, 'srv', 'app.git');
    expect(git(bare, 'rev-parse', 'refs/heads/prodsprint/ci')).toBe(result.commit);
    expect(
      server.requests.some((r) => r.url.includes('git-receive-pack') && r.method === 'POST'),
    ).toBe(true);
  });

  it('is idempotent: the same files again make no commit and report unchanged', async () => {
    const before = git(work, 'rev-parse', 'refs/heads/prodsprint/ci');
    const again = await commitFilesToBranch({
      repoDir: work,
      branch: 'prodsprint/ci',
      files,
      message: 'ProdSprint: CI and deploy artifacts',
      author,
      remote: { url: `${server.url}/app.git`, credentials: { kind: 'basic', ...AUTH } },
    });
    expect(again).toEqual({
      branch: 'prodsprint/ci',
      commit: before,
      changed: false,
      pushed: true,
    });
  });

  it('refuses path traversal and .git before writing anything', async () => {
    for (const path of [
      '../escape.txt',
      '/etc/passwd',
      'a/../../b',
      '.git/hooks/post-commit',
      'a//b',
    ]) {
      const error = await commitFilesToBranch({
        repoDir: work,
        branch: 'prodsprint/evil',
        files: [{ path, content: 'x' }],
        message: 'x',
        author,
      }).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(GitWriteError);
      expect((error as GitWriteError).kind).toBe('invalid-path');
    }
    expect(git(work, 'branch', '--list', 'prodsprint/evil')).toBe('');
  });

  it('refuses to write the checked-out branch', async () => {
    const error = await commitFilesToBranch({
      repoDir: work,
      branch: 'main',
      files,
      message: 'x',
      author,
    }).catch((e: unknown) => e);
    expect((error as GitWriteError).kind).toBe('branch-checked-out');
  });

  it('a wrong password fails as auth-failed and the password is in no error', async () => {
    const error = (await commitFilesToBranch({
      repoDir: work,
      branch: 'prodsprint/other',
      files: [{ path: 'x.txt', content: 'x' }],
      message: 'x',
      author,
      remote: {
        url: `${server.url}/app.git`,
        credentials: { kind: 'basic', username: 'bot', password: 'wrong-secret-9z9z9z' },
      },
    }).catch((e: unknown) => e)) as GitWriteError;
    expect(error).toBeInstanceOf(GitWriteError);
    expect(error.kind).toBe('auth-failed');
    expect(`${error.message} ${error.remediation}`).not.toContain('wrong-secret-9z9z9z');
  });
});

describe('prepareHotfixBranch', () => {
  it('creates hotfix/<version>-from-<short> at last known good, idempotently, and pushes it', async () => {
    const remote = {
      url: `${server.url}/app.git`,
      credentials: { kind: 'basic' as const, ...AUTH },
    };
    const made = await prepareHotfixBranch({
      repoDir: work,
      fromRef: first,
      releaseId: 'rel_1',
      version: 'v2',
      remote,
    });
    expect(made).toEqual({
      branch: `hotfix/v2-from-${first.slice(0, 7)}`,
      commit: first,
      changed: true,
      pushed: true,
    });
    expect(git(work, 'rev-parse', `refs/heads/${made.branch}`)).toBe(first);
    expect(git(join(root, 'srv', 'app.git'), 'rev-parse', `refs/heads/${made.branch}`)).toBe(first);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(second);
    const again = await prepareHotfixBranch({
      repoDir: work,
      fromRef: first,
      releaseId: 'rel_1',
      version: 'v2',
    });
    expect(again).toMatchObject({ branch: made.branch, commit: first, changed: false });
  });

  it('names a missing ref clearly', async () => {
    const error = (await prepareHotfixBranch({
      repoDir: work,
      fromRef: 'v9-does-not-exist',
      releaseId: 'rel_1',
      version: 'v2',
    }).catch((e: unknown) => e)) as GitWriteError;
    expect(error.kind).toBe('ref-not-found');
  });
});
