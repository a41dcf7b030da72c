import { describe, expect, it } from 'vitest';
import { edges, find } from '../testing/graph.ts';
import { PNPM_LOCK_V6, PNPM_LOCK_V9 } from '../testing/npm-lockfiles.ts';
import { parsePnpmLock } from './pnpm-lock.ts';

describe('parsePnpmLock', () => {
  it('reads v9: packages plus snapshots, peer suffixes stripped, dev-only computed', () => {
    const parsed = parsePnpmLock(PNPM_LOCK_V9);
    expect(edges(parsed)).toEqual({
      'pkg:npm/%40types/prop-types@15.7.12': [],
      'pkg:npm/%40types/react@18.3.3': ['pkg:npm/%40types/prop-types@15.7.12'],
      'pkg:npm/js-tokens@4.0.0': [],
      'pkg:npm/loose-envify@1.4.0': ['pkg:npm/js-tokens@4.0.0'],
      'pkg:npm/react-dom@18.3.1': [
        'pkg:npm/loose-envify@1.4.0',
        'pkg:npm/react@18.3.1',
        'pkg:npm/scheduler@0.23.2',
      ],
      'pkg:npm/react@18.3.1': ['pkg:npm/loose-envify@1.4.0'],
      'pkg:npm/scheduler@0.23.2': ['pkg:npm/loose-envify@1.4.0'],
    });
    expect(parsed.direct).toEqual([
      'pkg:npm/%40types/react@18.3.3',
      'pkg:npm/react-dom@18.3.1',
      'pkg:npm/react@18.3.1',
    ]);
    expect(find(parsed, 'pkg:npm/%40types/prop-types@15.7.12').dev).toBe(true);
    expect(find(parsed, 'pkg:npm/scheduler@0.23.2').dev).toBe(false);
    expect(find(parsed, 'pkg:npm/react@18.3.1').hashes[0]?.alg).toBe('SHA-512');
  });

  it('reads v6: /name@version keys with edges inline', () => {
    const parsed = parsePnpmLock(PNPM_LOCK_V6);
    expect(parsed.packages).toHaveLength(6);
    expect(find(parsed, 'pkg:npm/chalk@4.1.2').dependsOn).toEqual([
      'pkg:npm/ansi-styles@4.3.0',
      'pkg:npm/supports-color@7.2.0',
    ]);
    expect(parsed.direct).toEqual(['pkg:npm/chalk@4.1.2']);
  });

  it('reads v5: /name/version_peer keys', () => {
    const parsed = parsePnpmLock(`lockfileVersion: 5.4
specifiers:
  react-dom: ^17.0.2
dependencies:
  react-dom: 17.0.2_react@17.0.2
packages:
  /react-dom/17.0.2_react@17.0.2:
    resolution: {integrity: sha512-AAAA}
    dependencies:
      react: 17.0.2
    dev: false
  /react/17.0.2:
    resolution: {integrity: sha512-BBBB}
    dev: false
`);
    expect(edges(parsed)).toEqual({
      'pkg:npm/react-dom@17.0.2': ['pkg:npm/react@17.0.2'],
      'pkg:npm/react@17.0.2': [],
    });
    expect(parsed.direct).toEqual(['pkg:npm/react-dom@17.0.2']);
    // `sha512-AAAA` is not a SHA-512: dropped rather than making the SBOM invalid.
    expect(parsed.packages.flatMap((p) => p.hashes)).toEqual([]);
  });

  it('leaves out workspace links and refuses unknown lockfile versions', () => {
    const parsed = parsePnpmLock(`lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      '@mono/ui':
        specifier: workspace:*
        version: link:packages/ui
packages: {}
snapshots: {}
`);
    expect(parsed.packages).toEqual([]);
    expect(() => parsePnpmLock("lockfileVersion: '3'\n")).toThrow(/unsupported/);
  });
});
