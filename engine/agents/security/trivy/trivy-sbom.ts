/**
 * Trivy's own CycloneDX SBOM of a directory, and the purl normalisation used to compare
 * component sets across generators (Trivy percent-encodes npm scopes and drops Go's `v`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrivy } from './run-trivy.ts';
import type { TrivyRun } from './run-trivy.ts';

interface CdxComponent {
  'bom-ref'?: string;
  type?: string;
  name?: string;
  purl?: string;
  components?: CdxComponent[];
}

export interface CdxDocument {
  metadata?: { component?: CdxComponent };
  components?: CdxComponent[];
  dependencies?: Array<{ ref: string; dependsOn?: string[] }>;
}

/** Runs `trivy fs --format cyclonedx` on `dir` and returns the parsed document. */
export async function trivyCycloneDx(run: TrivyRun, dir: string): Promise<CdxDocument> {
  const outDir = await mkdtemp(join(tmpdir(), 'prodsprint-trivy-sbom-'));
  try {
    const output = join(outDir, 'sbom.json');
    await runTrivy(run, [
      'fs',
      '--quiet',
      '--offline-scan',
      '--format',
      'cyclonedx',
      '--output',
      output,
      dir,
    ]);
    return JSON.parse(await readFile(output, 'utf8')) as CdxDocument;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Every purl in a CycloneDX document (nested components included), normalised. */
export function purlSet(bom: {
  metadata?: { component?: CdxComponent };
  components?: CdxComponent[];
}): Set<string> {
  const out = new Set<string>();
  const visit = (components: CdxComponent[] | undefined) => {
    for (const component of components ?? []) {
      if (component.purl) out.add(normalisePurl(component.purl));
      visit(component.components);
    }
  };
  visit(bom.metadata?.component ? [bom.metadata.component] : []);
  visit(bom.components);
  return out;
}

/**
 * Comparable form of a purl: decoded, lower-case type, no qualifiers or subpath, PyPI names
 * PEP 503-normalised, Go versions without the leading `v`.
 */
export function normalisePurl(purl: string): string {
  const base = purl.replace(/[?#].*$/, '');
  const match = /^pkg:([^/]+)\/(.+?)(?:@([^@]+))?$/.exec(base);
  if (!match) return purl;
  const type = match[1]!.toLowerCase();
  let path = decodeURIComponent(match[2]!);
  let version = match[3] === undefined ? '' : decodeURIComponent(match[3]);
  if (type === 'pypi') path = path.toLowerCase().replace(/[-_.]+/g, '-');
  if (type === 'golang') version = version.replace(/^v(?=\d)/, '');
  return `pkg:${type}/${path}${version ? `@${version}` : ''}`;
}

/** Share of `reference` purls present in `candidate` (1 when the reference is empty). */
export function recall(
  reference: Set<string>,
  candidate: Set<string>,
): { found: number; total: number; missing: string[] } {
  const missing = [...reference].filter((purl) => !candidate.has(purl)).sort();
  return { found: reference.size - missing.length, total: reference.size, missing };
}

/**
 * Trivy's SBOM of a tree holds one `application` component per lockfile (named by its path)
 * with edges to its packages; this returns each lockfile's normalised purls (transitive
 * closure over the dependency graph), so one run over many projects can be split per project.
 */
export function purlsByApplication(bom: CdxDocument): Map<string, Set<string>> {
  const edges = new Map((bom.dependencies ?? []).map((dep) => [dep.ref, dep.dependsOn ?? []]));
  const purlOfRef = new Map(
    (bom.components ?? []).flatMap((c) => (c['bom-ref'] && c.purl ? [[c['bom-ref'], c.purl]] : [])),
  );
  const out = new Map<string, Set<string>>();
  for (const app of bom.components ?? []) {
    if (app.type !== 'application' || !app.name || !app['bom-ref']) continue;
    const purls = new Set<string>();
    const seen = new Set<string>();
    const queue = [...(edges.get(app['bom-ref']) ?? [])];
    while (queue.length > 0) {
      const ref = queue.pop()!;
      if (seen.has(ref)) continue;
      seen.add(ref);
      const purl = purlOfRef.get(ref);
      if (purl) purls.add(normalisePurl(purl));
      queue.push(...(edges.get(ref) ?? []));
    }
    out.set(app.name, purls);
  }
  return out;
}
