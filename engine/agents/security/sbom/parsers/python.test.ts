import { describe, expect, it } from 'vitest';
import { edges, find } from '../testing/graph.ts';
import { sha256Hex } from '../testing/npm-lockfiles.ts';
import { POETRY_LOCK, REQUIREMENTS_TXT, UV_LOCK } from '../testing/python-lockfiles.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import { parseRequirementsTxt } from './requirements-txt.ts';
import { parseUvLock } from './uv-lock.ts';

describe('parsePoetryLock', () => {
  it('reads packages, name-based edges and the sdist hash', () => {
    const parsed = parsePoetryLock(POETRY_LOCK);
    expect(edges(parsed)).toEqual({
      'pkg:pypi/certifi@2024.7.4': [],
      'pkg:pypi/charset-normalizer@3.3.2': [],
      'pkg:pypi/idna@3.7': [],
      'pkg:pypi/requests@2.32.3': [
        'pkg:pypi/certifi@2024.7.4',
        'pkg:pypi/charset-normalizer@3.3.2',
        'pkg:pypi/idna@3.7',
        'pkg:pypi/urllib3@2.2.2',
      ],
      'pkg:pypi/urllib3@2.2.2': [],
    });
    expect(find(parsed, 'pkg:pypi/certifi@2024.7.4').hashes).toEqual([
      { alg: 'SHA-256', content: sha256Hex('certifi-sdist') },
    ]);
  });

  it('reads lock-version 1.1 hashes from [metadata.files] and dev categories', () => {
    const parsed = parsePoetryLock(`[[package]]
name = "PyYAML"
version = "6.0.1"
category = "dev"
optional = false
python-versions = ">=3.6"

[metadata]
lock-version = "1.1"

[metadata.files]
PyYAML = [
    {file = "PyYAML-6.0.1.tar.gz", hash = "sha256:${sha256Hex('pyyaml')}"},
]
`);
    expect(parsed.packages).toEqual([
      expect.objectContaining({
        purl: 'pkg:pypi/pyyaml@6.0.1',
        dev: true,
        hashes: [{ alg: 'SHA-256', content: sha256Hex('pyyaml') }],
      }),
    ]);
  });
});

describe('parseUvLock', () => {
  it('takes the editable project as the root and its (dev) edges as direct', () => {
    const parsed = parseUvLock(UV_LOCK);
    expect(edges(parsed)).toEqual({
      'pkg:pypi/anyio@4.4.0': ['pkg:pypi/idna@3.7', 'pkg:pypi/sniffio@1.3.1'],
      'pkg:pypi/idna@3.7': [],
      'pkg:pypi/sniffio@1.3.1': [],
      'pkg:pypi/pytest@8.2.2': [],
    });
    expect(parsed.direct).toEqual(['pkg:pypi/anyio@4.4.0', 'pkg:pypi/pytest@8.2.2']);
    expect(find(parsed, 'pkg:pypi/anyio@4.4.0').hashes[0]?.content).toBe(sha256Hex('anyio-sdist'));
  });

  it('follows versioned edges when a package is locked at two versions', () => {
    const parsed = parseUvLock(`version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "numpy", version = "1.26.4" }]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
`);
    expect(parsed.direct).toEqual(['pkg:pypi/numpy@1.26.4']);
    expect(parsed.packages).toHaveLength(2);
  });
});

describe('parseRequirementsTxt', () => {
  it('keeps pinned lines only, with extras, markers, continuations and a single hash', () => {
    const parsed = parseRequirementsTxt(REQUIREMENTS_TXT);
    expect(parsed.packages.map((p) => p.purl)).toEqual([
      'pkg:pypi/click@8.1.7',
      'pkg:pypi/flask@3.0.3',
      'pkg:pypi/itsdangerous@2.2.0',
      'pkg:pypi/jinja2@3.1.4',
      'pkg:pypi/markupsafe@2.1.5',
      'pkg:pypi/werkzeug@3.0.3',
    ]);
    expect(find(parsed, 'pkg:pypi/click@8.1.7').hashes).toEqual([
      { alg: 'SHA-256', content: sha256Hex('click-sdist') },
    ]);
    expect(parsed.direct).toHaveLength(6);
  });

  it('drops hashes when a line has several (they hash different files)', () => {
    const parsed = parseRequirementsTxt(
      `six==1.16.0 --hash=sha256:${sha256Hex('a')} --hash=sha256:${sha256Hex('b')}\n`,
    );
    expect(parsed.packages[0]).toMatchObject({ purl: 'pkg:pypi/six@1.16.0', hashes: [] });
  });
});
