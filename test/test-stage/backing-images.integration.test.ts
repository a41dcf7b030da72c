import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { ensureRuntimeBaseImage } from '../../engine/tools/base-images/index.ts';
import { ensureMariadbImage, MARIADB_PORT } from '../../engine/tools/base-images/mariadb-base.ts';
import {
  ensureRabbitmqImage,
  RABBITMQ_PORT,
} from '../../engine/tools/base-images/rabbitmq-base.ts';
import { unframeDockerLogs } from '../../engine/tools/docker-logs.ts';

// The MariaDB and RabbitMQ images built from this host's Debian packages (no registry): each
// starts from its env alone and answers a real client from another container on its network.
const skipReason = dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the backing service image tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping backing service image tests: ${skipReason}`);

const AMQP_CLIENT = readFileSync(new URL('./fixtures/amqp-handshake.mjs', import.meta.url), 'utf8');
const LABEL = 'prodsprint.backing-images-test';
const id = randomBytes(4).toString('hex');
const network = `prodsprint-backing-images-${id}`;
let engine: DockerEngine;
let docker: Docker;
const made: Docker.Container[] = [];

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
  docker = engine.docker;
  await docker.createNetwork({ Name: network, Internal: true, Labels: { [LABEL]: id } });
});
afterAll(async () => {
  if (skipReason) return;
  await Promise.all(made.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
  await engine.release();
});

async function startServer(name: string, image: string, env: Record<string, string>) {
  const container = await docker.createContainer({
    name,
    Image: image,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: { [LABEL]: id },
    HostConfig: { NetworkMode: network, Tmpfs: { '/tmp': 'rw,mode=1777' } },
  });
  made.push(container);
  await container.start();
  return container;
}

async function logsOf(container: Docker.Container): Promise<string> {
  return unframeDockerLogs((await container.logs({ stdout: true, stderr: true })) as Buffer);
}

async function waitForLog(container: Docker.Container, text: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logs = await logsOf(container);
    if (logs.includes(text)) return;
    const state = (await container.inspect()).State;
    if (!state.Running || Date.now() > deadline)
      throw new Error(`no "${text}" (running: ${state.Running}):\n${logs.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs one client container on the network to its end; its exit code and output. */
async function client(image: string, entrypoint: string[], env: Record<string, string> = {}) {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: entrypoint,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    User: '1000:1000',
    Labels: { [LABEL]: id },
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    return { code: StatusCode, output: (await logsOf(container)).trim() };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

describe.skipIf(skipReason !== undefined)('backing service images', () => {
  it('builds local/mariadb:base once and serves the database, user and password of its env', async () => {
    const first = await ensureMariadbImage(docker);
    expect(first.image).toBe('local/mariadb:base');
    expect(await ensureMariadbImage(docker)).toEqual({ ...first, built: false });

    const server = `prodsprint-mariadb-${id}`;
    const password = randomBytes(12).toString('hex');
    const container = await startServer(server, first.image, {
      MARIADB_USER: 'shop',
      MARIADB_PASSWORD: password,
      MARIADB_DATABASE: 'orders',
    });
    await waitForLog(container, 'ready for connections');
    const sql = (statement: string, pwd = password) =>
      client(
        first.image,
        [
          'mariadb',
          '-h',
          server,
          '-P',
          String(MARIADB_PORT),
          '-u',
          'shop',
          '-N',
          '-e',
          statement,
          'orders',
        ],
        { MYSQL_PWD: pwd },
      );
    expect(
      await sql('CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (7); SELECT id FROM t'),
    ).toEqual({ code: 0, output: '7' });
    expect(await sql('SELECT VERSION()')).toMatchObject({
      output: expect.stringMatching(/^10\.11\./),
    });
    const refused = await sql('SELECT 1', 'wrong');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/Access denied for user 'shop'/);
    // root is locked: only the generated user logs in.
    const root = await client(first.image, [
      'mariadb',
      '-h',
      server,
      '-u',
      'root',
      '-e',
      'SELECT 1',
    ]);
    expect(root.code).not.toBe(0);
    expect(await logsOf(container)).not.toContain(password);
  });

  it('builds local/rabbitmq:base once and lets the user of its env open its vhost over AMQP', async () => {
    const first = await ensureRabbitmqImage(docker);
    expect(first.image).toBe('local/rabbitmq:base');
    expect(await ensureRabbitmqImage(docker)).toEqual({ ...first, built: false });

    const server = `prodsprint-rabbitmq-${id}`;
    const password = randomBytes(12).toString('hex');
    const container = await startServer(server, first.image, {
      RABBITMQ_DEFAULT_USER: 'shop',
      RABBITMQ_DEFAULT_PASS: password,
      RABBITMQ_DEFAULT_VHOST: 'orders',
    });
    await waitForLog(container, 'Server startup complete');
    const node = (await ensureRuntimeBaseImage(docker, 'node')).image;
    const connect = (url: string) =>
      client(node, ['node', '--input-type=module', '-e', AMQP_CLIENT], { AMQP_URL: url });
    const at = `${server}:${RABBITMQ_PORT}`;
    expect(await connect(`amqp://shop:${password}@${at}/orders`)).toEqual({
      code: 0,
      output: 'amqp open orders',
    });
    expect((await connect(`amqp://shop:wrong@${at}/orders`)).output).toMatch(/^amqp refused/);
    expect((await connect(`amqp://guest:guest@${at}/orders`)).output).toMatch(/^amqp refused/);
  });
});
