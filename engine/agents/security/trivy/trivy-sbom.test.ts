import { describe, expect, it } from 'vitest';
import { normalisePurl, purlsByApplication, purlSet, recall } from './trivy-sbom.ts';

describe('purl comparison', () => {
  it.each([
    ['pkg:npm/%40babel/core@7.0.0', 'pkg:npm/@babel/core@7.0.0'],
    ['pkg:golang/github.com/a/b@v1.2.3', 'pkg:golang/github.com/a/b@1.2.3'],
    ['pkg:PyPI/Django_REST.framework@3.15.1', 'pkg:pypi/django-rest-framework@3.15.1'],
    ['pkg:maven/org.a/b@1.0?type=jar', 'pkg:maven/org.a/b@1.0'],
  ])('normalises %s to %s', (purl, expected) => {
    expect(normalisePurl(purl)).toBe(expected);
  });

  it('measures recall against a reference set', () => {
    const reference = new Set(['a', 'b', 'c', 'd']);
    expect(recall(reference, new Set(['a', 'b', 'c', 'x']))).toEqual({
      found: 3,
      total: 4,
      missing: ['d'],
    });
  });

  it('splits a Trivy SBOM per lockfile by walking its dependency graph', () => {
    const bom = {
      components: [
        { 'bom-ref': 'app1', type: 'application', name: 'web/package-lock.json' },
        { 'bom-ref': 'app2', type: 'application', name: 'svc/go.mod' },
        { 'bom-ref': 'r1', type: 'library', purl: 'pkg:npm/express@4.19.2' },
        { 'bom-ref': 'r2', type: 'library', purl: 'pkg:npm/ms@2.1.3' },
        { 'bom-ref': 'r3', type: 'library', purl: 'pkg:golang/golang.org/x/net@0.23.0' },
      ],
      dependencies: [
        { ref: 'app1', dependsOn: ['r1'] },
        { ref: 'r1', dependsOn: ['r2'] },
        { ref: 'app2', dependsOn: ['r3'] },
      ],
    };
    const split = purlsByApplication(bom);
    expect([...split.get('web/package-lock.json')!].sort()).toEqual([
      'pkg:npm/express@4.19.2',
      'pkg:npm/ms@2.1.3',
    ]);
    expect([...split.get('svc/go.mod')!]).toEqual(['pkg:golang/golang.org/x/net@0.23.0']);
    expect(purlSet(bom).size).toBe(3);
  });
});
