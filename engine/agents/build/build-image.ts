/**
 * Builds a service's image from its Dockerfile with the Docker Engine's legacy builder (the one
 * that works without BuildKit or any registry here), following the build stream to its end.
 *
 * The context is what `docker build -f <dockerfile> <contextDir>` would send (build-context.ts:
 * `.dockerignore` or `<Dockerfile>.dockerignore` applied as Docker applies it), so a Dockerfile
 * in a subfolder can copy files from the repository root. With a plan (planLegacyBuild) the
 * translated text is built instead of the file, with its target and build args, and its side
 * image (heredoc COPY bodies, --chmod copies) is built first and removed after. RUN steps join
 * `networkMode` (the build network the package-mirror relay listens on).
 *
 * A failed build becomes one BuildFailedError naming the failing step, with a cause: an install
 * step that could not reach the network names its package tool so the caller can say which
 * mirror is missing. Images are never pulled.
 */
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { classifyBuildFailure, type BuildFailureCause } from './build-failure.ts';
import { prepareContext } from './context/build-context.ts';
import { sideImageEntries, SIDE_DOCKERFILE } from './context/side-image.ts';
import { tarStream, type TarEntry } from './context/tar-writer.ts';
import { SIDE_IMAGE_ARG, type LegacyBuildPlan } from './dockerfile/plan.ts';

export type { BuildFailureCause } from './build-failure.ts';

export interface BuildServiceImageOptions {
  docker: Docker;
  /** The build context (the repository root, or the service's directory). */
  contextDir: string;
  /** Path of the Dockerfile relative to the context (or absolute); default `Dockerfile`. */
  dockerfile?: string;
  /** `repo:tag` of the image to produce. */
  tag: string;
  /** e.g. `{ BASE_IMAGE: 'local/node:base' }`; with a plan, added to the plan's build args. */
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** The stage to build; default the plan's target, else the last stage. */
  target?: string | null;
  /** A user-defined network the RUN steps join (e.g. the package-mirror relay's). */
  networkMode?: string;
  /** The legacy build plan of the Dockerfile: its translated text is what gets built. */
  plan?: LegacyBuildPlan;
  /** Files of the context sent with other content (context-relative path → text). */
  contextOverrides?: Record<string, string>;
  /** Applied to every progress line and error message (the secret redactor). */
  redact?(text: string): string;
  /** Every line of builder output as it comes (`Step 2/9 : COPY …`). */
  onProgress?(line: string): void;
}

export interface BuiltImage {
  /** The tag asked for. */
  image: string;
  /** The image ID (sha256:…). */
  id: string;
}

export class BuildFailedError extends Error {
  /** The builder step that failed (`Step 4/9 : RUN …`), when the builder got that far. */
  readonly step: string | undefined;
  readonly remedy: string;
  /** Why: a step that could not reach the network (and its tool), a failing step, … */
  override readonly cause: BuildFailureCause;
  constructor(
    message: string,
    step: string | undefined,
    remedy: string,
    cause: BuildFailureCause = { kind: 'step' },
  ) {
    super(step ? `image build failed at ${step}: ${message}` : `image build failed: ${message}`);
    this.name = 'BuildFailedError';
    this.step = step;
    this.remedy = remedy;
    this.cause = cause;
  }
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

interface Outcome {
  step: string | undefined;
  error: string | undefined;
  /** Lines the failing step printed. */
  stepOutput: string[];
}

export async function buildServiceImage(options: BuildServiceImageOptions): Promise<BuiltImage> {
  const redact = options.redact ?? ((text: string) => text);
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const path = isAbsolute(dockerfile) ? dockerfile : join(options.contextDir, dockerfile);
  if (!existsSync(path)) {
    throw new BuildFailedError(
      `${dockerfile} not found in ${options.contextDir}`,
      undefined,
      'add a Dockerfile (the plan proposes one) or give its path',
      { kind: 'step' },
    );
  }
  const text = options.plan?.dockerfile ?? readFileSync(path, 'utf8');
  const context = prepareContext(options.contextDir, path, text, options.contextOverrides);
  const buildArgs = { ...(options.plan?.buildArgs ?? {}), ...(options.buildArgs ?? {}) };
  const sideTag = options.plan?.sideFiles.length
    ? `prodsprint-side/${randomUUID()}:build`
    : undefined;
  try {
    if (sideTag) {
      await runBuild(options, sideImageEntries(options.plan!.sideFiles, context.files), {
        t: sideTag,
        dockerfile: SIDE_DOCKERFILE,
      });
      buildArgs[SIDE_IMAGE_ARG] = sideTag;
    }
    const target = options.target === undefined ? options.plan?.target : options.target;
    await runBuild(options, context.entries, {
      t: options.tag,
      dockerfile: context.dockerfile,
      buildargs: buildArgs,
      labels: options.labels ?? {},
      ...(target ? { target } : {}),
      ...(options.networkMode ? { networkmode: options.networkMode } : {}),
    });
  } finally {
    if (sideTag)
      await options.docker
        .getImage(sideTag)
        .remove({ force: true })
        .catch(() => undefined);
  }
  const id = (await options.docker.getImage(options.tag).inspect()).Id;
  return { image: options.tag, id };

  async function runBuild(
    opts: BuildServiceImageOptions,
    entries: TarEntry[],
    params: Record<string, unknown>,
  ) {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await opts.docker.buildImage(tarStream(entries), {
        ...params,
        rm: true,
        forcerm: true,
        pull: false,
        version: '1',
      });
    } catch (error) {
      throw new BuildFailedError(
        redact((error as Error).message),
        undefined,
        'check the Docker Engine',
        { kind: 'engine' },
      );
    }
    const outcome = await follow(opts.docker, stream, (line) => opts.onProgress?.(redact(line)));
    if (!outcome.error) return;
    const cause = classifyBuildFailure(outcome.step, outcome.stepOutput, outcome.error);
    throw new BuildFailedError(
      redact(outcome.error),
      outcome.step && redact(outcome.step),
      remedyFor(outcome.error, cause),
      cause,
    );
  }
}

/** Lines of a step's output kept to classify its failure. */
const STEP_OUTPUT_LINES = 200;

function follow(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onProgress: (line: string) => void,
): Promise<Outcome> {
  let step: string | undefined;
  let failure: string | undefined;
  let stepOutput: string[] = [];
  return new Promise((resolve) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => resolve({ step, error: failure ?? error?.message, stepOutput }),
      (event: BuildEvent) => {
        if (event.error || event.errorDetail) {
          failure ??= (event.errorDetail?.message ?? event.error ?? 'unknown error').trim();
          return;
        }
        for (const line of (event.stream ?? event.status ?? '').split('\n')) {
          const text = line.trimEnd();
          if (!text) continue;
          if (/^Step \d+\/\d+ : /.test(text)) {
            step = text;
            stepOutput = [];
          } else {
            // The last lines say why a step failed (Maven prints its error after hundreds of
            // download lines), so keep the tail, not the head.
            stepOutput.push(text);
            if (stepOutput.length > STEP_OUTPUT_LINES) stepOutput.shift();
          }
          onProgress(text);
        }
      },
    );
  });
}

export function remedyFor(message: string, cause: BuildFailureCause): string {
  if (cause.kind === 'configuration')
    // Names first, in parentheses, then the advice: "AUTH_SECRET: give …" reads as a secret
    // assignment to the redactor, which would blank the advice.
    return `the build checks its environment and some variables were missing (${cause.variables.length ? cause.variables.join(', ') : 'those its schema requires'}). Give the build those values (build args its Dockerfile declares) or the switch its env schema has for skipping validation at build time (t3-env apps read SKIP_ENV_VALIDATION or CI), then run the sprint again`;
  if (cause.kind === 'network')
    return cause.tool
      ? `the step needs ${cause.tool}'s package registry and builds run offline: configure a package mirror for ${cause.tool} (\`prodsprint config set mirrors.<npm|pypi|go|maven> <url>\`) or vendor the dependencies into the repository`
      : 'the step tried to reach the network and builds run offline: configure the package mirror it needs (`prodsprint config set mirrors.<npm|pypi|go|maven> <url>`) or vendor what it downloads into the repository';
  if (
    cause.kind === 'base-image' ||
    /pull access denied|manifest unknown|not found: manifest|no such host|dial tcp|lookup .* on/i.test(
      message,
    )
  )
    return 'images are never pulled: declare `ARG BASE_IMAGE=<public image>` + `FROM ${BASE_IMAGE}` in the Dockerfile and build with BASE_IMAGE=local/<runtime>:base (ensureRuntimeBaseImage), or load the base image with `docker load`';
  const uncopied = /COPY failed: file not found in build context[^:]*: stat ([^:\s]{1,300})/.exec(
    message,
  )?.[1];
  if (uncopied)
    return `the Dockerfile copies ${uncopied}, which is not in the repository: it is made by a build that runs before \`docker build\` (the repository's CI or Makefile). ProdSprint runs that build itself only for a Node project's \`build\` script writing to dist/, build/, out/ or .next/: build it in a stage of the Dockerfile, or point the sprint at a Dockerfile that does`;
  if (/executable file not found|\/bin\/sh: no such file|stat \/bin\/sh/i.test(message))
    return 'the failing step runs a program the image does not have; a runtime image has no shell, so RUN steps in shell form cannot run on it: install the program in an earlier step or run the step in a builder stage';
  if (/returned a non-zero code|no such file or directory/i.test(message))
    return 'the failing step and its output are above: fix the Dockerfile or the files it copies';
  return 'read the failing step and the builder output above';
}
