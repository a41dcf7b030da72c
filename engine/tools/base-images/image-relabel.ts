/**
 * A new image that shares another's layers and differs only in its configuration (labels,
 * history), made without a container: `docker load` of an archive holding only the image
 * config and a manifest. The daemon finds every layer already present (by chain ID) and does
 * not read the layer files the manifest names (moby image/tarexport/load.go), so the new image
 * costs no disk and takes milliseconds.
 *
 * Why not `docker commit`/`docker build` with a LABEL: each creates a container first, which
 * with the vfs storage driver copies the whole root file system (hundreds of MB) just to label
 * it. Stand-in images are one root fs tagged under many names (`node:20`, `node:20-slim`,
 * `node:iron`), each with its own `prodsprint.stand-in.for` label.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { followProgress } from './rootfs.ts';

/**
 * Loads an image with `source`'s layers and configuration plus `labels` (and `settings`: the
 * STOPSIGNAL `docker import` cannot set, a reference's own CMD), tagged `repo:tag`.
 * Returns its ID. The same inputs give the same config bytes, hence the same image ID.
 */
export async function relabelImage(
  docker: Docker,
  source: string,
  target: { repo: string; tag: string },
  labels: Record<string, string>,
  createdBy: string,
  settings: { StopSignal?: string; Cmd?: string[] } = {},
): Promise<string> {
  const info = await docker.getImage(source).inspect();
  const allLabels = { ...(info.Config.Labels ?? {}), ...labels };
  const sortedLabels = Object.fromEntries(
    Object.keys(allLabels)
      .sort()
      .map((key) => [key, allLabels[key] as string]),
  );
  const diffIds = info.RootFS.Layers ?? [];
  const config = Buffer.from(
    JSON.stringify({
      architecture: info.Architecture,
      os: info.Os,
      created: info.Created,
      config: { ...info.Config, ...settings, Labels: sortedLabels },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: diffIds.map(() => ({ created: info.Created, created_by: createdBy })),
    }),
  );
  const id = createHash('sha256').update(config).digest('hex');
  const manifest = Buffer.from(
    JSON.stringify([
      {
        Config: `${id}.json`,
        RepoTags: [`${target.repo}:${target.tag}`],
        // Never read: the daemon has these layers. The names follow `docker save`'s layout.
        Layers: diffIds.map((diffId) => `${diffId.replace(/^sha256:/, '')}/layer.tar`),
      },
    ]),
  );
  const archive = tarArchive([
    { name: `${id}.json`, content: config },
    { name: 'manifest.json', content: manifest },
  ]);
  const stream = (await docker.loadImage(Readable.from([archive]), {
    quiet: true,
  })) as NodeJS.ReadableStream;
  await followProgress(docker, stream);
  const loaded = await docker.getImage(`${target.repo}:${target.tag}`).inspect();
  if (loaded.Id !== `sha256:${id}`)
    throw new Error(`loading the config of ${target.repo}:${target.tag} gave ${loaded.Id}`);
  return loaded.Id;
}

/** A POSIX ustar archive of small regular files (names up to 100 bytes). */
export function tarArchive(files: Array<{ name: string; content: Buffer }>): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const header = Buffer.alloc(512);
    header.write(file.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${file.content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148); // checksum field counts as spaces while summing
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, file.content, Buffer.alloc((512 - (file.content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
