/**
 * Resolves a FROM reference to an image on the Docker Engine, offline (issue 14). In order:
 *  1. the engine already has it (a ProdSprint stand-in built here whose input hash is stale is
 *     rebuilt first; its labels are reported);
 *  2. the configured registry mirror has it: pulled through the mirror and tagged under the
 *     requested name (mirror layout: image-reference.ts `mirrorReference`). If the mirror's
 *     image carries stand-in labels — whoever filled the mirror substituted it, e.g. with
 *     `publishStandIns` — that substitution is reported as such;
 *  3. a stand-in built from this machine's packages (stand-ins/catalog.ts);
 *  4. otherwise OfflineInputMissingError (kind `base-image`) naming the image and the two ways
 *     to supply it.
 * The caller records the resolution (requested → actual, warnings) in the audit chain and
 * builds FROM `image` (a digest reference cannot be a tag on the engine: see engineTag).
 */
import type Docker from 'dockerode';
import { Redactor } from '../../secrets/redact.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { hostDpkgDatabase } from './debian-packages.ts';
import {
  engineName,
  engineTag,
  familiarReference,
  mirrorPath,
  mirrorReference,
  parseImageReference,
  type ImageReference,
} from './image-reference.ts';
import { registryAuth } from './registry-auth.ts';
import { HASH_LABEL, followProgress } from './rootfs.ts';
import { findStandIn } from './stand-ins/catalog.ts';
import type { StandInAnswer } from './stand-ins/types.ts';
import { contentHash, ensureStandInImage, readStandInLabels } from './stand-in-image.ts';

export interface RegistryMirror {
  /** `http://127.0.0.1:15000`, `https://mirror.corp:5000/hub`. */
  url: string;
  /** `Basic <base64 user:password>` or `Bearer <token>` (already registered with the redactor). */
  authHeader?: string;
}

export interface ResolveBaseImageOptions {
  mirror?: RegistryMirror;
  /** ProdSprint's data dir (imported Node runtimes live under it). */
  dataDir?: string;
  onProgress?(line: string): void;
  signal?: AbortSignal;
  /** Masks credentials in progress lines and errors (a shapes-only one when absent). */
  redactor?: Redactor;
}

export interface BaseImageResolution {
  /** The reference as written (`node:18-slim`). */
  requested: string;
  /** The name now on the engine to build FROM. */
  image: string;
  imageId: string;
  source: 'engine' | 'mirror' | 'stand-in';
  mirror?: { url: string; reference: string; digest?: string };
  standIn?: {
    actual: string;
    warnings: string[];
    variantChanged: boolean;
    /** Package managers the requested image has and this one lacks (`apk` for alpine). */
    missingPackageManagers: string[];
  };
  /** Why the mirror did not supply it, when one is configured and source is not 'mirror'. */
  mirrorMiss?: string;
}

export async function resolveBaseImage(
  docker: Docker,
  requested: string,
  options: ResolveBaseImageOptions = {},
): Promise<BaseImageResolution> {
  const redactor = options.redactor ?? new Redactor();
  const progress = (line: string) => options.onProgress?.(redactor.redact(line));
  const ref = parseImageReference(requested);
  const name = engineName(ref);
  const context = {
    database: hostDpkgDatabase(),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  };
  let answer: StandInAnswer | undefined;
  const standIn = async () => (answer ??= await findStandIn(ref, context));

  options.signal?.throwIfAborted();
  const present = await inspectOnEngine(docker, ref);
  if (present) {
    const labels = readStandInLabels(present.Config.Labels);
    const builtHere = labels && present.Config.Labels?.[HASH_LABEL] && !present.RepoDigests?.length;
    const offer = builtHere ? await standIn() : undefined;
    if (
      offer?.available &&
      contentHash(offer.offer.content) !== present.Config.Labels?.[HASH_LABEL]
    ) {
      progress(`${name} is a stand-in built from older inputs: rebuilding it`);
      return fromStandIn(docker, requested, ref, offer, progress);
    }
    return {
      requested,
      image: name,
      imageId: present.Id,
      source: 'engine',
      ...(labels ? { standIn: standInOf(labels) } : {}),
    };
  }

  let mirrorMiss: string | undefined;
  if (options.mirror) {
    options.signal?.throwIfAborted();
    const pulled = await pullThroughMirror(docker, ref, options.mirror, options.signal, progress);
    if ('image' in pulled) {
      const labels = readStandInLabels(pulled.labels);
      return {
        requested,
        image: name,
        imageId: pulled.imageId,
        source: 'mirror',
        mirror: {
          url: options.mirror.url,
          reference: pulled.reference,
          ...(pulled.digest ? { digest: pulled.digest } : {}),
        },
        ...(labels ? { standIn: standInOf(labels) } : {}),
      };
    }
    mirrorMiss = redactor.redact(pulled.miss);
    progress(mirrorMiss);
  }

  options.signal?.throwIfAborted();
  const offer = await standIn();
  if (offer.available) {
    const resolution = await fromStandIn(docker, requested, ref, offer, progress);
    return mirrorMiss ? { ...resolution, mirrorMiss } : resolution;
  }
  throw missingBaseImage(ref, offer.reason, mirrorMiss, options.mirror?.url);
}

/** The error for an image nothing here can supply; the remedy names both ways to supply it. */
export function missingBaseImage(
  ref: ImageReference,
  reason: string,
  mirrorMiss?: string,
  mirrorUrl?: string,
): OfflineInputMissingError {
  const name = familiarReference(ref);
  const where = mirrorUrl
    ? `push it to the registry mirror as ${mirrorReference(ref, mirrorUrl)}`
    : `push it to a registry mirror as <mirror>/${mirrorPath(ref)} and configure the mirror with \`prodsprint config set registry.mirror <url>\``;
  return new OfflineInputMissingError(
    { kind: 'base-image', name },
    [
      `the Docker Engine does not have ${name}`,
      mirrorMiss ?? 'no registry mirror is configured',
      `and no stand-in can be built here: ${reason}`,
    ].join('; '),
    `Supply ${name}: ${where}, or load it into the Docker Engine with \`docker load -i <file>\` (a \`docker save ${name}\` made where the image can be pulled).`,
  );
}

async function fromStandIn(
  docker: Docker,
  requested: string,
  ref: ImageReference,
  answer: Extract<StandInAnswer, { available: true }>,
  progress: (line: string) => void,
): Promise<BaseImageResolution> {
  const built = await ensureStandInImage(docker, ref, answer.offer, { onProgress: progress });
  return {
    requested,
    image: built.image,
    imageId: built.imageId,
    source: 'stand-in',
    standIn: {
      actual: answer.offer.content.actual,
      warnings: answer.offer.warnings,
      variantChanged: answer.offer.variantChanged,
      missingPackageManagers: answer.offer.missingPackageManagers,
    },
  };
}

/** The engine's image for `ref`: by its engine name, or by digest if Docker pulled it so. */
async function inspectOnEngine(docker: Docker, ref: ImageReference) {
  const names = [engineName(ref)];
  if (ref.digest) names.push(`${engineTag(ref).repo}@${ref.digest}`);
  for (const candidate of names) {
    const info = await docker
      .getImage(candidate)
      .inspect()
      .catch(() => undefined);
    if (info) return info;
  }
  return undefined;
}

type Pulled =
  | {
      image: string;
      imageId: string;
      reference: string;
      digest?: string;
      labels?: Record<string, string>;
    }
  | { miss: string };

async function pullThroughMirror(
  docker: Docker,
  ref: ImageReference,
  mirror: RegistryMirror,
  signal: AbortSignal | undefined,
  progress: (line: string) => void,
): Promise<Pulled> {
  // By digest when pinned (a tag may have moved on the mirror), else by tag.
  const pinned = ref.digest ? { ...ref, tag: undefined } : ref;
  const reference = mirrorReference(pinned, mirror.url);
  const separator = ref.digest ? reference.lastIndexOf('@') : reference.lastIndexOf(':');
  const fromImage = reference.slice(0, separator);
  const tag = reference.slice(separator + 1);
  progress(`pulling ${familiarReference(ref)} from the registry mirror as ${reference}`);
  let digest: string | undefined;
  try {
    const stream = (await docker.createImage(registryAuth(mirror.url, mirror.authHeader), {
      fromImage,
      tag,
      ...(signal ? { abortSignal: signal } : {}),
    })) as NodeJS.ReadableStream;
    const events = await followProgress(docker, stream);
    digest = events
      .map((event) => /^Digest: (sha256:[0-9a-f]{64})/.exec(event.status ?? '')?.[1])
      .find(Boolean);
  } catch (error) {
    signal?.throwIfAborted();
    const message = (error as Error).message;
    const absent = /manifest unknown|not found|does not exist|404/i.test(message);
    return {
      miss: absent
        ? `the registry mirror ${mirror.url} has no ${reference}`
        : `the registry mirror ${mirror.url} could not be used for ${reference}: ${message.trim()}`,
    };
  }
  const target = engineTag(ref);
  await docker.getImage(reference).tag({ repo: target.repo, tag: target.tag });
  // The mirror's tag stays: it records where the image came from (and keeps RepoDigests).
  const info = await docker.getImage(`${target.repo}:${target.tag}`).inspect();
  return {
    image: `${target.repo}:${target.tag}`,
    imageId: info.Id,
    reference,
    ...(digest ? { digest } : {}),
    ...(info.Config.Labels ? { labels: info.Config.Labels } : {}),
  };
}

function standInOf(labels: NonNullable<ReturnType<typeof readStandInLabels>>) {
  return {
    actual: labels.actual,
    warnings: labels.warnings,
    variantChanged: labels.variantChanged,
    missingPackageManagers: labels.missingPackageManagers,
  };
}
