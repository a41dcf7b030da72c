import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { ensureRuntimeBaseImage, HASH_LABEL } from '../../engine/tools/base-images/index.ts';
import { unframeDockerLogs } from '../../engine/tools/docker-logs.ts';

// The runtime base images built from this host's files (no registry anywhere).
const skipReason = dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the base image tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping base image tests: ${skipReason}`);

let engine: DockerEngine;
beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
});
afterAll(async () => {
  if (!skipReason) await engine.release();
});

/** Runs `args` with the image's ENTRYPOINT as uid 1000, no network; returns exit code + output. */
async function runIn(image: string, args: string[], entrypoint?: string[]) {
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: args,
    ...(entrypoint ? { Entrypoint: entrypoint } : {}),
    User: '1000:1000',
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start().catch((error: Error) => {
      throw Object.assign(error, { startFailed: true });
    });
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = unframeDockerLogs(await container.logs({ stdout: true, stderr: true }));
    return { code: StatusCode, logs };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

describe.skipIf(skipReason !== undefined)('ensureRuntimeBaseImage', () => {
  it.each(['node', 'python'] as const)(
    'builds local/%s:base once: parallel callers and later calls find it by its input hash',
    async (runtime) => {
      const [first, second] = await Promise.all([
        ensureRuntimeBaseImage(engine.docker, runtime),
        ensureRuntimeBaseImage(engine.docker, runtime),
      ]);
      expect(first.image).toBe(`local/${runtime}:base`);
      expect(second.id).toBe(first.id);
      expect([first.built, second.built].filter(Boolean).length).toBeLessThanOrEqual(1);
      const again = await ensureRuntimeBaseImage(engine.docker, runtime);
      expect(again).toEqual({ image: first.image, id: first.id, built: false });
      const info = await engine.docker.getImage(first.id).inspect();
      expect(info.Config.Labels?.[HASH_LABEL]).toMatch(/^[0-9a-f]{64}$/);
      expect(info.Config.WorkingDir).toBe('/app');
    },
  );

  it('local/python:base runs a FastAPI app under TestClient as uid 1000', async () => {
    const { image } = await ensureRuntimeBaseImage(engine.docker, 'python');
    const script = [
      'import os, sys, fastapi, pytest, pytest_cov, uvicorn',
      'from fastapi.testclient import TestClient',
      'app = fastapi.FastAPI()',
      'app.get("/x")(lambda: {"uid": os.getuid()})',
      'print(TestClient(app).get("/x").json(), fastapi.__version__, pytest.__version__)',
    ].join('\n');
    const { code, logs } = await runIn(image, ['-c', script]);
    expect(logs).toMatch(/\{'uid': 1000\} 0\.\d+\.\d+ \d+\.\d+/);
    expect(code).toBe(0);
  });

  it('has no shell and leaves out optional extras (small image)', async () => {
    const { image } = await ensureRuntimeBaseImage(engine.docker, 'python');
    const shell = await runIn(image, ['-c', 'true'], ['/bin/sh']).catch((error: Error) => error);
    expect(shell).toBeInstanceOf(Error);
    const probe = await runIn(image, [
      '-c',
      'import importlib.util as u; print([m for m in ("rich", "pygments", "yaml", "pip") if u.find_spec(m)])',
    ]);
    expect(probe.logs.trim()).toBe('[]');
    const info = await engine.docker.getImage(image).inspect();
    expect(info.Size).toBeLessThan(80 * 1024 * 1024);
  });

  it('local/node:base runs node as uid 1000', async () => {
    const { image } = await ensureRuntimeBaseImage(engine.docker, 'node');
    const { code, logs } = await runIn(image, [
      '-e',
      'console.log(process.getuid(), process.version)',
    ]);
    expect(logs.trim()).toBe(`1000 ${process.version}`);
    expect(code).toBe(0);
  });
});
