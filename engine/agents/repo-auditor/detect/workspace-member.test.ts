import { describe, expect, it } from 'vitest';
import { auditTree } from '../audit.ts';
import { MemoryTreeReader } from '../tree-reader.ts';
import { globMatches } from './workspace-member.ts';

describe('globMatches', () => {
  it.each([
    ['apps/*', 'apps/web', true],
    ['apps/*', 'apps/web/admin', false],
    ['packages/**', 'packages/a/b', true],
    ['./dashboard/*', 'dashboard/final-example', true],
    ['apps/app-*', 'apps/app-shop', true],
    ['apps/app-*', 'apps/web', false],
    ['**/examples/*', 'a/b/examples/x', true],
    ['tools', 'tools', true],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(globMatches(glob, path)).toBe(expected);
  });

  it('stays fast on a hostile glob (no backtracking blow-up)', () => {
    const glob = `${'**/'.repeat(30)}x`;
    const path = `${'a/'.repeat(40)}b`;
    expect(globMatches(glob, path)).toBe(false);
  });
});

describe('a lockfile above a project', () => {
  const app = (name: string) =>
    JSON.stringify({
      name,
      scripts: { build: 'next build', start: 'next start' },
      dependencies: { next: '^14.0.0' },
    });
  const tree = {
    'package.json': JSON.stringify({ private: true, packageManager: 'pnpm@8.7.0' }),
    'pnpm-workspace.yaml': "packages:\n  - 'dashboard/*'\n  - '!dashboard/legacy'\n",
    'pnpm-lock.yaml': "lockfileVersion: '6.0'\n",
    'dashboard/final/package.json': app('final'),
    'dashboard/final/app/page.tsx': 'export default () => null;\n',
    'dashboard/legacy/package.json': app('legacy'),
    'dashboard/legacy/pages/index.js': 'export default () => null;\n',
    'basics/learn/package.json': app('learn'),
    'basics/learn/pages/index.js': 'export default () => null;\n',
  };

  it('belongs to a project only when the workspace there declares it', async () => {
    const { services } = await auditTree(new MemoryTreeReader(tree));
    const lockfiles = Object.fromEntries(
      services.map((service) => [service.path, service.lockfile?.value ?? null]),
    );
    expect(lockfiles).toEqual({
      'basics/learn': null,
      'dashboard/final': 'pnpm-lock.yaml',
      'dashboard/legacy': null,
    });
    expect(services.find((s) => s.path === 'basics/learn')?.packageManager?.value).toBe('npm');
  });
});
