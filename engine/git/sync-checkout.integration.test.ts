import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGitImportError } from './errors.ts';
import { importRepository } from './import-repository.ts';
import { syncCheckout } from './sync-checkout.ts';
import { commitFilesToBranch } from './write-branch.ts';

let work: string;
let source: string;
let checkout: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'prodsprint-sync-'));
  source = join(work, 'source');
  checkout = join(work, 'repos', 'prj_1');
  git(work, 'init', '-q', '-b', 'main', source);
  writeFileSync(join(source, 'app.js'), 'v1\n');
  writeFileSync(join(source, 'old.txt'), 'removed later\n');
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'v1');
  await importRepository({ source, destDir: checkout });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('syncCheckout', () => {
  it('moves the checkout to the source’s new commit and keeps the branches apply runs wrote', async () => {
    const first = git(checkout, 'rev-parse', 'HEAD');
    const blueprint = await commitFilesToBranch({
      repoDir: checkout,
      branch: 'prodsprint/blueprint-v1',
      files: [{ path: 'Dockerfile', content: 'FROM scratch\n' }],
      message: 'blueprint',
      author: { name: 'ProdSprint', email: 'prodsprint@localhost' },
    });
    writeFileSync(join(source, 'app.js'), 'v2\n');
    git(source, 'rm', '-q', 'old.txt');
    git(source, 'commit', '-qam', 'v2');

    const synced = await syncCheckout({ source, checkoutDir: checkout });

    expect(synced.previousCommit).toBe(first);
    expect(synced.commit).toBe(git(source, 'rev-parse', 'HEAD'));
    expect(synced.changed).toBe(true);
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(synced.commit);
    expect(git(checkout, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(readFileSync(join(checkout, 'app.js'), 'utf8')).toBe('v2\n');
    expect(existsSync(join(checkout, 'old.txt'))).toBe(false);
    expect(git(checkout, 'status', '--porcelain')).toBe('');
    // What a rollback or a hotfix branch needs is still there.
    expect(git(checkout, 'rev-parse', 'prodsprint/blueprint-v1')).toBe(blueprint.commit);
    expect(git(checkout, 'cat-file', '-t', first)).toBe('commit');
    // The fresh import it fetched from is gone, and no temporary ref is left behind.
    expect(readdirSync(join(work, 'repos'))).toEqual(['prj_1']);
    expect(git(checkout, 'for-each-ref', '--format=%(refname)', 'refs/prodsprint')).toBe('');
  });

  it('says when the source has nothing new', async () => {
    const synced = await syncCheckout({ source, checkoutDir: checkout });
    expect(synced.changed).toBe(false);
    expect(synced.commit).toBe(synced.previousCommit);
  });

  it('leaves the checkout as it was when the source cannot be read', async () => {
    const before = git(checkout, 'rev-parse', 'HEAD');
    rmSync(source, { recursive: true, force: true });
    const failure = await syncCheckout({ source, checkoutDir: checkout }).catch((e: unknown) => e);
    expect(isGitImportError(failure)).toBe(true);
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(before);
    expect(readdirSync(join(work, 'repos'))).toEqual(['prj_1']);
  });
});
