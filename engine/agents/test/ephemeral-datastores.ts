/**
 * Throwaway datastores for one test run (issue 10): PostgreSQL and/or Redis from the images built
 * on this host (local/postgres:base, local/redis:base), on a Docker network of their own that is
 * internal (no route out), with the repository's SQL migrations applied. The test container
 * joins the network (runTestsInContainer's `network`) and gets `env`; stop() removes it all.
 *
 * The PostgreSQL password is random per run: it is in the returned env and the container's, never
 * in a progress line (and registered with the caller's Redactor, which redacts test output).
 */
import type Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redactor } from '../../secrets/redact.ts';
import { ensureDatastoreImage, POSTGRES_PORT, REDIS_PORT } from '../../tools/base-images/index.ts';
import { applySqlMigrations, type AppliedMigrations } from './apply-migrations.ts';
import { execIn } from './container-exec.ts';
import type { Datastore, DatastoreNeeds, PostgresNeed } from './datastores.ts';
import { unframeDockerLogs } from '../../tools/docker-logs.ts';

/** On every container and network made here: the run's id, to find leftovers. */
export const DATASTORE_LABEL = 'prodsprint.test-datastores';
const USER = 'test';
const DATABASE = 'test';
const READY_TIMEOUT_MS = 60_000;

export interface EphemeralDatastores {
  /** The internal network's name: pass it to runTestsInContainer. */
  network: string;
  /** DATABASE_URL, PG*, POSTGRES_*, REDIS_URL, … for the test container. Holds the password. */
  env: Record<string, string>;
  migrationsApplied: AppliedMigrations | null;
  /** Removes the containers and the network; safe to call twice, never throws. */
  stop(): Promise<void>;
}

export interface StartEphemeralDatastoresOptions {
  /** Where the fingerprint's migrations path is relative to; without it none are applied. */
  repoDir?: string;
  signal?: AbortSignal;
  onProgress?(line: string): void;
  /** The generated password is registered here, so test output that prints it is redacted. */
  redactor?: Redactor;
  readyTimeoutMs?: number;
}

export async function startEphemeralDatastores(
  docker: Docker,
  needs: DatastoreNeeds,
  options: StartEphemeralDatastoresOptions = {},
): Promise<EphemeralDatastores> {
  const id = randomUUID().slice(0, 12);
  const run: Run = {
    docker,
    id,
    network: `prodsprint-tests-${id}`,
    labels: { [DATASTORE_LABEL]: id },
    containers: [],
    progress: options.onProgress ?? (() => undefined),
    options,
  };
  let networkMade = false;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(
        run.containers.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)),
      );
      if (networkMade) await removeNetwork(docker, run.network);
    })());

  try {
    options.signal?.throwIfAborted();
    // Internal: the bridge gets no gateway, so neither the datastores nor the tests reach out.
    await docker.createNetwork({
      Name: run.network,
      Driver: 'bridge',
      Internal: true,
      Labels: run.labels,
    });
    networkMade = true;
    // allSettled: stop() must not run while the other datastore is still being created.
    const [postgres, redis] = await Promise.allSettled([
      needs.postgres ? startPostgres(run, needs.postgres) : undefined,
      needs.redis ? startRedis(run) : undefined,
    ]);
    if (postgres.status === 'rejected') throw postgres.reason;
    if (redis.status === 'rejected') throw redis.reason;
    return {
      network: run.network,
      env: { ...postgres.value?.env, ...redis.value },
      migrationsApplied: postgres.value?.migrationsApplied ?? null,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One call's state: what it made (for stop) and how it reports. */
interface Run {
  docker: Docker;
  id: string;
  network: string;
  labels: Record<string, string>;
  containers: Docker.Container[];
  progress(line: string): void;
  options: StartEphemeralDatastoresOptions;
}

async function startPostgres(run: Run, need: PostgresNeed) {
  const password = randomBytes(18).toString('hex');
  run.options.redactor?.register(password);
  const { container, name } = await startContainer(run, 'postgres', [
    `POSTGRES_USER=${USER}`,
    `POSTGRES_DB=${DATABASE}`,
    `POSTGRES_PASSWORD=${password}`,
  ]);
  await waitUntil(container, 'postgres', run.options, async () => {
    // Over TCP, as the tests will connect; the database exists before the server listens.
    const probe = ['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT)];
    const result = await execIn(run.docker, container, [...probe, '-U', USER, '-d', DATABASE]);
    return result.exitCode === 0;
  });
  run.progress(`postgres ready at ${name}:${POSTGRES_PORT}`);
  let migrationsApplied: AppliedMigrations | null = null;
  if (need.migrations && run.options.repoDir) {
    migrationsApplied = await applySqlMigrations({
      docker: run.docker,
      container,
      repoDir: run.options.repoDir,
      dir: need.migrations.path,
      user: USER,
      database: DATABASE,
      signal: run.options.signal,
      onProgress: run.progress,
    });
    if (!migrationsApplied) {
      const { path, tool } = need.migrations;
      run.progress(`no SQL migrations in ${path} (${tool}): the tests run their own`);
    }
  }
  return { env: postgresEnv(name, password), migrationsApplied };
}

async function startRedis(run: Run): Promise<Record<string, string>> {
  const { container, name } = await startContainer(run, 'redis', []);
  // The image has no client to probe with; the server says when it accepts connections.
  await waitUntil(container, 'redis', run.options, async () =>
    (await logsOf(container)).includes('Ready to accept connections'),
  );
  run.progress(`redis ready at ${name}:${REDIS_PORT}`);
  return {
    REDIS_URL: `redis://${name}:${REDIS_PORT}`,
    REDIS_HOST: name,
    REDIS_PORT: String(REDIS_PORT),
  };
}

async function startContainer(run: Run, datastore: Datastore, env: string[]) {
  const { image } = await ensureDatastoreImage(run.docker, datastore, {
    onProgress: run.progress,
  });
  run.options.signal?.throwIfAborted();
  const name = `prodsprint-${datastore}-${run.id}`;
  run.progress(`starting ${datastore} (${image}) as ${name} on internal network ${run.network}`);
  const container = await run.docker.createContainer({
    name,
    Image: image,
    User: '1000:1000',
    Env: env,
    Labels: run.labels,
    HostConfig: {
      NetworkMode: run.network,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 1024 * 1024 * 1024,
      PidsLimit: 256,
    },
  });
  run.containers.push(container);
  await container.start();
  return { container, name };
}

function postgresEnv(host: string, password: string): Record<string, string> {
  const url = `postgres://${USER}:${password}@${host}:${POSTGRES_PORT}/${DATABASE}`;
  return {
    DATABASE_URL: url,
    POSTGRES_URL: url,
    PGHOST: host,
    PGPORT: String(POSTGRES_PORT),
    PGUSER: USER,
    PGPASSWORD: password,
    PGDATABASE: DATABASE,
    POSTGRES_HOST: host,
    POSTGRES_PORT: String(POSTGRES_PORT),
    POSTGRES_USER: USER,
    POSTGRES_PASSWORD: password,
    POSTGRES_DB: DATABASE,
  };
}

/** Polls `ready` until it says yes; a container that exits meanwhile fails with its log. */
async function waitUntil(
  container: Docker.Container,
  datastore: Datastore,
  options: StartEphemeralDatastoresOptions,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    options.signal?.throwIfAborted();
    const state = (await container.inspect()).State;
    if (!state.Running) {
      const log = (await logsOf(container)).trim().split('\n').slice(-10).join('\n');
      throw new Error(`${datastore} exited (${state.ExitCode}) before it was ready:\n${log}`);
    }
    // An exec into a container that stopped in between fails: the next inspect says why.
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(
        `${datastore} did not accept connections within ${(options.readyTimeoutMs ?? READY_TIMEOUT_MS) / 1000} s`,
      );
    await sleep(200, undefined, options.signal ? { signal: options.signal } : {});
  }
}

/** The container's output so far, stdout and stderr (un-multiplexed). */
async function logsOf(container: Docker.Container): Promise<string> {
  return unframeDockerLogs(
    (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer,
  );
}

async function removeNetwork(docker: Docker, name: string): Promise<void> {
  // Endpoints of just-removed containers can take a moment to detach.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await docker.getNetwork(name).remove();
      return;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      await sleep(200);
    }
  }
}
