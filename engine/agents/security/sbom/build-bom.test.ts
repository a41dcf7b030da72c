import { describe, expect, it } from 'vitest';
import { buildBom, renderSbom, serializeBom, validateBomJson } from './build-bom.ts';
import { parseMavenPom } from './parsers/maven-pom.ts';
import { parsePackageLock } from './parsers/package-lock.ts';
import { parsePoetryLock } from './parsers/poetry-lock.ts';
import { parseRequirementsTxt } from './parsers/requirements-txt.ts';
import { POM_XML } from './testing/go-rust-java-lockfiles.ts';
import { PACKAGE_LOCK_V3 } from './testing/npm-lockfiles.ts';
import { POETRY_LOCK } from './testing/python-lockfiles.ts';

interface Json {
  metadata: { component: { name: string }; timestamp?: string };
  components: Array<{
    purl: string;
    scope?: string;
    hashes?: unknown[];
    properties?: unknown[];
    type: string;
  }>;
  dependencies: Array<{ ref: string; dependsOn?: string[] }>;
}

const lockfiles = [
  { path: 'web/package-lock.json', parsed: parsePackageLock(PACKAGE_LOCK_V3) },
  { path: 'worker/requirements.txt', parsed: parseRequirementsTxt('idna==3.7\n') },
  { path: 'api/poetry.lock', parsed: parsePoetryLock(POETRY_LOCK) },
  { path: 'orders/pom.xml', parsed: parseMavenPom(POM_XML) },
];

describe('SBOM builder', () => {
  it('renders valid CycloneDX 1.6 with components, hashes, scopes and the graph', async () => {
    const json = await renderSbom({ project: { name: 'shop', version: '1.0.0' }, lockfiles });
    const bom = JSON.parse(json) as Json;
    const byPurl = new Map(bom.components.map((c) => [c.purl, c]));
    expect(bom.metadata.timestamp).toBeUndefined();
    // idna is in two lockfiles: one component, both recorded.
    expect(byPurl.get('pkg:pypi/idna@3.7')?.properties).toEqual([
      { name: 'prodsprint:lockfile', value: 'api/poetry.lock' },
      { name: 'prodsprint:lockfile', value: 'worker/requirements.txt' },
    ]);
    expect(byPurl.get('pkg:npm/typescript@5.4.5')?.scope).toBe('optional');
    expect(byPurl.get('pkg:npm/express@4.19.2')?.hashes).toHaveLength(1);
    expect(byPurl.get('pkg:maven/com.example.shop/orders@1.4.0')?.type).toBe('application');
    const graph = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
    expect(graph.get('root')).toEqual([
      'pkg:maven/com.example.shop/orders@1.4.0',
      'pkg:npm/%40babel/code-frame@7.24.7',
      'pkg:npm/express@4.19.2',
      'pkg:npm/typescript@5.4.5',
      'pkg:pypi/idna@3.7',
      'pkg:pypi/requests@2.32.3',
    ]);
    expect(graph.get('pkg:maven/com.example.shop/orders@1.4.0')).toContain(
      'pkg:maven/org.slf4j/slf4j-api@2.0.13',
    );
    expect(graph.get('pkg:npm/express@4.19.2')).toEqual([
      'pkg:npm/debug@2.6.9',
      'pkg:npm/ms@2.1.3',
    ]);
  });

  it('is byte-identical whatever the lockfile order, and stamps time only when injected', () => {
    const a = serializeBom(buildBom({ project: { name: 'shop' }, lockfiles }));
    const b = serializeBom(
      buildBom({ project: { name: 'shop' }, lockfiles: [...lockfiles].reverse() }),
    );
    expect(a).toBe(b);
    const stamped = serializeBom(
      buildBom({ project: { name: 'shop' }, lockfiles, timestamp: '2026-01-01T00:00:00.000Z' }),
    );
    expect((JSON.parse(stamped) as Json).metadata.timestamp).toBe('2026-01-01T00:00:00.000Z');
  });

  it('throws when the document does not validate', async () => {
    const bad = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ name: 1 }],
    });
    await expect(validateBomJson(bad)).rejects.toThrow(/does not validate/);
  });
});
