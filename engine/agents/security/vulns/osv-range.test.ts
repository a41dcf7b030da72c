import { describe, expect, it } from 'vitest';
import type { OsvEcosystem } from './ecosystem-versions.ts';
import { fixedVersions, isAffected } from './osv-range.ts';
import type { OsvAffected, OsvEvent } from './osv-range.ts';

const range = (...events: OsvEvent[]): OsvAffected => ({ ranges: [{ type: 'ECOSYSTEM', events }] });
const ranges = (...sets: OsvEvent[][]): OsvAffected => ({
  ranges: sets.map((events) => ({ type: 'SEMVER', events })),
});

// [ecosystem, description, affected entry, version, expected]
const TABLE: Array<[OsvEcosystem, string, OsvAffected, string, ReturnType<typeof isAffected>]> = [
  // npm (SemVer precedence)
  ['npm', 'below fixed', range({ introduced: '0' }, { fixed: '4.17.21' }), '4.17.20', 'affected'],
  ['npm', 'at fixed', range({ introduced: '0' }, { fixed: '4.17.21' }), '4.17.21', 'not-affected'],
  [
    'npm',
    'above fixed',
    range({ introduced: '0' }, { fixed: '4.17.21' }),
    '5.0.0-beta.1',
    'not-affected',
  ],
  [
    'npm',
    'pre-release inside',
    range({ introduced: '2.0.0-alpha.1' }, { fixed: '2.0.0' }),
    '2.0.0-beta.3',
    'affected',
  ],
  [
    'npm',
    'pre-release before introduced',
    range({ introduced: '2.0.0-alpha.1' }, { fixed: '2.0.0' }),
    '2.0.0-alpha.0',
    'not-affected',
  ],
  [
    'npm',
    'fixed pre-release',
    range({ introduced: '1.0.0' }, { fixed: '1.2.0-rc.2' }),
    '1.2.0-rc.1',
    'affected',
  ],
  [
    'npm',
    'after a fixed pre-release',
    range({ introduced: '1.0.0' }, { fixed: '1.2.0-rc.2' }),
    '1.2.0',
    'not-affected',
  ],
  [
    'npm',
    'between two ranges',
    ranges(
      [{ introduced: '1.0.0' }, { fixed: '1.5.0' }],
      [{ introduced: '2.0.0' }, { fixed: '2.3.0' }],
    ),
    '1.7.0',
    'not-affected',
  ],
  [
    'npm',
    'in the second range',
    ranges(
      [{ introduced: '1.0.0' }, { fixed: '1.5.0' }],
      [{ introduced: '2.0.0' }, { fixed: '2.3.0' }],
    ),
    '2.1.0',
    'affected',
  ],
  [
    'npm',
    'two events in one range',
    range({ introduced: '1.0.0' }, { fixed: '1.5.0' }, { introduced: '2.0.0' }, { fixed: '2.3.0' }),
    '1.7.0',
    'not-affected',
  ],
  [
    'npm',
    'events out of order',
    range({ fixed: '1.5.0' }, { introduced: '1.0.0' }),
    '1.2.0',
    'affected',
  ],
  [
    'npm',
    'at last_affected',
    range({ introduced: '0' }, { last_affected: '1.2.3' }),
    '1.2.3',
    'affected',
  ],
  [
    'npm',
    'after last_affected',
    range({ introduced: '0' }, { last_affected: '1.2.3' }),
    '1.2.4-rc.1',
    'not-affected',
  ],
  ['npm', 'below limit', range({ introduced: '0' }, { limit: '2.0.0' }), '1.9.9', 'affected'],
  ['npm', 'at limit', range({ introduced: '0' }, { limit: '2.0.0' }), '2.0.0', 'not-affected'],
  ['npm', 'introduced only', range({ introduced: '3.1.0' }), '9.0.0', 'affected'],
  ['npm', 'before introduced', range({ introduced: '3.1.0' }), '3.0.9', 'not-affected'],
  ['npm', 'versions list', { versions: ['1.0.0', '1.0.1'] }, '1.0.1', 'affected'],
  ['npm', 'not in versions list', { versions: ['1.0.0', '1.0.1'] }, '1.0.2', 'not-affected'],
  [
    'npm',
    'unparseable version',
    range({ introduced: '0' }, { fixed: '1.0.0' }),
    'latest',
    'unknown-version',
  ],
  [
    'npm',
    'GIT ranges are not versions',
    { ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] },
    '1.0.0',
    'not-affected',
  ],
  // PyPI (PEP 440)
  [
    'PyPI',
    'release candidate before fixed',
    range({ introduced: '0' }, { fixed: '2.0.0' }),
    '2.0.0rc1',
    'affected',
  ],
  [
    'PyPI',
    'dev release before fixed',
    range({ introduced: '0' }, { fixed: '2.0.0' }),
    '1.9.dev3',
    'affected',
  ],
  [
    'PyPI',
    'post release after fixed',
    range({ introduced: '0' }, { fixed: '2.0.0' }),
    '2.0.0.post1',
    'not-affected',
  ],
  [
    'PyPI',
    'equal with trailing zeros',
    range({ introduced: '0' }, { fixed: '2.0' }),
    '2.0.0',
    'not-affected',
  ],
  [
    'PyPI',
    'epoch 1 sorts after epoch 0',
    range({ introduced: '0' }, { fixed: '2.0.0' }),
    '1!1.0',
    'not-affected',
  ],
  [
    'PyPI',
    'inside an epoch-1 range',
    range({ introduced: '1!0' }, { fixed: '1!2.0' }),
    '1!1.5',
    'affected',
  ],
  [
    'PyPI',
    'epoch 0 below an epoch-1 range',
    range({ introduced: '1!0' }, { fixed: '1!2.0' }),
    '3.0',
    'not-affected',
  ],
  [
    'PyPI',
    'local version label',
    range({ introduced: '1.0' }, { fixed: '1.1' }),
    '1.0+ubuntu1',
    'affected',
  ],
  [
    'PyPI',
    'not PEP 440',
    range({ introduced: '0' }, { fixed: '1.0' }),
    'dev-main',
    'unknown-version',
  ],
  // Go (SemVer with v prefix, pseudo-versions)
  [
    'Go',
    'tag with v prefix',
    range({ introduced: '0' }, { fixed: '0.23.0' }),
    'v0.22.0',
    'affected',
  ],
  ['Go', 'fixed tag', range({ introduced: '0' }, { fixed: '0.23.0' }), 'v0.23.0', 'not-affected'],
  [
    'Go',
    'pseudo-version of v0.0.0',
    range({ introduced: '0' }, { fixed: '0.23.0' }),
    'v0.0.0-20240604161424-a59d25b0b7e2',
    'affected',
  ],
  [
    'Go',
    'pseudo-version before the fix',
    range({ introduced: '0' }, { fixed: '0.23.0' }),
    'v0.22.1-0.20240501000000-abcdef123456',
    'affected',
  ],
  [
    'Go',
    'pseudo-version after the fix',
    range({ introduced: '0' }, { fixed: '0.23.0' }),
    'v0.23.1-0.20240601000000-abcdef123456',
    'not-affected',
  ],
  [
    'Go',
    '+incompatible major',
    range({ introduced: '0' }, { fixed: '2.0.1' }),
    'v2.0.0+incompatible',
    'affected',
  ],
  // Maven (ComparableVersion)
  ['Maven', 'below fixed', range({ introduced: '0' }, { fixed: '2.15.0' }), '2.14.1', 'affected'],
  [
    'Maven',
    'rc before fixed',
    range({ introduced: '0' }, { fixed: '2.15.0' }),
    '2.15.0-rc1',
    'affected',
  ],
  [
    'Maven',
    'short form of fixed',
    range({ introduced: '0' }, { fixed: '2.15.0' }),
    '2.15',
    'not-affected',
  ],
  [
    'Maven',
    'four-part last_affected',
    range({ introduced: '2.9.0' }, { last_affected: '2.9.10.7' }),
    '2.9.10.7',
    'affected',
  ],
  [
    'Maven',
    'after four-part last_affected',
    range({ introduced: '2.9.0' }, { last_affected: '2.9.10.7' }),
    '2.9.10.8',
    'not-affected',
  ],
  [
    'Maven',
    'SNAPSHOT before release',
    range({ introduced: '0' }, { fixed: '1.0' }),
    '1.0-SNAPSHOT',
    'affected',
  ],
  [
    'Maven',
    'service pack after release',
    range({ introduced: '0' }, { fixed: '1.0' }),
    '1.0-sp1',
    'not-affected',
  ],
  // crates.io (SemVer)
  ['crates.io', 'inside', range({ introduced: '1.0.0' }, { fixed: '1.0.5' }), '1.0.4', 'affected'],
  [
    'crates.io',
    'fixed',
    range({ introduced: '1.0.0' }, { fixed: '1.0.5' }),
    '1.0.5',
    'not-affected',
  ],
];

describe('isAffected', () => {
  it.each(TABLE)('%s: %s', (ecosystem, _description, affected, version, expected) => {
    expect(isAffected(affected, ecosystem, version)).toBe(expected);
  });
});

describe('fixedVersions', () => {
  it('lists every fixed event across ranges', () => {
    const affected = ranges(
      [{ introduced: '1.0.0' }, { fixed: '1.5.0' }],
      [{ introduced: '2.0.0' }, { fixed: '2.3.0' }],
    );
    expect(fixedVersions(affected)).toEqual(['1.5.0', '2.3.0']);
  });
});
