/**
 * Puts a stand-in image on the engine under the requested name (`node:18-slim`), labelled with
 * what it really is. The root file system is built once per input hash (packages, versions,
 * assembly code) and imported as one layer; every reference served by the same content gets
 * its own tiny image over that layer (image-relabel.ts), because its labels differ
 * (`prodsprint.stand-in.for`, warnings) while vfs would copy a second layer in full.
 * An unchanged input is never rebuilt; a cross-process lock per content makes parallel callers
 * build once (the pattern of ensureImage in index.ts).
 */
import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { assembleDebianRoot, selectDebianPackages } from './debian-root.ts';
import { engineTag, normalizedReference, type ImageReference } from './image-reference.ts';
import { relabelImage } from './image-relabel.ts';
import { withBuildLock } from './build-lock.ts';
import { followProgress, HASH_LABEL, sha256 } from './rootfs.ts';
import type { StandInContent, StandInOffer } from './stand-ins/types.ts';

export const STAND_IN_LABELS = {
  for: 'prodsprint.stand-in.for',
  actual: 'prodsprint.stand-in.actual',
  warnings: 'prodsprint.stand-in.warnings',
  variantChanged: 'prodsprint.stand-in.variant-changed',
  missingPackageManagers: 'prodsprint.stand-in.missing-package-managers',
} as const;

/** Where content images are imported before they are labelled for a reference. */
const BUILD_REPOSITORY = 'prodsprint/stand-in-build';

/** What a stand-in image says about itself (read back from an image's labels). */
export interface StandInLabels {
  for: string;
  actual: string;
  warnings: string[];
  variantChanged: boolean;
  missingPackageManagers: string[];
}

export interface StandInImage {
  /** The name on the engine (`node:18-slim`; `node:sha256-…` for a digest reference). */
  image: string;
  imageId: string;
  /** True when this call assembled a root fs (false: found, or only relabelled). */
  built: boolean;
}

export interface StandInBuildOptions {
  onProgress?(line: string): void;
}

/** The stand-in labels of an image, or undefined when it is not a stand-in. */
export function readStandInLabels(
  labels: Record<string, string> | undefined | null,
): StandInLabels | undefined {
  const forRef = labels?.[STAND_IN_LABELS.for];
  if (!labels || !forRef) return undefined;
  return {
    for: forRef,
    actual: labels[STAND_IN_LABELS.actual] ?? '',
    warnings: parseList(labels[STAND_IN_LABELS.warnings]),
    variantChanged: labels[STAND_IN_LABELS.variantChanged] === 'true',
    missingPackageManagers: parseList(labels[STAND_IN_LABELS.missingPackageManagers]),
  };
}

/** The input hash of a content: its packages (names, versions), code and other inputs. */
export function contentHash(content: StandInContent): string {
  const selection = selectDebianPackages(content.flavor, content.packages);
  if (selection.missing.length > 0)
    throw new Error(
      `${content.key} needs Debian packages this host lacks: ${selection.missing.join(', ')}`,
    );
  return sha256(
    selection.hash,
    content.key,
    content.changes.join('\n'),
    content.stopSignal ?? '',
    ...content.hashInputs,
  );
}

/** The labels the image for `ref` carries when `offer` stands in for it. */
export function labelsFor(ref: ImageReference, offer: StandInOffer): Record<string, string> {
  return {
    [STAND_IN_LABELS.for]: normalizedReference(ref),
    [STAND_IN_LABELS.actual]: offer.content.actual,
    [STAND_IN_LABELS.warnings]: JSON.stringify(offer.warnings),
    [STAND_IN_LABELS.variantChanged]: String(offer.variantChanged),
    [STAND_IN_LABELS.missingPackageManagers]: JSON.stringify(offer.missingPackageManagers),
  };
}

/** Makes sure the engine has the stand-in for `ref` under its engine name, current. */
export async function ensureStandInImage(
  docker: Docker,
  ref: ImageReference,
  offer: StandInOffer,
  options: StandInBuildOptions = {},
): Promise<StandInImage> {
  const hash = contentHash(offer.content);
  const target = engineTag(ref);
  const name = `${target.repo}:${target.tag}`;
  const labels = { ...labelsFor(ref, offer), [HASH_LABEL]: hash };
  const current = async () => {
    const info = await docker
      .getImage(name)
      .inspect()
      .catch(() => undefined);
    const have = info?.Config.Labels ?? {};
    const same =
      Object.entries(labels).every(([key, value]) => have[key] === value) &&
      (!offer.cmd || JSON.stringify(info?.Config.Cmd) === JSON.stringify(offer.cmd));
    return info && same ? info.Id : undefined;
  };
  const found = await current();
  if (found) return { image: name, imageId: found, built: false };
  return withBuildLock(`stand-in-${hash.slice(0, 24)}`, async () => {
    const again = await current();
    if (again) return { image: name, imageId: again, built: false };
    const previous = await docker
      .getImage(name)
      .inspect()
      .then((info) => info.Id)
      .catch(() => undefined);
    let source = await imageWithHash(docker, hash);
    const built = !source;
    if (!source) source = await buildContent(docker, offer.content, hash, options);
    options.onProgress?.(`tagging ${name}: ${offer.content.actual}`);
    const imageId = await relabelImage(
      docker,
      source,
      target,
      labels,
      `prodsprint stand-in for ${normalizedReference(ref)}: ${offer.content.actual}, assembled from this machine's packages`,
      {
        ...(offer.content.stopSignal ? { StopSignal: offer.content.stopSignal } : {}),
        ...(offer.cmd ? { Cmd: offer.cmd } : {}),
      },
    );
    await removeQuietly(docker, `${BUILD_REPOSITORY}:${hash.slice(0, 16)}`);
    // vfs keeps a full copy per layer: drop what this tag replaced unless something uses it.
    if (previous && previous !== imageId) await removeQuietly(docker, previous);
    return { image: name, imageId, built };
  });
}

/** Any image on the engine whose content has this input hash (they all share its layer). */
async function imageWithHash(docker: Docker, hash: string): Promise<string | undefined> {
  const images = await docker.listImages({
    filters: JSON.stringify({ label: [`${HASH_LABEL}=${hash}`] }),
  });
  return images[0]?.Id;
}

async function buildContent(
  docker: Docker,
  content: StandInContent,
  hash: string,
  options: StandInBuildOptions,
): Promise<string> {
  const started = Date.now();
  options.onProgress?.(
    `assembling ${content.key} from this machine's packages (input hash ${hash.slice(0, 12)})`,
  );
  const selection = selectDebianPackages(content.flavor, content.packages);
  const root = await assembleDebianRoot(selection);
  try {
    await content.customize?.(root);
    const tag = hash.slice(0, 16);
    await importTree(
      docker,
      root,
      { repo: BUILD_REPOSITORY, tag, changes: [...content.changes, `LABEL ${HASH_LABEL}=${hash}`] },
      options.onProgress,
    );
    const info = await docker.getImage(`${BUILD_REPOSITORY}:${tag}`).inspect();
    if (info.Config.Labels?.[HASH_LABEL] !== hash)
      throw new Error(`import of ${content.key} left no labelled image`);
    options.onProgress?.(
      `${content.key}: ${selection.packages.length} packages, ${Math.round(info.Size / 1e6)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return info.Id;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * `tar -C root -c .` into `docker import`. Unlike a plain pipe, a refused import ends the tar
 * too (otherwise it blocks forever on a pipe nobody reads).
 */
async function importTree(
  docker: Docker,
  root: string,
  image: { repo: string; tag: string; changes: string[] },
  onProgress?: (line: string) => void,
): Promise<void> {
  const tar = spawn('tar', ['-C', root, '--numeric-owner', '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tarError = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
  const tarDone = new Promise<number | null>((resolve) => tar.on('close', resolve));
  try {
    const stream = (await docker.importImage(tar.stdout, image)) as NodeJS.ReadableStream;
    await followProgress(docker, stream, (line) => {
      if (!/^sha256:[0-9a-f]{64}$/.test(line)) onProgress?.(line);
    });
  } catch (error) {
    tar.kill();
    await tarDone;
    throw error;
  }
  const code = await tarDone;
  if (code !== 0) throw new Error(`tar of the ${image.repo} root fs failed: ${tarError.trim()}`);
}

async function removeQuietly(docker: Docker, image: string): Promise<void> {
  await docker
    .getImage(image)
    .remove()
    .catch(() => undefined);
}

function parseList(text: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}
