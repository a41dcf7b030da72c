/**
 * `prodsprint tools load FILE` (issue 8): an offline tool bundle is a `docker save` tarball. It
 * is verified BEFORE `docker load` sees it: its image config must hash to the digest the manifest
 * pins for that image (the config digest is the image ID), and every layer must hash to the
 * config's diff_id for it. Anything else is refused and nothing is loaded.
 */
import type Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import type { Db } from '../store/database.ts';
import { hashMember, indexTar, readMember } from './docker-archive.ts';
import type { ToolEntry, ToolManifest } from './manifest.ts';
import { ToolError } from './runner/tool-error.ts';

export interface VerifiedBundle {
  tool: string;
  reference: string;
  imageId: string;
}

interface SaveManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Checks a bundle against the manifest without loading it; throws ToolError when it differs. */
export async function verifyToolBundle(
  file: string,
  manifest: ToolManifest,
): Promise<VerifiedBundle[]> {
  const members = await indexTar(file);
  const index = members.get('manifest.json');
  if (!index) {
    throw new ToolError(
      'bundle',
      'digest-mismatch',
      `${file} is not a docker save tarball (no manifest.json inside)`,
      'create the bundle with docker save IMAGE -o FILE',
    );
  }
  const items = JSON.parse((await readMember(file, index)).toString('utf8')) as SaveManifestItem[];
  const verified: VerifiedBundle[] = [];
  for (const item of items) {
    const tags = item.RepoTags ?? [];
    const entry = manifest.tools.find((tool) => tool.image && tags.includes(tool.image.reference));
    if (!entry?.image) {
      throw new ToolError(
        tags[0] ?? 'bundle',
        'not-allowed',
        `${file} holds ${tags.join(', ') || 'an untagged image'}, which no tool in the manifest names`,
        'only bundles of tools listed in bundled-tools/manifest.json can be loaded',
      );
    }
    verified.push(await verifyItem(file, members, item, entry));
  }
  if (verified.length === 0) {
    throw new ToolError('bundle', 'missing', `${file} holds no image`, 'check the bundle file');
  }
  return verified;
}

async function verifyItem(
  file: string,
  members: Awaited<ReturnType<typeof indexTar>>,
  item: SaveManifestItem,
  entry: ToolEntry,
): Promise<VerifiedBundle> {
  const image = entry.image;
  if (!image) throw new Error('unreachable: entry without image');
  const configMember = members.get(item.Config);
  if (!configMember) throw corrupt(file, entry.name, `its config ${item.Config} is missing`);
  if (!image.digest) {
    throw new ToolError(
      entry.name,
      'not-pinned',
      `the manifest pins no digest for ${image.reference}, so ${file} cannot be verified`,
      `set tools[${entry.name}].image.digest to the image ID you expect before loading`,
    );
  }
  const configDigest = await hashMember(file, configMember);
  if (configDigest !== image.digest) {
    throw new ToolError(
      entry.name,
      'digest-mismatch',
      `refusing to load ${file}: ${image.reference} has config digest ${configDigest}, the manifest pins ${image.digest}`,
      `get the ${entry.name} ${entry.version} bundle the manifest pins, or update the manifest if this bundle is the one you trust`,
    );
  }
  const config = JSON.parse((await readMember(file, configMember)).toString('utf8')) as {
    rootfs?: { diff_ids?: string[] };
  };
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== item.Layers.length) {
    throw corrupt(file, entry.name, 'its layer count differs from its config');
  }
  for (const [i, layer] of item.Layers.entries()) {
    const member = members.get(layer);
    if (!member) throw corrupt(file, entry.name, `layer ${layer} is missing`);
    if ((await hashMember(file, member)) !== diffIds[i]) {
      throw corrupt(file, entry.name, `layer ${layer} does not match its diff_id`);
    }
  }
  return { tool: entry.name, reference: image.reference, imageId: configDigest };
}

export interface LoadToolBundleOptions {
  /** Records each loaded image in `tool_images` (0002_engine.sql) when given. */
  db?: Db;
  now?: () => Date;
}

/**
 * Verifies a bundle, then `docker load`s it and checks the engine got the pinned image ID; with
 * a db, records what was loaded in `tool_images`.
 */
export async function loadToolBundle(
  file: string,
  manifest: ToolManifest,
  docker: Docker,
  options: LoadToolBundleOptions = {},
): Promise<VerifiedBundle[]> {
  const verified = await verifyToolBundle(file, manifest);
  const stream = await docker.loadImage(createReadStream(file), { quiet: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null) =>
      error ? reject(error) : resolve(),
    );
  });
  for (const bundle of verified) {
    const { Id } = await docker.getImage(bundle.reference).inspect();
    if (Id !== bundle.imageId) {
      throw new ToolError(
        bundle.tool,
        'digest-mismatch',
        `after loading, ${bundle.reference} is ${Id}, not the verified ${bundle.imageId}`,
        'the engine may use the containerd image store (IDs are manifest digests there); report this',
      );
    }
  }
  if (options.db)
    recordLoaded(options.db, manifest, verified, (options.now ?? (() => new Date()))());
  return verified;
}

function recordLoaded(db: Db, manifest: ToolManifest, loaded: VerifiedBundle[], at: Date): void {
  const upsert = db.prepare(
    `INSERT INTO tool_images (name, version, image_ref, digest, loaded_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name, version) DO UPDATE SET image_ref = excluded.image_ref,
       digest = excluded.digest, loaded_at = excluded.loaded_at`,
  );
  db.transaction(() => {
    for (const bundle of loaded) {
      const version = manifest.tools.find((tool) => tool.name === bundle.tool)?.version ?? '';
      upsert.run(bundle.tool, version, bundle.reference, bundle.imageId, at.toISOString());
    }
  })();
}

function corrupt(file: string, tool: string, what: string): ToolError {
  return new ToolError(
    tool,
    'digest-mismatch',
    `refusing to load ${file}: ${what}`,
    'get an intact copy of the bundle',
  );
}
