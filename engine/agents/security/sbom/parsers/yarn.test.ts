import { describe, expect, it } from 'vitest';
import { edges, find } from '../testing/graph.ts';
import { YARN_BERRY_LOCK, YARN_V1_LOCK, YARN_V1_PACKAGE_JSON } from '../testing/npm-lockfiles.ts';
import { isYarnBerry, parseYarnBerry } from './yarn-berry.ts';
import { parseYarnV1 } from './yarn-v1.ts';

describe('parseYarnV1', () => {
  it('reads blocks, multi-specifier headers, edges and integrity', () => {
    const parsed = parseYarnV1(YARN_V1_LOCK, YARN_V1_PACKAGE_JSON);
    expect(edges(parsed)).toEqual({
      'pkg:npm/%40babel/helper-validator-identifier@7.24.7': [],
      'pkg:npm/%40babel/highlight@7.24.7': [
        'pkg:npm/%40babel/helper-validator-identifier@7.24.7',
        'pkg:npm/js-tokens@4.0.0',
      ],
      'pkg:npm/js-tokens@4.0.0': [],
      'pkg:npm/lodash@4.17.21': [],
    });
    expect(parsed.direct).toEqual(['pkg:npm/%40babel/highlight@7.24.7', 'pkg:npm/lodash@4.17.21']);
    expect(find(parsed, 'pkg:npm/lodash@4.17.21').hashes).toHaveLength(1);
  });

  it('has no direct edges without the package.json, and reads npm: aliases as the real package', () => {
    const parsed = parseYarnV1(`# yarn lockfile v1

"my-lodash@npm:lodash@^4.17.0":
  version "4.17.21"
`);
    expect(parsed.packages.map((p) => p.purl)).toEqual(['pkg:npm/lodash@4.17.21']);
    expect(parsed.direct).toEqual([]);
  });
});

describe('parseYarnBerry', () => {
  it('reads descriptors and resolutions; the workspace gives the direct edges', () => {
    expect(isYarnBerry(YARN_BERRY_LOCK)).toBe(true);
    expect(isYarnBerry(YARN_V1_LOCK)).toBe(false);
    const parsed = parseYarnBerry(YARN_BERRY_LOCK);
    expect(edges(parsed)).toEqual({
      'pkg:npm/asynckit@0.4.0': [],
      'pkg:npm/axios@1.7.2': ['pkg:npm/follow-redirects@1.15.6', 'pkg:npm/form-data@4.0.0'],
      'pkg:npm/follow-redirects@1.15.6': [],
      'pkg:npm/form-data@4.0.0': ['pkg:npm/asynckit@0.4.0'],
    });
    expect(parsed.direct).toEqual(['pkg:npm/axios@1.7.2']);
    // Berry's checksum hashes Yarn's cache zip, not the tarball: not reported.
    expect(find(parsed, 'pkg:npm/axios@1.7.2').hashes).toEqual([]);
  });

  it('skips packages from non-registry protocols', () => {
    const parsed = parseYarnBerry(`__metadata:
  version: 8

"local@file:./local.tgz":
  version: 1.0.0
  resolution: "local@file:./local.tgz#./local.tgz::hash=1"
`);
    expect(parsed.packages).toEqual([]);
  });
});
