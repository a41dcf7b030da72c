/**
 * What every ecosystem's build manifest is reduced to before detection: declared dependencies
 * and scripts, each with the line that declares it. Detection (detect/*.ts) only ever looks at
 * this shape, so adding an ecosystem means adding a parser, not touching the detectors.
 */
import type { Claim, Evidence } from './fingerprint.ts';

export type Ecosystem = 'node' | 'python' | 'go' | 'jvm';

export interface ProjectManifest {
  ecosystem: Ecosystem;
  /** Directory of the manifest, repository-relative ('.' for the root). */
  dir: string;
  /** The manifest file(s) merged into this record; the first is the primary one. */
  files: string[];
  name: string | null;
  /** Dependency (or build plugin) name → where it is declared. */
  deps: Map<string, Evidence>;
  scripts: Map<string, { command: string; evidence: Evidence }>;
  /** Package manager declared by the manifest itself (packageManager field, [tool.poetry], …). */
  declaredPackageManager?: Claim<string>;
  /** Workspace globs (npm/yarn workspaces, go.work `use`, Maven modules). */
  workspaces?: Claim<string[]>;
  /** Only aggregates other modules (Maven `pom` packaging); never a service itself. */
  aggregator?: boolean;
  /** Coverage configured inside the manifest ([tool.coverage], "jest".coverageThreshold, jacoco). */
  coverage?: Evidence;
  /** Test runner configured inside the manifest ([tool.pytest.ini_options], …). */
  testConfig?: Claim<string>;
}

export type ManifestParse =
  { ok: true; manifest: ProjectManifest } | { ok: false; error: string; line: number };

export function emptyManifest(ecosystem: Ecosystem, dir: string, file: string): ProjectManifest {
  return { ecosystem, dir, files: [file], name: null, deps: new Map(), scripts: new Map() };
}

/** Merges a second manifest of the same folder and ecosystem (requirements.txt + pyproject). */
export function mergeManifest(into: ProjectManifest, other: ProjectManifest): void {
  into.files.push(...other.files);
  into.name ??= other.name;
  for (const [name, evidence] of other.deps)
    if (!into.deps.has(name)) into.deps.set(name, evidence);
  for (const [name, script] of other.scripts)
    if (!into.scripts.has(name)) into.scripts.set(name, script);
  into.declaredPackageManager ??= other.declaredPackageManager;
  into.workspaces ??= other.workspaces;
  into.coverage ??= other.coverage;
  into.testConfig ??= other.testConfig;
  into.aggregator = Boolean(into.aggregator && other.aggregator);
}
