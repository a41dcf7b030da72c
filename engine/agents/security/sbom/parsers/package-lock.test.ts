import { describe, expect, it } from 'vitest';
import { edges, find } from '../testing/graph.ts';
import { PACKAGE_LOCK_V3, sri } from '../testing/npm-lockfiles.ts';
import { parsePackageLock } from './package-lock.ts';

describe('parsePackageLock', () => {
  const parsed = parsePackageLock(PACKAGE_LOCK_V3);

  it('resolves each edge to the nearest node_modules copy, as Node does', () => {
    expect(edges(parsed)).toEqual({
      'pkg:npm/%40babel/code-frame@7.24.7': ['pkg:npm/picocolors@1.0.1'],
      'pkg:npm/debug@2.6.9': ['pkg:npm/ms@2.0.0'],
      'pkg:npm/ms@2.0.0': [],
      'pkg:npm/express@4.19.2': ['pkg:npm/debug@2.6.9', 'pkg:npm/ms@2.1.3'],
      'pkg:npm/ms@2.1.3': [],
      'pkg:npm/picocolors@1.0.1': [],
      'pkg:npm/typescript@5.4.5': [],
    });
    expect(parsed.direct).toEqual([
      'pkg:npm/%40babel/code-frame@7.24.7',
      'pkg:npm/express@4.19.2',
      'pkg:npm/typescript@5.4.5',
    ]);
  });

  it('keeps scope, dev flag and the integrity hash in hex', () => {
    const babel = find(parsed, 'pkg:npm/%40babel/code-frame@7.24.7');
    expect(babel).toMatchObject({ namespace: '@babel', name: 'code-frame', dev: false });
    const hex = Buffer.from(sri('@babel/code-frame@7.24.7').slice(7), 'base64').toString('hex');
    expect(babel.hashes).toEqual([{ alg: 'SHA-512', content: hex }]);
    expect(find(parsed, 'pkg:npm/typescript@5.4.5').dev).toBe(true);
  });

  it('treats workspace members as project roots, not components', () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'] },
        'node_modules/@mono/ui': { resolved: 'packages/ui', link: true },
        'node_modules/left-pad': { version: '1.3.0' },
        'packages/ui': {
          name: '@mono/ui',
          version: '0.0.1',
          dependencies: { 'left-pad': '^1.3.0' },
        },
      },
    });
    const mono = parsePackageLock(lock);
    expect(mono.packages.map((p) => p.purl)).toEqual(['pkg:npm/left-pad@1.3.0']);
    expect(mono.direct).toEqual(['pkg:npm/left-pad@1.3.0']);
  });

  it('reads a lockfileVersion 1 tree (npm 5 and 6): nested copies, requires, dev, hashes', () => {
    const lock = JSON.stringify({
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 1,
      requires: true,
      dependencies: {
        express: {
          version: '4.19.2',
          integrity: sri('express@4.19.2'),
          requires: { debug: '2.6.9', ms: '2.1.3' },
          dependencies: { ms: { version: '2.1.3' } },
        },
        debug: { version: '2.6.9', requires: { ms: '2.0.0' } },
        ms: { version: '2.0.0' },
        typescript: { version: '5.4.5', dev: true },
      },
    });
    const v1 = parsePackageLock(lock);
    expect(edges(v1)).toEqual({
      'pkg:npm/debug@2.6.9': ['pkg:npm/ms@2.0.0'],
      'pkg:npm/express@4.19.2': ['pkg:npm/debug@2.6.9', 'pkg:npm/ms@2.1.3'],
      'pkg:npm/ms@2.0.0': [],
      'pkg:npm/ms@2.1.3': [],
      'pkg:npm/typescript@5.4.5': [],
    });
    // v1 does not name the project's own dependencies: the graph's roots stand in for them.
    expect(v1.direct).toEqual(['pkg:npm/express@4.19.2', 'pkg:npm/typescript@5.4.5']);
    expect(find(v1, 'pkg:npm/typescript@5.4.5').dev).toBe(true);
    expect(find(v1, 'pkg:npm/express@4.19.2').hashes).toHaveLength(1);
  });

  it('refuses a lockfile with neither tree', () => {
    expect(() => parsePackageLock('{"lockfileVersion":1}')).toThrow(/regenerate it with npm/);
  });
});
