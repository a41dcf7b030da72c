import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectLockfiles } from './collect-lockfiles.ts';
import { GO_MOD, GO_SUM } from './testing/go-rust-java-lockfiles.ts';
import { YARN_V1_LOCK, YARN_V1_PACKAGE_JSON } from './testing/npm-lockfiles.ts';

const root = mkdtempSync(join(tmpdir(), 'prodsprint-collect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('collectLockfiles', () => {
  it('finds lockfiles in subfolders, reads siblings, skips installed dependencies', async () => {
    const dir = write({
      'svc/go.mod': GO_MOD,
      'svc/go.sum': GO_SUM,
      'web/yarn.lock': YARN_V1_LOCK,
      'web/package.json': YARN_V1_PACKAGE_JSON,
      'web/node_modules/dep/package-lock.json': '{"lockfileVersion":3,"packages":{}}',
      'worker/requirements-dev.txt': 'pytest==8.2.2\n',
    });
    const result = await collectLockfiles(dir);
    expect(result.problems).toEqual([]);
    expect(result.lockfiles.map((l) => [l.path, l.parsed.format])).toEqual([
      ['svc/go.mod', 'go-mod'],
      ['web/yarn.lock', 'yarn-v1'],
      ['worker/requirements-dev.txt', 'requirements-txt'],
    ]);
    // The sibling package.json gave yarn v1 its direct edges; go.sum gave Go its hashes.
    expect(result.lockfiles[1]!.parsed.direct).toHaveLength(2);
    expect(result.lockfiles[0]!.parsed.packages[0]!.hashes).toHaveLength(1);
  });

  it('reports unreadable or oversized lockfiles instead of skipping them silently', async () => {
    const dir = write({ 'package-lock.json': '{}', 'Cargo.lock': 'x'.repeat(2000) });
    const result = await collectLockfiles(dir, { maxBytes: 1000 });
    expect(result.lockfiles).toEqual([]);
    expect(result.problems.map((p) => p.path)).toEqual(['Cargo.lock', 'package-lock.json']);
    expect(result.problems[0]!.message).toMatch(/over the 1000-byte limit/);
  });

  it('does not follow symlinks out of the project', async () => {
    const outside = write({ 'poetry.lock': '[[package]]\nname = "x"\nversion = "1"\n' });
    const dir = write({});
    symlinkSync(outside, join(dir, 'linked'));
    symlinkSync(join(outside, 'poetry.lock'), join(dir, 'poetry.lock'));
    expect((await collectLockfiles(dir)).lockfiles).toEqual([]);
  });
});
