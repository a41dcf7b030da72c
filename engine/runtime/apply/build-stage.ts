/**
 * The apply run's build stage on the local Docker Engine (issue 14): the repository's own
 * Dockerfile, with the build context its compose file, CI or COPY lines imply, built the way
 * BuildKit would build it on an engine that only has the legacy builder, offline:
 *
 *   1. the source: the auditor's build spec (context, Dockerfile, target, args), else the
 *      service folder's Dockerfile, else the Dockerfile the approved plan generated (said so);
 *   2. the Dockerfile translated for the legacy builder (planLegacyBuild); what it cannot build
 *      exactly is refused with the line and the remedy;
 *   3. every external base image resolved before the build (the legacy builder would otherwise
 *      try to pull it): on the engine, through the registry mirror, or a stand-in built from
 *      this machine's packages; each resolution is recorded in the audit chain, and a stand-in
 *      that lacks a package manager the Dockerfile calls (`apk` on an alpine stand-in) blocks;
 *   4. the package managers the RUN steps call reach the configured mirrors through the relay,
 *      whose URLs are injected as ARGs (credentials stay in the relay, out of the image); an
 *      install that fails for want of network names the mirror to configure.
 * The checkout is read, never written: the context tar is made from it directly.
 */
import type Docker from 'dockerode';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import {
  baseImageArg,
  buildServiceImage,
  planLegacyBuild,
  planPrebuild,
  UnsupportedDockerfileError,
  type LegacyBuildPlan,
  type Prebuild,
} from '../../agents/build/index.ts';
import type { BuildResult, StepContext } from '../../agents/pipeline/toolkit.ts';
import { nodeInstallCommand } from '../../agents/test/test-image.ts';
import { generatedContextOf, type Service } from '../../agents/repo-auditor/index.ts';
import type { AuditLog } from '../../audit/index.ts';
import {
  readOfflineSettings,
  resolveMirrorCredential,
} from '../../environments/local/offline-settings.ts';
import type { Redactor } from '../../secrets/redact.ts';
import type { Db } from '../../store/database.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { ensureRuntimeBaseImage } from '../../tools/base-images/index.ts';
import {
  resolveBaseImage,
  type BaseImageResolution,
} from '../../tools/base-images/resolve-base-image.ts';
import { BlockedStageError } from '../../runs/index.ts';
import {
  buildBlocker,
  BuildStepFailedError,
  mirrorMisses,
  contextOverridesFor,
  ecosystemsOf,
  startRelayFor,
} from './package-access.ts';

export interface BuildStageDeps {
  db: Db;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  audit: () => AuditLog;
  docker: () => Promise<Docker>;
  /** The project's checkout (read only). */
  repoDir: string;
  service: Service;
  /** The image name, `prodsprint/<project>:<version>`. */
  tag: string;
  /** The approved plan's files (digest-checked), for a Dockerfile the repository lacks. */
  planFiles: () => Promise<Array<{ path: string; content: string }>>;
  /** The registry the plan pins its images in (its inputs' mirror.registry). */
  planRegistry?: string;
}

/** Where the Dockerfile comes from and what `docker build` is given. */
interface BuildSource {
  /** Absolute context directory. */
  contextDir: string;
  /** Absolute path of the Dockerfile (the checkout's, or the plan's in a temp dir). */
  dockerfile: string;
  /** Repository-relative, for people. */
  shown: string;
  /** Repository-relative path of the Dockerfile (the plan's artifact path when generated). */
  file: string;
  target: string | null;
  args: Record<string, string>;
  origin: 'repository' | 'plan';
}

export async function runBuildStage(step: StepContext, deps: BuildStageDeps): Promise<BuildResult> {
  const docker = await deps.docker();
  const scratch = await mkdtemp(join(tmpdir(), 'prodsprint-build-'));
  try {
    const source = await buildSourceOf(step, deps, scratch);
    const notes: string[] = [];
    if (source.origin === 'plan')
      notes.push(`the repository has no Dockerfile for ${deps.service.name}: built the plan's`);
    const args = { ...source.args, ...(await exampleBaseArg(docker, source, step)) };
    const written = readFileSync(source.dockerfile, 'utf8');
    // COPY of output a build makes before `docker build` (Nx): that build runs in a first stage.
    const prebuild =
      source.origin === 'repository' ? prebuildOf(written, source.contextDir, deps) : null;
    if (prebuild) notes.push(prebuild.note);
    const text = prebuild?.text ?? written;
    const first = plan(text, source, args);
    const resolutions = await resolveBaseImages(docker, first, step, deps);
    refuseMissingTools(first, resolutions);
    const misses: string[] = [];
    const relay = await startRelayFor(ecosystemsOf(first), docker, deps, step, notes, misses);
    try {
      const injected = relay ? Object.keys(relay.buildArgs) : [];
      const translated = plan(text, source, { ...args, ...relay?.buildArgs }, injected);
      notes.push(...translated.notes);
      for (const note of notes) step.progress(note);
      step.progress(`building ${deps.tag} from ${source.shown}`);
      const built = await buildServiceImage({
        docker,
        contextDir: source.contextDir,
        dockerfile: source.dockerfile,
        tag: deps.tag,
        plan: translated,
        ...(relay ? { networkMode: relay.network } : {}),
        contextOverrides: contextOverridesFor(source.contextDir, relay),
        labels: { 'prodsprint.project': step.projectId, 'prodsprint.run': step.runId },
        redact: (line) => deps.redactor.redact(line),
        onProgress: (line) => step.progress(line),
      }).catch((error: unknown) => {
        const blocker = mirrorMisses(buildBlocker(error, translated, relay), misses, relay);
        throw onDifferentMajor(blocker, resolutions);
      });
      return {
        image: built.image,
        imageId: built.id,
        baseImage: resolutions.at(-1)?.image ?? '',
        dockerfile: source.shown,
        dockerfileFile: source.file,
        dockerfileText: text,
        dockerfileOrigin: source.origin,
        target: translated.target,
        baseImages: resolutions.map(describeResolution),
        notes,
      };
    } finally {
      await relay?.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The auditor's build spec, else the service folder's Dockerfile, else the plan's. */
async function buildSourceOf(
  step: StepContext,
  deps: BuildStageDeps,
  scratch: string,
): Promise<BuildSource> {
  const spec = deps.service.build?.value;
  if (spec && existsSync(join(deps.repoDir, spec.dockerfile))) {
    return {
      contextDir: join(deps.repoDir, spec.context),
      dockerfile: join(deps.repoDir, spec.dockerfile),
      shown: `${spec.dockerfile} (context ${spec.context}${spec.target ? `, target ${spec.target}` : ''}, from ${spec.source})`,
      file: spec.dockerfile,
      target: spec.target,
      args: spec.args,
      origin: 'repository',
    };
  }
  const dir = step.input.service.path;
  const own = join(deps.repoDir, dir, 'Dockerfile');
  if (existsSync(own))
    return {
      contextDir: join(deps.repoDir, dir),
      dockerfile: own,
      shown: join(dir, 'Dockerfile'),
      file: join(dir, 'Dockerfile'),
      target: null,
      args: {},
      origin: 'repository',
    };
  const prefix = dir ? `${dir}/` : '';
  const files = await deps.planFiles();
  const generated = files.find((f) => f.path === `${prefix}Dockerfile`);
  if (!generated) {
    throw new BlockedStageError(
      `service ${deps.service.name} has no Dockerfile and the approved plan proposes none`,
      'Add a Dockerfile to the service, or plan again so the blueprint proposes one, and run the sprint again.',
    );
  }
  const dockerfile = join(scratch, 'Dockerfile');
  await writeFile(dockerfile, fromPlanRegistry(generated.content, planRegistry(deps)));
  // The context the plan wrote its Dockerfile for: a Node workspace member's is the root.
  const context = generatedContextOf(deps.service);
  // The plan's .dockerignore applies when the context has none (per-Dockerfile ignore file).
  const ignore = files.find(
    (f) => f.path === `${prefix}Dockerfile.dockerignore` || f.path === `${prefix}.dockerignore`,
  );
  if (ignore && !existsSync(join(deps.repoDir, context, '.dockerignore')))
    await writeFile(`${dockerfile}.dockerignore`, ignore.content);
  return {
    contextDir: join(deps.repoDir, context),
    dockerfile,
    shown: `${prefix}Dockerfile (proposed by the plan)`,
    file: `${prefix}Dockerfile`,
    target: null,
    args: {},
    origin: 'plan',
  };
}

/**
 * The prebuild stage for a Dockerfile that copies build output, installing as the test image
 * does (nodeInstallCommand) with the package manager the auditor found; the lockfile counts
 * when it is in the build context's own folder, where the stage installs.
 */
function prebuildOf(text: string, contextDir: string, deps: BuildStageDeps): Prebuild | null {
  const at = (name: string) => join(contextDir, name);
  let packageJson: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(at('package.json'), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      packageJson = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const lockfile = deps.service.lockfile?.value;
  const lockHere =
    lockfile !== undefined && join(deps.repoDir, lockfile) === at(basename(lockfile));
  const install = nodeInstallCommand(
    contextDir,
    deps.service.packageManager?.value,
    lockHere ? basename(lockfile) : undefined,
  );
  if (!install.ok) return null;
  return planPrebuild({
    text,
    exists: (path) => existsSync(at(path)),
    packageJson,
    install: install.command,
  });
}

/** The registry the plan's images are pinned in (blueprint inputs `mirror.registry`). */
function planRegistry(deps: BuildStageDeps): string {
  return deps.planRegistry ?? 'registry.internal';
}

/**
 * The plan pins its base images in the team's registry (`registry.internal/library/node:22…`
 * with digests to be verified when the mirror is synced). Built here, the same images are taken
 * by their Docker Hub names, which the registry mirror or a stand-in resolves; the plan itself
 * keeps its pins.
 */
export function fromPlanRegistry(text: string, registry: string): string {
  const prefix = `${registry}/`;
  return text
    .split('\n')
    .map((line) => {
      const words = line.split(' ');
      if (words[0]?.toUpperCase() !== 'FROM') return line;
      return words
        .map((word, index) => {
          if (index === 0 || word.startsWith('--') || !word.startsWith(prefix)) return word;
          const path = word.slice(prefix.length).split('@')[0]!;
          if (path.startsWith('library/')) return path.slice('library/'.length);
          // The plan's pins keep Google's distroless images under distroless/ (templates/ci/pins.yaml).
          return path.startsWith('distroless/') ? `gcr.io/${path}` : path;
        })
        .join(' ');
    })
    .join('\n');
}

/**
 * ProdSprint's examples declare `ARG BASE_IMAGE=<public image>` + `FROM ${BASE_IMAGE}` for the
 * shell-less runtime images built from this machine; honour that override as before.
 */
async function exampleBaseArg(
  docker: Docker,
  source: BuildSource,
  step: StepContext,
): Promise<Record<string, string>> {
  const declared = baseImageArg(source.contextDir, relative(source.contextDir, source.dockerfile));
  if (!declared?.runtime) return {};
  const base = await ensureRuntimeBaseImage(docker, declared.runtime, {
    onProgress: (line) => step.progress(line),
  });
  return { BASE_IMAGE: base.image };
}

function plan(
  text: string,
  source: BuildSource,
  buildArgs: Record<string, string>,
  injectArgs: string[] = [],
): LegacyBuildPlan {
  try {
    return planLegacyBuild(text, { target: source.target, buildArgs, injectArgs });
  } catch (error) {
    if (error instanceof UnsupportedDockerfileError)
      throw new BlockedStageError(
        `${source.shown} line ${error.line}: ${error.feature}: ${error.reason}`,
        error.remedy,
      );
    throw error;
  }
}

async function resolveBaseImages(
  docker: Docker,
  planned: LegacyBuildPlan,
  step: StepContext,
  deps: BuildStageDeps,
): Promise<BaseImageResolution[]> {
  const settings = readOfflineSettings(deps.db);
  const registry = settings.registryMirror;
  const mirror = registry ? { url: registry.url, ...credentialHeader(registry, deps) } : undefined;
  const resolutions: BaseImageResolution[] = [];
  for (const { reference } of planned.externalImages) {
    const resolution = await resolveBaseImage(docker, reference, {
      ...(mirror ? { mirror } : {}),
      dataDir: deps.dataDir,
      redactor: deps.redactor,
      signal: step.signal,
      onProgress: (line) => step.progress(line),
    }).catch((error: unknown) => {
      throw buildBlocker(error, planned, undefined);
    });
    resolutions.push(resolution);
    step.progress(`base image ${describeResolution(resolution).line}`);
  }
  deps.audit().sink.append(deps.db, {
    actor: { user: 'system' },
    action: 'build.base-images.resolved',
    target: `run:${step.runId}`,
    meta: {
      project: step.projectId,
      service: deps.service.name,
      images: resolutions.map((r) => ({
        requested: r.requested,
        image: r.image,
        imageId: r.imageId,
        source: r.source,
        ...(r.mirror ? { mirror: r.mirror } : {}),
        ...(r.standIn ? { standIn: r.standIn } : {}),
      })),
    },
  });
  return resolutions;
}

function credentialHeader(
  mirror: Parameters<typeof resolveMirrorCredential>[0],
  deps: BuildStageDeps,
): { authHeader?: string } {
  const { authorization } = resolveMirrorCredential(mirror, deps.env, deps.redactor);
  return authorization ? { authHeader: authorization } : {};
}

/**
 * A step that failed on a stand-in of another major version (Node 20 for node:14), with output
 * that blames the version (an `engines` range, a native module, syntax), failed because of it:
 * the missing input is the real image.
 */
export function onDifferentMajor(blocker: unknown, resolutions: BaseImageResolution[]): unknown {
  // Only when the output shows a version at fault (an engines range, a native build, syntax):
  // a step that fails for its own reasons (no lockfile, a missing variable) fails on any Node.
  if (!(blocker instanceof BuildStepFailedError) || !blocker.versionSign) return blocker;
  const substituted = resolutions.find((r) =>
    r.standIn?.warnings.some((warning) => warning.includes('the major differs')),
  );
  if (!substituted) return blocker;
  const warning = substituted.standIn!.warnings.find((w) => w.includes('the major differs'))!;
  return new OfflineInputMissingError(
    { kind: 'base-image', name: substituted.requested },
    `${blocker.message} (on a stand-in of another major version: ${warning}; the output says: ${blocker.versionSign})`,
    `Supply ${substituted.requested} itself, which the repository was written for: push it to the registry mirror (\`prodsprint config set registry.mirror <url>\`) or load it with \`docker load -i <file>\`; if the step fails there too, the step is the problem: ${blocker.remedy ?? 'see its output above'}.`,
  );
}

/** A stand-in without a package manager the Dockerfile calls cannot build it (alpine's apk). */
function refuseMissingTools(planned: LegacyBuildPlan, resolutions: BaseImageResolution[]): void {
  for (const resolution of resolutions) {
    const missing = resolution.standIn?.missingPackageManagers ?? [];
    const called = planned.packageManagers.find((p) => missing.includes(p.tool));
    if (!called) continue;
    throw new OfflineInputMissingError(
      { kind: 'base-image', name: resolution.requested },
      `the Dockerfile runs ${called.tool} (line ${called.line}), which ${resolution.requested} has and its stand-in here (${resolution.standIn!.actual}) does not`,
      `Supply ${resolution.requested} itself: push it to the registry mirror (\`prodsprint config set registry.mirror <url>\`) or load it with \`docker load -i <file>\`.`,
    );
  }
}

function describeResolution(r: BaseImageResolution) {
  const via =
    r.source === 'mirror'
      ? `through the mirror ${r.mirror?.reference ?? ''}`
      : r.source === 'stand-in'
        ? 'stand-in built here'
        : 'on the engine';
  const actual = r.standIn ? `: ${r.standIn.actual}` : '';
  return {
    requested: r.requested,
    image: r.image,
    source: r.source,
    actual: r.standIn?.actual ?? null,
    warnings: r.standIn?.warnings ?? [],
    line: `${r.requested} ${via}${actual}`,
  };
}
