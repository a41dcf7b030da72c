import type Docker from 'dockerode';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { ensureRuntimeBaseImage } from '../../tools/base-images/index.ts';
import { auditRepository } from '../repo-auditor/index.ts';
import { MigrationFailedError } from './apply-migrations.ts';
import { datastoresOf } from './datastores.ts';
import { DATASTORE_LABEL, startEphemeralDatastores } from './ephemeral-datastores.ts';
import { runTestsInContainer } from './run-in-container.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';

// Throwaway PostgreSQL and Redis for a test run, on the real Docker Engine, from the images built
// on this host: examples/orders-api's dbmate migrations applied, the tables seen from another
// container on the internal network, everything gone after stop().

interface EngineSupport {
  dockerUnavailableReason(): string | undefined;
  acquireDockerEngine(): Promise<{ docker: Docker; release(): Promise<void> }>;
}
// The shared-daemon helper every Docker test uses lives in test/support, outside the engine's
// tsconfig project: a computed specifier keeps tsc out of it while vitest loads it as usual.
const supportModule = new URL('../../../test/support/infra/docker-engine.ts', import.meta.url);
const support = (await import(supportModule.href)) as EngineSupport;

const skipReason = support.dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the ephemeral datastore tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping ephemeral datastore tests: ${skipReason}`);

const EXAMPLE = fileURLToPath(new URL('../../../examples/orders-api/', import.meta.url));
let docker: Docker;
let release: () => Promise<void>;
let root: string;

beforeAll(async () => {
  if (skipReason) return;
  ({ docker, release } = await support.acquireDockerEngine());
  root = mkdtempSync(join(tmpdir(), 'prodsprint-datastores-'));
});
afterAll(async () => {
  if (skipReason) return;
  rmSync(root, { recursive: true, force: true });
  await release();
});

/** Runs psql from local/postgres:base as another host on `network`; returns exit code + output. */
async function psqlFrom(network: string, env: Record<string, string>, sql: string) {
  const container = await docker.createContainer({
    Image: 'local/postgres:base',
    Entrypoint: ['psql', '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    User: '1000:1000',
    Labels: { [DATASTORE_LABEL]: 'integration-test-client' },
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = unframeDockerLogs(
      (await container.logs({ stdout: true, stderr: true })) as Buffer,
    );
    return { code: StatusCode, output: logs.trim() };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The tests' side: a Redis PING and a PostgreSQL handshake over TCP, then DATABASE_URL printed. */
const CLIENT = `
const net = require('node:net');
const ask = (host, port, send) => new Promise((resolve, reject) => {
  const socket = net.connect(Number(port), host, () => socket.write(send));
  socket.once('data', (data) => { resolve(data.toString().trim()); socket.end(); });
  socket.once('error', reject);
});
(async () => {
  console.log('redis says ' + await ask(process.env.REDIS_HOST, process.env.REDIS_PORT, 'PING\\r\\n'));
  // An SSLRequest: PostgreSQL answers one byte (N: no TLS), proof it is listening there.
  const ssl = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
  console.log('postgres says ' + await ask(process.env.PGHOST, process.env.PGPORT, ssl));
  console.log('url ' + process.env.DATABASE_URL);
})().catch((error) => { console.error(error); process.exit(1); });
`;

async function gone(kind: 'container' | 'network', name: string): Promise<boolean> {
  const target = kind === 'container' ? docker.getContainer(name) : docker.getNetwork(name);
  return target.inspect().then(
    () => false,
    (error: { statusCode?: number }) => error.statusCode === 404,
  );
}

/** The names startEphemeralDatastores announced in its progress lines. */
function namesIn(lines: string[]) {
  const text = lines.join('\n');
  return {
    containers: [...text.matchAll(/ as (prodsprint-\w+-[0-9a-f-]+) /g)].map((m) => m[1]!),
    network: /internal network (prodsprint-tests-[0-9a-f-]+)/.exec(text)?.[1],
  };
}

describe.skipIf(skipReason !== undefined)('startEphemeralDatastores', () => {
  it('gives orders-api a migrated PostgreSQL and a Redis on an internal network', async () => {
    const fingerprint = await auditRepository(EXAMPLE);
    const service = fingerprint.services[0]!;
    const needs = { ...datastoresOf(service, fingerprint), redis: { reasons: ['this test'] } };
    expect(needs.postgres?.migrations).toEqual({ tool: 'sql-files', path: 'migrations' });

    const redactor = new Redactor();
    const progress: string[] = [];
    const datastores = await startEphemeralDatastores(docker, needs, {
      repoDir: EXAMPLE,
      redactor,
      onProgress: (line) => progress.push(line),
    });
    try {
      expect(datastores.migrationsApplied).toEqual({
        tool: 'dbmate',
        files: ['migrations/20261101000000_create_orders.sql'],
      });
      const password = datastores.env.PGPASSWORD!;
      expect(password.length).toBeGreaterThanOrEqual(24);
      expect(datastores.env.DATABASE_URL).toMatch(
        /^postgres:\/\/test:[0-9a-f]+@prodsprint-postgres-[0-9a-f-]+:5432\/test$/,
      );
      expect(datastores.env.REDIS_URL).toMatch(/^redis:\/\/prodsprint-redis-[0-9a-f-]+:6379$/);
      expect(progress.join('\n')).not.toContain(password);
      expect(progress).toContain('applied migration migrations/20261101000000_create_orders.sql');
      const network = (await docker.getNetwork(datastores.network).inspect()) as {
        Internal: boolean;
      };
      expect(network.Internal).toBe(true);

      // Over TCP with the password, from another container: the migration made the table, and
      // only its up part ran (the down part would have dropped it).
      const columns = await psqlFrom(
        datastores.network,
        datastores.env,
        "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'orders'",
      );
      expect(columns).toEqual({ code: 0, output: 'id,item,quantity,created' });
      const wrongPassword = await psqlFrom(
        datastores.network,
        { ...datastores.env, PGPASSWORD: 'not-the-password' },
        'SELECT 1',
      );
      expect(wrongPassword.code).not.toBe(0);
      expect(wrongPassword.output).toMatch(/password authentication failed/);

      // The tests' own container, as runTestsInContainer starts it: on the network, with the env.
      const repoDir = join(root, 'client');
      mkdirSync(repoDir);
      writeFileSync(join(repoDir, 'package.json'), '{ "scripts": { "test": "node client.js" } }');
      writeFileSync(join(repoDir, 'client.js'), CLIENT);
      const base = await ensureRuntimeBaseImage(docker, 'node');
      const lines: string[] = [];
      const run = await runTestsInContainer({
        docker,
        repoDir,
        plan: { service: 'client', dir: '.', command: 'npm', args: ['test'], coverageFiles: [] },
        image: base.image,
        network: datastores.network,
        env: datastores.env,
        redactor,
        timeoutMs: 60_000,
        onOutput: (line) => lines.push(line),
      });
      expect(run.exitCode, lines.join('\n')).toBe(0);
      expect(lines).toContain('redis says +PONG');
      expect(lines).toContain('postgres says N');
      // The test output printed the URL: the password is redacted in what the engine sees.
      const url = lines.find((line) => line.startsWith('url '));
      expect(url).toMatch(/^url postgres:\/\/test:/);
      expect(url).not.toContain(password);
    } finally {
      await datastores.stop();
    }
    const { containers, network } = namesIn(progress);
    expect(containers).toHaveLength(2);
    for (const name of containers) expect(await gone('container', name)).toBe(true);
    expect(await gone('network', network!)).toBe(true);
    await datastores.stop(); // twice is fine
  });

  it('fails on a broken migration, naming the file and psql’s message, and leaves nothing', async () => {
    const repoDir = join(root, 'broken');
    cpSync(join(EXAMPLE, 'migrations'), join(repoDir, 'db', 'migrations'), { recursive: true });
    writeFileSync(
      join(repoDir, 'db', 'migrations', '20261102000000_add_status.sql'),
      '-- migrate:up\nALTER TABLE orders ADD COLUMN status TEXT;\nALTER TABLE orderz ADD COLUMN x INT;\n\n-- migrate:down\n',
    );
    const progress: string[] = [];
    const failure = await startEphemeralDatastores(
      docker,
      {
        postgres: { reasons: ['this test'], migrations: { tool: 'dbmate', path: 'db/migrations' } },
        mysql: null,
        redis: null,
        rabbitmq: null,
        mongodb: null,
      },
      { repoDir, onProgress: (line) => progress.push(line) },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationFailedError);
    const error = failure as MigrationFailedError;
    expect(error.file).toBe('db/migrations/20261102000000_add_status.sql');
    expect(error.message).toContain('db/migrations/20261102000000_add_status.sql');
    expect(error.psqlMessage).toMatch(/relation "orderz" does not exist/);
    // The first migration ran before the broken one did.
    expect(progress).toContain('applied migration db/migrations/20261101000000_create_orders.sql');
    const { containers, network } = namesIn(progress);
    expect(containers).toHaveLength(1);
    expect(await gone('container', containers[0]!)).toBe(true);
    expect(await gone('network', network!)).toBe(true);
  });
});
