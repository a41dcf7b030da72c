/**
 * Throwaway datastores for one test run (issues 10 and 14): PostgreSQL, MySQL (MariaDB), Redis
 * and RabbitMQ from the images built on this host, MongoDB from an image a person loaded, on a
 * Docker network of their own that is internal (no route out), with the repository's SQL
 * migrations applied to PostgreSQL. Each also answers to the names the repository's compose file
 * gives it (`db`, `redis`), so defaults written for compose work. The test container joins the
 * network (runTestsInContainer's `network`) and gets `env`; stop() removes it all.
 *
 * Passwords are random per run: they are in the returned env and the containers', never in a
 * progress line (and registered with the caller's Redactor, which redacts test output).
 */
import type Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redactor } from '../../secrets/redact.ts';
import { GiveUpWaiting, waitUntil } from '../../system/daemon.ts';
import { applySqlMigrations, type AppliedMigrations } from './apply-migrations.ts';
import type { CredentialHints } from './compose-credentials.ts';
import { KINDS, logsOf, type Credentials } from './datastore-kinds.ts';
import {
  neededDatastores,
  type Datastore,
  type DatastoreNeeds,
  type SqlNeed,
} from './datastores.ts';
import { usualEnv, type StartedBackingService } from './wire-backing-services.ts';

/** On every container and network made here: the run's id, to find leftovers. */
export const DATASTORE_LABEL = 'prodsprint.test-datastores';
const USER = 'test';
const DATABASE = 'test';
const READY_TIMEOUT_MS = 90_000;

export interface EphemeralDatastores {
  /** The internal network's name: pass it to runTestsInContainer. */
  network: string;
  /** DATABASE_URL, PG*, POSTGRES_*, REDIS_URL, … for the test container. Holds the password. */
  env: Record<string, string>;
  /** Where each started datastore is, for wireBackingServices. Holds the passwords. */
  started: StartedBackingService[];
  migrationsApplied: AppliedMigrations | null;
  /** Removes the containers and the network; safe to call twice, never throws. */
  stop(): Promise<void>;
}

export interface StartEphemeralDatastoresOptions {
  /** Where the fingerprint's migrations path is relative to; without it none are applied. */
  repoDir?: string;
  signal?: AbortSignal;
  onProgress?(line: string): void;
  /** The generated passwords are registered here, so test output that prints them is redacted. */
  redactor?: Redactor;
  readyTimeoutMs?: number;
  /** More names per datastore on the network: the repository's compose service names. */
  aliases?: Partial<Record<Datastore, string[]>>;
  /** User, database or password to use instead of generated ones (composeCredentials). */
  credentials?: Partial<Record<Datastore, CredentialHints>>;
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
    // Images first: a missing one (MongoDB's) stops the run before anything was started.
    const wanted = neededDatastores(needs);
    const images = await Promise.all(
      wanted.map((datastore) => KINDS[datastore].image(docker, run.progress)),
    );
    options.signal?.throwIfAborted();
    // Internal: the bridge gets no gateway, so neither the datastores nor the tests reach out.
    await docker.createNetwork({
      Name: run.network,
      Driver: 'bridge',
      Internal: true,
      Labels: run.labels,
    });
    networkMade = true;
    // allSettled: stop() must not run while another datastore is still being created.
    const results = await Promise.allSettled(
      wanted.map((datastore, index) => start(run, datastore, images[index]!)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const started = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const migrationsApplied = needs.postgres
      ? await migrate(
          run,
          started.find((s) => s.datastore === 'postgres')!,
          needs.postgres,
        )
      : null;
    if (needs.mysql?.migrations)
      run.progress(
        `migrations in ${needs.mysql.migrations.path} are not applied to MySQL: the tests run their own`,
      );
    return {
      network: run.network,
      env: usualEnv(started),
      started: started.map(({ container: _container, ...service }) => service),
      migrationsApplied,
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

type Started = StartedBackingService & { container: Docker.Container };

async function start(run: Run, datastore: Datastore, image: string): Promise<Started> {
  const kind = KINDS[datastore];
  const hints = run.options.credentials?.[datastore] ?? {};
  const credentials: Credentials = {
    user: kind.credentials.user === null ? null : (hints.user ?? USER),
    password: kind.credentials.password
      ? (hints.password ?? randomBytes(18).toString('hex'))
      : null,
    database:
      kind.credentials.database === null
        ? null
        : (hints.database ?? (datastore === 'rabbitmq' ? '/' : DATABASE)),
  };
  if (credentials.password) run.options.redactor?.register(credentials.password);
  const name = `prodsprint-${datastore}-${run.id}`;
  const aliases = run.options.aliases?.[datastore] ?? [];
  const also = aliases.length > 0 ? ` (also ${aliases.join(', ')})` : '';
  run.progress(
    `starting ${kind.title} (${image}) as ${name}${also} on internal network ${run.network}`,
  );
  const container = await run.docker.createContainer({
    name,
    Image: image,
    ...(kind.user ? { User: kind.user } : {}),
    Env: kind.env(credentials),
    Labels: run.labels,
    HostConfig: {
      NetworkMode: run.network,
      // Servers that start as root to switch users (MongoDB's image) keep what that needs.
      CapDrop: ['ALL'],
      ...(kind.user ? {} : { CapAdd: ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER'] }),
      SecurityOpt: ['no-new-privileges'],
      Memory: 1024 * 1024 * 1024,
      PidsLimit: 512,
      ...(kind.tmpfs ? { Tmpfs: { '/tmp': 'rw,nosuid,nodev,mode=1777' } } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [run.network]: { Aliases: aliases } } },
  });
  run.containers.push(container);
  await container.start();
  await untilReady(container, kind.title, run.options, () =>
    kind.ready(run.docker, container, credentials),
  );
  run.progress(`${kind.title} ready at ${name}:${kind.port}`);
  return { datastore, host: name, port: kind.port, ...credentials, container };
}

async function migrate(run: Run, postgres: Started, need: SqlNeed) {
  if (!need.migrations || !run.options.repoDir) return null;
  const applied = await applySqlMigrations({
    docker: run.docker,
    container: postgres.container,
    repoDir: run.options.repoDir,
    dir: need.migrations.path,
    user: postgres.user ?? USER,
    database: postgres.database ?? DATABASE,
    signal: run.options.signal,
    onProgress: run.progress,
  });
  if (!applied) {
    const { path, tool } = need.migrations;
    run.progress(`no SQL migrations in ${path} (${tool}): the tests run their own`);
  }
  return applied;
}

/** Waits until `ready` says yes; a container that exits meanwhile fails with its log. */
async function untilReady(
  container: Docker.Container,
  datastore: string,
  options: StartEphemeralDatastoresOptions,
  ready: () => Promise<boolean>,
): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  await waitUntil(
    async () => {
      const state = (await container.inspect()).State;
      if (!state.Running) {
        const log = (await logsOf(container)).trim().split('\n').slice(-10).join('\n');
        throw new GiveUpWaiting(
          `${datastore} exited (${state.ExitCode}) before it was ready:\n${log}`,
        );
      }
      // An exec into a container that stopped in between fails: the next look says why.
      return ready();
    },
    timeoutMs,
    () =>
      options.signal?.aborted
        ? `${datastore}: the run was cancelled while it started`
        : `${datastore} did not accept connections within ${timeoutMs / 1000} s`,
    200,
    options.signal,
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
