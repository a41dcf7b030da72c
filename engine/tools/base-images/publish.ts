/**
 * Filling a registry with the stand-ins this machine can build (issue 14: "a way to populate
 * the local Distribution registry"), so other engines pull them through `registry.mirror`
 * instead of building them: each is built (or found) on the engine, tagged with the mirror
 * layout of its reference (`<registry>/library/node:18-slim`, see `mirrorReference`) and pushed.
 * The pushed image keeps its stand-in labels, so whoever pulls it sees the substitution. A
 * loopback registry (127.0.0.0/8) is insecure by default for dockerd, so plain http works there.
 *
 * `listStandIns` is the catalog as rows for `prodsprint images list`.
 */
import type Docker from 'dockerode';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import { hostDpkgDatabase } from './debian-packages.ts';
import {
  familiarReference,
  mirrorHost,
  mirrorPath,
  parseImageReference,
  type ImageReference,
} from './image-reference.ts';
import { registryAuth } from './registry-auth.ts';
import { followProgress } from './rootfs.ts';
import { FAMILIES, findStandIn, WITHOUT_STAND_IN } from './stand-ins/catalog.ts';
import type { HostContext, StandInOffer } from './stand-ins/types.ts';
import { ensureStandInImage } from './stand-in-image.ts';

export interface PublishedStandIn {
  /** The reference as given (`node:18-slim`). */
  reference: string;
  /** Where it went: `127.0.0.1:15000/library/node:18-slim`. */
  pushedAs: string;
  /** The manifest digest the registry reported. */
  digest: string;
  actual: string;
  warnings: string[];
}

export interface StandInCatalogRow {
  family: string;
  examples: string[];
  /** What stands in, in words. */
  standsIn: string;
  available: boolean;
  /** Why not, when not available here. */
  reason?: string;
}

export interface PublishOptions {
  dataDir?: string;
  /** `Basic …`/`Bearer …` for a registry that needs it. */
  authHeader?: string;
}

/**
 * Builds each reference's stand-in and pushes it to `registryUrl`. Every reference is checked
 * first: nothing is pushed when one of them cannot be stood in or is pinned by digest.
 */
export async function publishStandIns(
  docker: Docker,
  registryUrl: string,
  references: string[],
  onProgress?: (line: string) => void,
  options: PublishOptions = {},
): Promise<PublishedStandIn[]> {
  const context = hostContext(options.dataDir);
  const plans: Array<{ reference: string; ref: ImageReference; offer: StandInOffer }> = [];
  for (const reference of references) {
    const ref = parseImageReference(reference);
    const name = familiarReference(ref);
    if (ref.digest)
      throw new OfflineInputMissingError(
        { kind: 'base-image', name },
        `${name} is pinned by digest; a stand-in built here cannot have that digest, so it cannot be published under it`,
        `Publish the reference without the digest (${name.split('@')[0]}), or push the real image with that digest to the registry (docker load -i <file>, docker push).`,
      );
    const answer = await findStandIn(ref, context);
    if (!answer.available)
      throw new OfflineInputMissingError(
        { kind: 'base-image', name },
        `no stand-in for ${name} can be built on this machine: ${answer.reason}`,
        `Leave ${name} out of the list, or push the real image to ${mirrorHost(registryUrl)}/${mirrorPath(ref)} from a machine that has it (docker load -i <file>, docker tag, docker push).`,
      );
    plans.push({ reference, ref, offer: answer.offer });
  }
  const published: PublishedStandIn[] = [];
  for (const { reference, ref, offer } of plans) {
    const built = await ensureStandInImage(docker, ref, offer, onProgress ? { onProgress } : {});
    const pushedAs = `${mirrorHost(registryUrl)}/${mirrorPath(ref)}`;
    const colon = pushedAs.lastIndexOf(':');
    const repo = pushedAs.slice(0, colon);
    const tag = pushedAs.slice(colon + 1);
    await docker.getImage(built.imageId).tag({ repo, tag });
    try {
      onProgress?.(`pushing ${familiarReference(ref)} (${offer.content.actual}) as ${pushedAs}`);
      const stream = (await docker
        .getImage(repo)
        .push(
          { tag },
          undefined,
          registryAuth(registryUrl, options.authHeader),
        )) as NodeJS.ReadableStream;
      const events = await followProgress(docker, stream, onProgress);
      const digest = events
        .map((event) => /digest: (sha256:[0-9a-f]{64})/.exec(event.status ?? '')?.[1])
        .find(Boolean);
      if (!digest) throw new Error(`the registry reported no digest for ${pushedAs}`);
      published.push({
        reference,
        pushedAs,
        digest,
        actual: offer.content.actual,
        warnings: offer.warnings,
      });
    } finally {
      // The registry tag was only the push's address; the engine keeps the requested name.
      await docker
        .getImage(pushedAs)
        .remove({ noprune: true })
        .catch(() => undefined);
    }
  }
  return published;
}

/**
 * The catalog: each family, examples, what stands in here and whether it can be built; then
 * the images that have no stand-in, and why.
 */
export async function listStandIns(
  options: { dataDir?: string } = {},
): Promise<StandInCatalogRow[]> {
  const context = hostContext(options.dataDir);
  const rows: StandInCatalogRow[] = [];
  for (const family of FAMILIES) {
    const example = parseImageReference(family.examples[0] as string);
    const answer = await family.offer(example, context);
    rows.push({
      family: family.name,
      examples: family.examples,
      standsIn: await family.describe(context),
      available: answer.available,
      ...(answer.available ? {} : { reason: answer.reason }),
    });
  }
  for (const { family, examples } of WITHOUT_STAND_IN) {
    const answer = await findStandIn(parseImageReference(examples[0] as string), context);
    rows.push({
      family,
      examples,
      standsIn: 'nothing: supply the real image',
      available: false,
      reason: answer.available ? 'unexpectedly available' : answer.reason,
    });
  }
  return rows;
}

function hostContext(dataDir: string | undefined): HostContext {
  return { database: hostDpkgDatabase(), ...(dataDir ? { dataDir } : {}) };
}
