import type Docker from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { ensureRuntimeBaseImage } from '../../engine/tools/base-images/index.ts';
import { baseImageArg } from '../../engine/agents/build/base-image-args.ts';
import { buildServiceImage, BuildFailedError } from '../../engine/agents/build/build-image.ts';

// Both examples' Dockerfiles built air-gapped (BASE_IMAGE=local/<runtime>:base), started, and
// asked for /healthz and /metrics; their exec-form HEALTHCHECK run as Docker would run it.
const skipReason = dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the image build tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping image build tests: ${skipReason}`);

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const TAG = `local/prodsprint-build-test-${process.pid}`;
let engine: DockerEngine;
const containers: Docker.Container[] = [];

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
});
afterAll(async () => {
  if (skipReason) return;
  for (const container of containers) await container.remove({ force: true }).catch(() => {});
  for (const tag of ['orders-api', 'inventory-api'])
    await engine.docker
      .getImage(`${TAG}:${tag}`)
      .remove({ force: true })
      .catch(() => undefined);
  await engine.release();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string): Promise<Response> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    try {
      return await fetch(url);
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} never answered`);
}

async function execExit(container: Docker.Container, cmd: string[]): Promise<number | null> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  stream.resume();
  await new Promise((resolve) => stream.on('end', resolve));
  return (await exec.inspect()).ExitCode;
}

describe.skipIf(skipReason !== undefined)('buildServiceImage, air-gapped', () => {
  it.each([
    ['orders-api', 'node', (port: number) => ({ env: [`PORT=${port}`], cmd: undefined })],
    [
      'inventory-api',
      'python',
      (port: number) => ({
        env: [],
        cmd: ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port)],
      }),
    ],
  ] as const)('builds %s on local/%s:base and it serves', async (name, runtime, runAt) => {
    const contextDir = join(examples, name);
    const arg = baseImageArg(contextDir);
    expect(arg).toMatchObject({ runtime, buildArgs: { BASE_IMAGE: `local/${runtime}:base` } });
    await ensureRuntimeBaseImage(engine.docker, runtime);
    const progress: string[] = [];
    const built = await buildServiceImage({
      docker: engine.docker,
      contextDir,
      tag: `${TAG}:${name}`,
      buildArgs: arg!.buildArgs,
      labels: { 'prodsprint.test': 'build' },
      onProgress: (line) => progress.push(line),
    });
    expect(built.image).toBe(`${TAG}:${name}`);
    expect(built.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(progress.some((line) => /^Step 1\/\d+ : ARG BASE_IMAGE/.test(line))).toBe(true);
    const info = await engine.docker.getImage(built.id).inspect();
    expect(info.Config.User).toBe('1000');
    expect(info.Config.Labels?.['prodsprint.test']).toBe('build');
    const healthcheck = info.Config.Healthcheck?.Test ?? [];
    expect(healthcheck[0]).toBe('CMD');

    const port = await freePort();
    const { env, cmd } = runAt(port);
    const container = await engine.docker.createContainer({
      Image: built.id,
      Env: env,
      ...(cmd ? { Cmd: [...cmd] } : {}),
      HostConfig: { NetworkMode: 'host' },
    });
    containers.push(container);
    await container.start();
    const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    if (name === 'inventory-api') {
      await fetch(`http://127.0.0.1:${port}/items`);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain(
        'http_request_duration_seconds_count{method="GET",route="/items",code="200"} 1',
      );
      // The image's HEALTHCHECK targets port 8000; here it is run against the real port.
      const check = healthcheck.slice(1).map((part) => part.replace(':8000/', `:${port}/`));
      expect(await execExit(container, check)).toBe(0);
    } else {
      const check = healthcheck.slice(1).map((part) => part.replace(':3000/', `:${port}/`));
      expect(await execExit(container, check)).toBe(0);
    }
  });

  it('a failing step is one BuildFailedError naming the step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prodsprint-build-fail-'));
    try {
      writeFileSync(
        join(dir, 'Dockerfile'),
        'ARG BASE_IMAGE=node:22\nFROM ${BASE_IMAGE}\nRUN echo "no shell here"\n',
      );
      await ensureRuntimeBaseImage(engine.docker, 'node');
      const error = await buildServiceImage({
        docker: engine.docker,
        contextDir: dir,
        tag: `${TAG}:failing`,
        buildArgs: { BASE_IMAGE: 'local/node:base' },
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BuildFailedError);
      expect((error as BuildFailedError).step).toBe('Step 3/3 : RUN echo "no shell here"');
      expect((error as Error).message).toMatch(/^image build failed at Step 3\/3 : RUN/);
      expect((error as BuildFailedError).remedy).toMatch(/no shell/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a FROM that is not on the engine is refused, never pulled, with the BASE_IMAGE remedy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prodsprint-build-nopull-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM prodsprint-absent/never-pulled:1\n');
      const error = await buildServiceImage({
        docker: engine.docker,
        contextDir: dir,
        tag: `${TAG}:absent`,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BuildFailedError);
      expect((error as BuildFailedError).remedy).toMatch(/BASE_IMAGE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
