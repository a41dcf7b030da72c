/**
 * Runtime base images built from the host, never pulled (RECIPES.md, "A runtime image without
 * any registry"): `local/node:base` and `local/python:base`. Each carries the hash of its inputs
 * as a label, so unchanged inputs are never rebuilt; a lock across processes makes parallel
 * callers build once. The images have no shell: health checks are written in the runtime's
 * language, and the app runs as uid 1000 from /app.
 *
 * Datastore images (`local/postgres:base`, `local/redis:base`) are built the same way, for the
 * throwaway databases a service's integration tests run against.
 */
import type Docker from 'dockerode';
import { rmSync } from 'node:fs';
import { withBuildLock } from './build-lock.ts';
import { nodeRootSpec } from './node-base.ts';
import { postgresRootSpec } from './postgres-base.ts';
import { pythonRootSpec } from './python-base.ts';
import { redisRootSpec } from './redis-base.ts';
import { HASH_LABEL, importRoot, labelOf } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

export { BaseImageInputMissingError } from './missing-input.ts';
export { POSTGRES_PORT } from './postgres-base.ts';
export { REDIS_PORT } from './redis-base.ts';
export { APP_UID, HASH_LABEL } from './rootfs.ts';

export type Runtime = 'node' | 'python';
export type Datastore = 'postgres' | 'redis';

export interface EnsureBaseImageOptions {
  /** Progress lines (what is being built, import output). */
  onProgress?(line: string): void;
}

export interface BaseImage {
  /** `local/node:base`, `local/python:base`, … */
  image: string;
  /** The image ID (sha256:…). */
  id: string;
  /** True when this call built it; false when an image with the same input hash was there. */
  built: boolean;
}

/** The image name of a runtime's base, for callers that map `BASE_IMAGE` build args. */
export function runtimeBaseImageName(runtime: Runtime): string {
  return `local/${runtime}:base`;
}

export async function ensureRuntimeBaseImage(
  docker: Docker,
  runtime: Runtime,
  options: EnsureBaseImageOptions = {},
): Promise<BaseImage> {
  const spec = runtime === 'node' ? await nodeRootSpec() : await pythonRootSpec();
  return ensureImage(docker, spec, `base-image-${runtime}`, options);
}

/**
 * `local/postgres:base` or `local/redis:base`, built from the host's packages when missing or
 * stale. Throws BaseImageInputMissingError (with the apt packages) when the host lacks them.
 */
export async function ensureDatastoreImage(
  docker: Docker,
  datastore: Datastore,
  options: EnsureBaseImageOptions = {},
): Promise<BaseImage> {
  const spec = datastore === 'postgres' ? await postgresRootSpec() : await redisRootSpec();
  return ensureImage(docker, spec, `datastore-image-${datastore}`, options);
}

/** Builds `spec` once per input hash (cross-process lock); datastore and stand-in images share it. */
export async function ensureImage(
  docker: Docker,
  spec: RootSpec,
  lockName: string,
  options: EnsureBaseImageOptions,
): Promise<BaseImage> {
  const fresh = async () => ((await labelOf(docker, spec.image)) === spec.hash ? spec : undefined);
  if (await fresh()) return { image: spec.image, id: await idOf(docker, spec.image), built: false };
  return withBuildLock(lockName, async () => {
    // Whoever held the lock before us may have just built it.
    if (await fresh())
      return { image: spec.image, id: await idOf(docker, spec.image), built: false };
    await build(docker, spec, options);
    return { image: spec.image, id: await idOf(docker, spec.image), built: true };
  });
}

async function build(docker: Docker, spec: RootSpec, options: EnsureBaseImageOptions) {
  const previous = await idOf(docker, spec.image).catch(() => undefined);
  options.onProgress?.(
    `building ${spec.image} from host files (input hash ${spec.hash.slice(0, 12)})`,
  );
  const root = await spec.assemble();
  try {
    const [repo = spec.image, tag = 'latest'] = spec.image.split(':');
    await importRoot(
      docker,
      root,
      { repo, tag, changes: [...spec.changes, `LABEL ${HASH_LABEL}=${spec.hash}`] },
      options.onProgress,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  if ((await labelOf(docker, spec.image)) !== spec.hash)
    throw new Error(`import of ${spec.image} left no labelled image`);
  // vfs keeps a full copy per image: drop the superseded one unless images still build on it.
  if (previous && previous !== (await idOf(docker, spec.image)))
    await docker
      .getImage(previous)
      .remove()
      .catch(() => undefined);
}

async function idOf(docker: Docker, image: string): Promise<string> {
  return (await docker.getImage(image).inspect()).Id;
}

// Base images for real Dockerfiles' FROM lines (issue 14): resolution (engine, registry mirror,
// stand-in built from host packages), publishing stand-ins to a registry, reference parsing.
export { missingBaseImage, resolveBaseImage } from './resolve-base-image.ts';
export type {
  BaseImageResolution,
  RegistryMirror,
  ResolveBaseImageOptions,
} from './resolve-base-image.ts';
export { listStandIns, publishStandIns } from './publish.ts';
export type { PublishedStandIn, StandInCatalogRow } from './publish.ts';
export {
  engineName,
  familiarReference,
  fromInstructionImage,
  InvalidImageReferenceError,
  mirrorReference,
  normalizedReference,
  parseImageReference,
} from './image-reference.ts';
export type { ImageReference } from './image-reference.ts';
export { readStandInLabels, STAND_IN_LABELS } from './stand-in-image.ts';
export type { StandInLabels } from './stand-in-image.ts';
export { importNodeRuntime, nodeRuntimesDir } from './stand-ins/node-runtimes.ts';
