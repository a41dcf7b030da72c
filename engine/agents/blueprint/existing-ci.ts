/**
 * What the repository's own CI already does (issue 15), so ProdSprint's pipelines add to it
 * instead of running the same tests a second time: for each CI system we generate (GitHub
 * Actions, GitLab CI), whether one of the repository's files for that system runs a service's
 * tests, and where. Read line by line with short, anchored patterns: CI files are untrusted text.
 */
import type { Fingerprint } from '../repo-auditor/fingerprint.ts';
import type { RepoFiles } from './repo-files.ts';
import type { Toolchain } from './service-view.ts';

export type CiSystem = 'github-actions' | 'gitlab-ci';

export interface RepoCiFile {
  path: string;
  system: string;
  /** Non-comment lines, each cut to 400 characters. */
  lines: string[];
}

/** Test invocations per toolchain, as they appear in CI steps. */
const TEST_COMMANDS: Record<Toolchain, RegExp[]> = {
  node: [
    /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:-\S+\s+)*test\b/,
    /\bnpm\s+t\b/,
    /\bturbo\s+(?:run\s+)?test\b/,
    /\bnx\s+(?:run-many|affected)\b[^\n]*\btest\b/,
    /\bnpx\s+(?:jest|vitest|mocha)\b/,
  ],
  python: [
    /\bpytest\b/,
    /\btox\b/,
    /\bnox\b/,
    /manage\.py\s+test\b/,
    /\bunittest\b/,
    /\bmake\s+test\b/,
  ],
  go: [/\bgo\s+test\b/, /\bmake\s+test\b/],
  java: [/\bmvnw?\b[^\n]*\s(?:test|verify|package|install)\b/],
  'java-gradle': [/\bgradlew?\b[^\n]*\s(?:test|check|build)\b/],
};
/** Commands that test every package of a workspace at once. */
const WORKSPACE_WIDE =
  /\bturbo\b|\bnx\s+(?:run-many|affected)\b|\s-r\s|--recursive\b|--workspaces\b|\blerna\s+run\b/;

/** The repository's CI files of the systems ProdSprint generates pipelines for. */
export async function repoCiFiles(
  files: RepoFiles,
  fingerprint: Fingerprint,
): Promise<RepoCiFile[]> {
  const out: RepoCiFile[] = [];
  for (const config of [...fingerprint.ciConfigs].sort((a, b) => a.path.localeCompare(b.path))) {
    const text = await files.text(config.path);
    if (text === null) continue;
    const lines = text
      .split('\n')
      .map((line) => line.slice(0, 400))
      .filter((line) => !/^\s*#/.test(line));
    out.push({ path: config.path, system: config.system, lines });
  }
  return out;
}

/**
 * The first of the repository's `system` CI files that runs the tests of a service in `dir`
 * (`.` for the root) built with `toolchain`, with the line that does; null when none does. In a
 * repository with several services a file counts for this one only when it names the service's
 * folder or tests the whole workspace.
 */
export function testsRunBy(
  ciFiles: RepoCiFile[],
  system: CiSystem,
  toolchain: Toolchain,
  dir: string,
  serviceCount: number,
): { path: string; line: string } | null {
  for (const file of ciFiles.filter((f) => f.system === system)) {
    const namesDir = dir === '.' || file.lines.some((line) => line.includes(dir));
    for (const line of file.lines) {
      if (!TEST_COMMANDS[toolchain].some((pattern) => pattern.test(line))) continue;
      if (serviceCount > 1 && !namesDir && !WORKSPACE_WIDE.test(line)) continue;
      return {
        path: file.path,
        line: line
          .trim()
          .replace(/^- /, '')
          .replace(/^(?:run|script):\s*/, ''),
      };
    }
  }
  return null;
}

const TRIGGER_JOB = 'prodsprint';

/**
 * The repository's .gitlab-ci.yml with a job appended that runs ProdSprint's pipeline as a
 * child pipeline in `.post`, the stage every GitLab pipeline has, so it runs after the
 * repository's own stages and their stage list need not change. Null when the file cannot take
 * it safely (not a mapping at the top, or a job of that name exists): the plan then says how to
 * include it by hand.
 */
export function withChildPipeline(
  current: string,
  childPath: string,
  parse: (text: string) => unknown,
): string | null {
  let root: unknown;
  try {
    root = parse(current);
  } catch {
    return null;
  }
  if (!root || typeof root !== 'object' || Array.isArray(root) || TRIGGER_JOB in root) return null;
  const job = [
    '',
    '# Added by ProdSprint (blueprint): image build, scans, SBOM and signing, perf smoke, policy',
    "# gate and releases run in a child pipeline after this pipeline's own stages; the tests",
    '# this pipeline runs are not repeated there.',
    `${TRIGGER_JOB}:`,
    '  stage: .post',
    '  trigger:',
    `    include: '${childPath}'`,
    '    strategy: depend',
    '',
  ].join('\n');
  const next = `${current.replace(/\n*$/, '\n')}${job}`;
  try {
    const parsed = parse(next) as Record<string, unknown>;
    return parsed[TRIGGER_JOB] ? next : null;
  } catch {
    return null;
  }
}
