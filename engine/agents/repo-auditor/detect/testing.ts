/**
 * Tests and coverage configuration of a project. Tests are claimed from test files that exist
 * (a test dependency with no test file is not a test suite); the framework comes from the
 * manifest, a runner config file, or the language's built-in runner.
 */
import { baseName, claimOf, dirOf, ev, findLine, isDirectChild } from '../evidence.ts';
import type { Claim, Evidence } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { RepoView } from '../repo-view.ts';
import { TEST_FRAMEWORKS, lookup } from './catalog.ts';
import { isTestFile } from './source-scan.ts';

const TEST_DIR = /^(.*?(?:^|\/)(?:__tests__|tests?|spec|e2e|src\/test))\//;

export function detectTests(
  manifest: ProjectManifest,
  ownFiles: readonly string[],
  view: RepoView,
): Claim<{ framework: string; path: string }> | null {
  const first = ownFiles.find(
    (file) =>
      isTestFile(file, manifest.ecosystem) && /\.(?:[cm]?[jt]sx?|py|go|java|kt)$/.test(file),
  );
  if (!first) return null;
  const path = TEST_DIR.exec(first)?.[1] ?? dirOf(first);
  const framework = testFramework(manifest, view) ?? {
    name: fallbackFramework(manifest),
    evidence: ev(first),
  };
  return claimOf({ framework: framework.name, path }, ev(first), framework.evidence);
}

function testFramework(
  manifest: ProjectManifest,
  view: RepoView,
): { name: string; evidence: Evidence } | undefined {
  const found = lookup(TEST_FRAMEWORKS[manifest.ecosystem], manifest.deps);
  if (found) return { name: found.meaning, evidence: found.at };
  const testScript = manifest.scripts.get('test');
  if (
    manifest.ecosystem === 'node' &&
    testScript &&
    /node\s+(?:--\S+\s+)*--test\b/.test(testScript.command)
  ) {
    return { name: 'node:test', evidence: testScript.evidence };
  }
  if (manifest.ecosystem === 'python') {
    if (manifest.testConfig)
      return {
        name: manifest.testConfig.value,
        evidence: manifest.testConfig.evidence[0] ?? ev(manifest.files[0] ?? ''),
      };
    const config = view.nearest(manifest.dir, ['pytest.ini', 'conftest.py']);
    if (config) return { name: 'pytest', evidence: ev(config) };
  }
  return undefined;
}

function fallbackFramework(manifest: ProjectManifest): string {
  switch (manifest.ecosystem) {
    case 'node':
      return 'unknown';
    case 'python':
      return 'unittest';
    case 'go':
      return 'go test';
    case 'jvm':
      return 'junit';
  }
}

const COVERAGE_FILES: Record<ProjectManifest['ecosystem'], RegExp> = {
  node: /^(?:\.nycrc(?:\.json|\.ya?ml)?|\.c8rc(?:\.json)?|(?:jest|vitest|vite)\.config\.[cm]?[jt]s)$/,
  python: /^(?:\.coveragerc|setup\.cfg|tox\.ini|pytest\.ini)$/,
  go: /^\.testcoverage\.ya?ml$/,
  jvm: /^$/,
};

/** A config file that turns coverage on; build configs count only if they mention coverage. */
export async function detectCoverage(
  manifest: ProjectManifest,
  ownFiles: readonly string[],
  view: RepoView,
): Promise<Claim<string> | null> {
  if (manifest.coverage) return claimOf(manifest.coverage.file, manifest.coverage);
  const pattern = COVERAGE_FILES[manifest.ecosystem];
  const candidates = ownFiles.filter(
    (file) => isDirectChild(file, manifest.dir) && pattern.test(baseName(file)),
  );
  for (const file of candidates) {
    const name = baseName(file);
    if (/^\.(?:nycrc|c8rc|coveragerc|testcoverage)/.test(name)) return claimOf(file, ev(file));
    const text = (await view.text(file)) ?? '';
    const line = findLine(
      text,
      /\[coverage:|coverage\s*[:=({]|coverageThreshold|collectCoverage|--cov\b/,
    );
    if (line) return claimOf(file, ev(file, line));
  }
  return null;
}
