/**
 * Builds a service's image from its Dockerfile with the Docker Engine's legacy builder (the one
 * that works without BuildKit or any registry here), following the build stream to its end. A
 * failed build becomes one BuildFailedError naming the failing step; images are never pulled, so
 * a FROM that is not on the engine is reported with the air-gapped remedy (BASE_IMAGE).
 */
import type Docker from 'dockerode';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BuildServiceImageOptions {
  docker: Docker;
  /** The build context (the service's directory). */
  contextDir: string;
  /** Path of the Dockerfile relative to the context; default `Dockerfile`. */
  dockerfile?: string;
  /** `repo:tag` of the image to produce. */
  tag: string;
  /** e.g. `{ BASE_IMAGE: 'local/node:base' }` (see baseImageBuildArgs). */
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
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
  constructor(message: string, step: string | undefined, remedy: string) {
    super(step ? `image build failed at ${step}: ${message}` : `image build failed: ${message}`);
    this.name = 'BuildFailedError';
    this.step = step;
    this.remedy = remedy;
  }
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export async function buildServiceImage(options: BuildServiceImageOptions): Promise<BuiltImage> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  if (!existsSync(join(options.contextDir, dockerfile))) {
    throw new BuildFailedError(
      `${dockerfile} not found in ${options.contextDir}`,
      undefined,
      'add a Dockerfile (the plan proposes one) or give its path',
    );
  }
  // dockerode packs exactly these files and drops what .dockerignore excludes.
  const src = contextFiles(options.contextDir);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await options.docker.buildImage(
      { context: options.contextDir, src },
      {
        t: options.tag,
        dockerfile,
        buildargs: options.buildArgs ?? {},
        labels: options.labels ?? {},
        rm: true,
        forcerm: true,
        pull: false,
        version: '1',
      },
    );
  } catch (error) {
    throw new BuildFailedError((error as Error).message, undefined, 'check the Docker Engine');
  }
  const { step, error } = await follow(options.docker, stream, options.onProgress);
  if (error) throw new BuildFailedError(error, step, remedyFor(error));
  const id = (await options.docker.getImage(options.tag).inspect()).Id;
  return { image: options.tag, id };
}

function follow(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onProgress: ((line: string) => void) | undefined,
): Promise<{ step: string | undefined; error: string | undefined }> {
  let step: string | undefined;
  let failure: string | undefined;
  return new Promise((resolve) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => resolve({ step, error: failure ?? error?.message }),
      (event: BuildEvent) => {
        if (event.error || event.errorDetail) {
          failure ??= (event.errorDetail?.message ?? event.error ?? 'unknown error').trim();
          return;
        }
        for (const line of (event.stream ?? event.status ?? '').split('\n')) {
          const text = line.trimEnd();
          if (!text) continue;
          if (/^Step \d+\/\d+ : /.test(text)) step = text;
          onProgress?.(text);
        }
      },
    );
  });
}

function remedyFor(message: string): string {
  if (
    /pull access denied|manifest unknown|not found: manifest|no such host|dial tcp|lookup .* on/i.test(
      message,
    )
  )
    return 'images are never pulled: declare `ARG BASE_IMAGE=<public image>` + `FROM ${BASE_IMAGE}` in the Dockerfile and build with BASE_IMAGE=local/<runtime>:base (ensureRuntimeBaseImage), or load the base image with `docker load`';
  if (/returned a non-zero code|executable file not found|no such file or directory/i.test(message))
    return 'the failing step is above: fix the Dockerfile or the files it copies; runtime base images have no shell, so RUN steps in shell form cannot run on them';
  return 'read the failing step and the builder output above';
}

/** Every file and directory of the context, relative, without .git (never part of an image). */
function contextFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => path !== '.git' && !path.startsWith('.git/'))
    .sort();
}
