import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsTreeReader } from './fs-tree-reader.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tree(): { root: string; outside: string } {
  dir = mkdtempSync(join(tmpdir(), 'ps-reader-'));
  const root = join(dir, 'repo');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.js'), 'a\n');
  writeFileSync(join(root, 'node_modules', 'x', 'index.js'), 'x\n');
  writeFileSync(join(dir, 'secret.txt'), 'outside\n');
  return { root, outside: join(dir, 'secret.txt') };
}

describe('FsTreeReader', () => {
  it('lists files, skips ignored folders, and classifies every kind of symlink', async () => {
    const { root, outside } = tree();
    symlinkSync(outside, join(root, 'abs-escape'));
    symlinkSync('../secret.txt', join(root, 'rel-escape'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
    symlinkSync('missing', join(root, 'dangling'));
    symlinkSync('..', join(root, 'src', 'up'));
    symlinkSync('a.js', join(root, 'src', 'alias.js'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const listing = await new FsTreeReader(root).list();
    expect(listing.files).toEqual(['src/a.js', 'src/alias.js']);
    expect(listing.skipped).toEqual([
      { path: 'abs-escape', reason: 'symlink-outside-repo' },
      { path: 'dangling', reason: 'symlink-dangling' },
      { path: 'loop1', reason: 'symlink-loop' },
      { path: 'loop2', reason: 'symlink-loop' },
      { path: 'pipe', reason: 'not-a-regular-file' },
      { path: 'rel-escape', reason: 'symlink-outside-repo' },
      { path: 'src/up', reason: 'symlink-to-directory' },
    ]);
  });

  it('reads only listed paths, and never reads a file over the cap', async () => {
    const { root } = tree();
    writeFileSync(join(root, 'big.txt'), 'x'.repeat(5000));
    const reader = new FsTreeReader(root);
    await reader.list();
    expect(new TextDecoder().decode((await reader.read('src/a.js', 100))?.bytes)).toBe('a\n');
    expect(await reader.read('big.txt', 100)).toEqual({ size: 5000 });
    expect(await reader.read('../secret.txt', 100)).toBeUndefined();
    expect(await reader.read('node_modules/x/index.js', 100)).toBeUndefined();
  });
});
