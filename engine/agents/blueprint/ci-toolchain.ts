/**
 * What a service's CI jobs run, read from the repository (issue 15): the image for the language
 * version it states, the install its lockfile implies, and only the build and test commands it
 * has (package.json scripts, Makefile targets, tox/nox, the build tool's own tasks). A command
 * the repository does not have is not invented: the job is left out and the plan says why.
 * One module per ecosystem (ci-node.ts, ci-python.ts, ci-jvm.ts); Go is small enough to live here.
 */
import type { Service } from '../repo-auditor/fingerprint.ts';
import { pickImage } from './ci-images.ts';
import { jvmCi } from './ci-jvm.ts';
import { nodeCi } from './ci-node.ts';
import { pythonCi } from './ci-python.ts';
import type { RepoFiles } from './repo-files.ts';
import { joinPath } from './repo-files.ts';
import type { Toolchain } from './service-view.ts';
import { goVersion } from './toolchain-versions.ts';

export type CoverageFormat = 'cobertura' | 'jacoco' | 'go' | 'lcov';

export interface CiToolchain {
  /** pins.yaml key of the image the test jobs run in. */
  image: string;
  /** pins.yaml keys for a generated Dockerfile's stages, when the version is known. */
  buildImage: string | null;
  runtimeImage: string | null;
  /** Where dependencies are installed (the workspace root holding the lockfile), repository-relative. */
  installDir: string;
  /** The package manager a build installs from the npm mirror (`pnpm@10.19.0`), when the image lacks it. */
  packageTool?: string | null;
  install: string | null;
  build: string | null;
  /** The unit test command, run in the service directory; null when the repository has none. */
  unit: string | null;
  /** The report `unit` leaves behind, relative to the service directory. */
  coverage: { format: CoverageFormat; path: string } | null;
  integration: string | null;
  /** Evidence and omissions, for the plan's notes (without the service slug). */
  notes: string[];
  /** Environment the test commands need (PYTEST_ADDOPTS, …), besides the datastores'. */
  env: Record<string, string>;
}

export interface CiContext {
  files: RepoFiles;
  service: Service;
  /** The service directory, repository-relative, '.' for the root. */
  dir: string;
  images: Record<string, unknown>;
}

/** Makefile targets and the recipe lines under each (tabs-indented), for `make <target>`. */
export async function makeTargets(files: RepoFiles, dir: string): Promise<Map<string, string>> {
  const text = (await files.text(joinPath(dir, 'Makefile'))) ?? '';
  const targets = new Map<string, string>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const target = /^([A-Za-z0-9][\w.-]*)[ \t]*:(?!=)/.exec(line);
    if (target) {
      current = target[1]!;
      if (!targets.has(current)) targets.set(current, '');
    } else if (current && line.startsWith('\t')) {
      targets.set(current, `${targets.get(current)}${line.trim()}\n`);
    } else if (line.trim() !== '' && !line.startsWith('#')) current = null;
  }
  return targets;
}

/** A Makefile target a CI job can run in a build image: one that does not drive Docker itself. */
export function runnableTarget(targets: Map<string, string>, names: string[]): string | null {
  return (
    names.find((name) => {
      const recipe = targets.get(name);
      return recipe !== undefined && !/\bdocker\b|\bpodman\b|\bkubectl\b/.test(recipe);
    }) ?? null
  );
}

async function goCi(ctx: CiContext): Promise<CiToolchain> {
  const notes: string[] = [];
  const version = await goVersion(ctx.files, ctx.dir);
  const picked = version ? pickImage(ctx.images, 'golang', version.version) : null;
  if (version) notes.push(`Go ${version.version} from ${version.source}`);
  if (picked?.note) notes.push(`Go ${picked.note}`);
  const targets = await makeTargets(ctx.files, ctx.dir);
  const integration = runnableTarget(targets, [
    'test-integration',
    'integration-test',
    'integration',
  ]);
  return {
    image: picked?.key ?? 'go-build',
    buildImage: picked?.key ?? null,
    runtimeImage: null,
    installDir: ctx.dir,
    install: 'go mod download',
    build: 'go build ./...',
    unit: 'go test -coverprofile=coverage.out ./...',
    coverage: { format: 'go', path: 'coverage.out' },
    integration: integration ? `make ${integration}` : null,
    notes,
    env: {},
  };
}

/** The CI facts of one service, or null for a language ProdSprint has no toolchain for. */
export async function ciToolchainOf(
  toolchain: Toolchain | null,
  ctx: CiContext,
): Promise<CiToolchain | null> {
  switch (toolchain) {
    case 'node':
      return nodeCi(ctx);
    case 'python':
      return pythonCi(ctx);
    case 'go':
      return goCi(ctx);
    case 'java':
    case 'java-gradle':
      return jvmCi(ctx, toolchain === 'java-gradle');
    default:
      return null;
  }
}
