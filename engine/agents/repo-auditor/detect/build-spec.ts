/**
 * How the repository itself builds a service's image (`Service.build`): context, Dockerfile,
 * target stage and build args, from, in order, a compose service built from it (production-named
 * compose files first, then the base file, then the rest; a non-dev target, then the Dockerfile
 * in the service folder, before the others), a `docker build` in CI, and last the
 * Dockerfile in the service's folder with the context its COPY lines imply. Compose services
 * that run the app come before one-shot jobs, tools and test runners (`rank`). A Dockerfile
 * that builds a development image (`Dockerfile.dev`, a dev container) is taken only when there
 * is no other; one that builds a test runner (`Dockerfile.e2e`, a Playwright or Cypress image)
 * never is: it runs tests, not the app. A compose `target: dev|development|debug` builds the
 * development image: when the Dockerfile has a later production-like stage, that stage is the
 * target and its FROM line is part of the evidence (the reason it was preferred).
 * See ../HEURISTICS.md.
 */
import { baseName, claimOf, dirOf, ev } from '../evidence.ts';
import type { BuildSpec, Claim, Evidence } from '../fingerprint.ts';
import type { CiBuild } from '../parsers/ci-docker-build.ts';
import type { ComposeBuild } from '../parsers/compose.ts';
import type { DockerStage, ParsedDockerfile } from '../parsers/dockerfile.ts';
import { laterProductionStage, resolveStage, stageIndex } from '../parsers/dockerfile-stages.ts';
import type { RepoView } from '../repo-view.ts';
import { inferContext } from './build-context.ts';

export interface ChosenBuild {
  build: Claim<BuildSpec>;
  /** The Dockerfile and the stage the build produces, as that image sees itself. */
  dockerfile: { path: string; stage: DockerStage };
}

interface Candidate {
  spec: BuildSpec;
  evidence: Evidence[];
}

const DEV_TARGET = /^(?:dev|develop|development|debug)$/i;

/**
 * The service folder that owns a build: its context, or the deepest project folder inside the
 * context that holds its Dockerfile (`context: .` + `dockerfile: app/Dockerfile` builds `app`).
 */
export function buildOwner(
  build: { context: string; dockerfile: string },
  projectDirs: readonly string[],
): string | undefined {
  const inside = (path: string, dir: string) =>
    dir === '.' || path === dir || path.startsWith(`${dir}/`);
  let best: string | undefined;
  for (const dir of projectDirs) {
    const owns =
      dir === build.context || (inside(build.dockerfile, dir) && inside(dir, build.context));
    if (owns && (best === undefined || depth(dir) > depth(best))) best = dir;
  }
  return best;
}

function depth(dir: string): number {
  return dir === '.' ? 0 : dir.split('/').length;
}

/** Compose files in order of preference: production-named, then the base file, then the rest. */
export function composeFileRank(path: string): number {
  const name = baseName(path);
  if (/prod/i.test(name)) return 0;
  if (/^(?:docker-)?compose\.ya?ml$/.test(name)) return 1;
  return 2;
}

const NOT_PRODUCTION_NAME =
  /^(?:Dockerfile|Containerfile)[.-](?:dev|develop|development|debug|test|tests|e2e|ci|local|devcontainer|playwright|cypress)\b|(?:^|[.-])(?:dev|develop|development|debug|test|tests|e2e|local|playwright|cypress)[.-](?:Dockerfile|Containerfile)$/i;
const NOT_PRODUCTION_DIR =
  /(?:^|\/)(?:\.devcontainer|e2e|cypress|playwright|tests?|__tests__|local|dev)\//;
const RUNNER_IMAGE =
  /(?:^|\/)(?:playwright|cypress)(?:[/:]|$)|\/devcontainers?\/|vscode\/devcontainers/;

const TEST_RUNNER_NAME =
  /^(?:Dockerfile|Containerfile)[.-](?:test|tests|e2e|playwright|cypress)\b|(?:^|[.-])(?:test|tests|e2e|playwright|cypress)[.-](?:Dockerfile|Containerfile)$/i;
const TEST_RUNNER_DIR = /(?:^|\/)(?:e2e|cypress|playwright)\//;
const TEST_RUNNER_IMAGE = /(?:^|\/)(?:playwright|cypress)(?:[/:]|$)/;

/**
 * True for a build of a test runner (a Dockerfile named or placed for tests/e2e, or a stage
 * built on a Playwright or Cypress image): its image runs tests, so it is never a service's.
 */
export function isTestRunnerBuild(path: string, stage: DockerStage): boolean {
  return (
    TEST_RUNNER_NAME.test(baseName(path)) ||
    TEST_RUNNER_DIR.test(path) ||
    TEST_RUNNER_IMAGE.test(stage.baseImage)
  );
}

/** True for a Dockerfile that builds a dev, test or e2e environment rather than the app. */
export function isNotProductionDockerfile(
  path: string,
  parsed: ParsedDockerfile | undefined,
): boolean {
  if (NOT_PRODUCTION_NAME.test(baseName(path)) || NOT_PRODUCTION_DIR.test(path)) return true;
  return (parsed?.stages ?? []).some((stage) => RUNNER_IMAGE.test(stage.baseImage));
}

export interface BuildSources {
  /** `rank`: the role of the compose service that builds it (0 = web, higher = less the app). */
  compose: Array<ComposeBuild & { file: string; rank?: number }>;
  ci: CiBuild[];
}

/** The build of the service in `dir`, or null when the repository has no Dockerfile for it. */
export function chooseBuild(
  dir: string,
  sources: BuildSources,
  view: RepoView,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): ChosenBuild | null {
  const candidates: Candidate[] = [
    ...[...sources.compose]
      .sort(
        (a, b) =>
          (a.rank ?? 0) - (b.rank ?? 0) ||
          composeFileRank(a.file) - composeFileRank(b.file) ||
          devRank(a) - devRank(b) ||
          folderRank(a, dir) - folderRank(b, dir),
      )
      .map((build) => composeCandidate(build, dockerfiles)),
    ...sources.ci.map((build) => ({
      spec: { ...specOf(build), source: 'ci' as const },
      evidence: [build.evidence],
    })),
    ...folderDockerfiles(dir, dockerfiles).map((path) =>
      dockerfileCandidate(path, view, dockerfiles),
    ),
  ].filter((candidate): candidate is Candidate => candidate !== undefined);
  const usable = candidates.filter((candidate) => {
    const stage = stageOf(candidate, dockerfiles);
    return stage !== undefined && !isTestRunnerBuild(candidate.spec.dockerfile, stage);
  });
  const chosen =
    usable.find(
      (c) => !isNotProductionDockerfile(c.spec.dockerfile, dockerfiles.get(c.spec.dockerfile)),
    ) ?? usable[0];
  if (!chosen) return null;
  const stage = stageOf(chosen, dockerfiles);
  if (!stage) return null;
  return {
    build: claimOf(chosen.spec, ...chosen.evidence),
    dockerfile: { path: chosen.spec.dockerfile, stage },
  };
}

/** A compose service building the Dockerfile in the service folder beats one built from elsewhere. */
function folderRank(build: ComposeBuild, dir: string): number {
  return dirOf(build.dockerfile) === dir ? 0 : 1;
}

function devRank(build: ComposeBuild): number {
  return build.target !== null && DEV_TARGET.test(build.target) ? 1 : 0;
}

function specOf(build: {
  context: string;
  dockerfile: string;
  target: string | null;
  args: Record<string, string>;
}) {
  return {
    context: build.context,
    dockerfile: build.dockerfile,
    target: build.target,
    args: build.args,
  };
}

function composeCandidate(
  build: ComposeBuild,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): Candidate | undefined {
  const parsed = dockerfiles.get(build.dockerfile);
  if (!parsed) return undefined;
  const spec: BuildSpec = { ...specOf(build), source: 'compose' };
  const evidence = [...build.evidence];
  const target = build.target === null ? undefined : stageIndex(parsed, build.target);
  if (build.target !== null && DEV_TARGET.test(build.target) && target !== undefined) {
    const production = laterProductionStage(parsed, target);
    const stage = production === undefined ? undefined : parsed.stages[production];
    if (production !== undefined && stage) {
      spec.target = stage.name;
      evidence.push(ev(build.dockerfile, stage.line));
    }
  }
  return { spec, evidence };
}

/** Dockerfiles directly in the service folder: `Dockerfile`, `Containerfile`, then the rest. */
function folderDockerfiles(
  dir: string,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): string[] {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const preferred = [`${prefix}Dockerfile`, `${prefix}Containerfile`];
  const others = [...dockerfiles.keys()]
    .filter((path) => dirOf(path) === dir && !preferred.includes(path))
    .sort();
  return [...preferred.filter((path) => dockerfiles.has(path)), ...others];
}

function dockerfileCandidate(
  path: string,
  view: RepoView,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): Candidate | undefined {
  const parsed = dockerfiles.get(path);
  const last = parsed?.stages.at(-1);
  if (!parsed || !last) return undefined;
  const inferred = inferContext(view, path, parsed);
  return {
    spec: {
      context: inferred.context,
      dockerfile: path,
      target: null,
      args: {},
      source: 'dockerfile',
    },
    evidence: [ev(path, last.line), ...inferred.evidence],
  };
}

/** The stage a candidate builds, resolved along its FROM chain; undefined if it does not exist. */
function stageOf(
  candidate: Candidate,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): DockerStage | undefined {
  const parsed = dockerfiles.get(candidate.spec.dockerfile);
  if (!parsed || parsed.stages.length === 0) return undefined;
  const index =
    candidate.spec.target === null
      ? parsed.stages.length - 1
      : stageIndex(parsed, candidate.spec.target);
  return index === undefined ? undefined : resolveStage(parsed, index, candidate.spec.args);
}
