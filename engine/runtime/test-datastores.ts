/**
 * The databases a service's tests get (issues 10 and 14): when the fingerprint and the
 * repository show the service uses PostgreSQL, MySQL/MariaDB, Redis, RabbitMQ or MongoDB, a
 * throwaway one runs on an internal network beside the test container, with the repository's SQL
 * migrations applied first, so "the migrations apply on a fresh database" is checked before any
 * test reads it; the test container gets them under the env names its code reads, and the
 * compose secrets its compose service mounts as files (/run/secrets/db-password holding the
 * started database's password: wireBackingFiles). Stopped whatever happens. MongoDB, which cannot be built here, throws OfflineInputMissingError (with
 * how to load an image) unless a `mongo:<version>` image is on the engine.
 */
import type Docker from 'dockerode';
import type { Fingerprint, Service } from '../agents/repo-auditor/index.ts';
import {
  composeCredentials,
  composeNamesOf,
  DATASTORES,
  datastoresOf,
  KINDS,
  MigrationFailedError,
  neededDatastores,
  needsAny,
  readRepositorySignals,
  registerBackingFiles,
  startEphemeralDatastores,
  unavailableBackingFiles,
  wireBackingFiles,
  wireBackingServices,
  type EphemeralDatastores,
  type RepositorySignals,
  type StartedBackingService,
} from '../agents/test/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import { BaseImageInputMissingError } from '../tools/base-images/index.ts';

export interface TestDatastores {
  /** For the test container: join this network, with this env (DATABASE_URL, REDIS_URL, …). */
  network?: string;
  env?: Record<string, string>;
  /**
   * For the test container (runTestsInContainer's `files`): absolute path → content of the
   * compose secrets it mounts. Holds passwords; registered with the redactor.
   */
  files?: Record<string, string>;
  /** One line for the gate's figures, e.g. `PostgreSQL (dbmate, 1 migration applied)`. */
  description: string | null;
  /** Set when a migration did not apply: the tests stage fails with it, naming the file. */
  migrationFailure?: string;
  stop(): Promise<void>;
}

const nothing = (description: string | null): TestDatastores => ({
  description,
  stop: async () => undefined,
});

/**
 * The env and files of the test container for `started` (none: only the compose secrets the
 * repository itself gives, and the env names that hold their paths). Contents are registered.
 */
function wired(
  options: {
    service: Service;
    fingerprint: Fingerprint;
    redactor: Redactor;
    progress(line: string): void;
  },
  started: StartedBackingService[],
  signals: RepositorySignals,
): Pick<TestDatastores, 'env' | 'files'> {
  const { service, fingerprint } = options;
  const files = wireBackingFiles(service, fingerprint, started, signals);
  registerBackingFiles(files, options.redactor);
  // Paths and reasons only (never a content), still repository text: redacted.
  for (const why of unavailableBackingFiles(files, signals))
    options.progress(options.redactor.redact(`no file for the tests at ${why}`));
  const env = wireBackingServices(service, fingerprint, started, signals);
  return {
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(Object.keys(files).length > 0 ? { files } : {}),
  };
}

export async function startTestDatastores(options: {
  docker: Docker;
  service: Service;
  fingerprint: Fingerprint;
  repoDir: string;
  redactor: Redactor;
  signal?: AbortSignal;
  progress(line: string): void;
}): Promise<TestDatastores> {
  const { service, fingerprint } = options;
  const signals = readRepositorySignals(options.repoDir, service, fingerprint);
  const needs = datastoresOf(service, fingerprint, signals);
  if (!needsAny(needs)) return { ...nothing(null), ...wired(options, [], signals) };
  const reasons = DATASTORES.flatMap((datastore) => needs[datastore]?.reasons ?? []);
  // The reasons quote repository text (paths, variable names): redacted like everything else.
  options.progress(options.redactor.redact(`datastores for the tests: ${reasons.join('; ')}`));
  const aliases = Object.fromEntries(
    DATASTORES.map((datastore) => [datastore, composeNamesOf(datastore, service, fingerprint)]),
  );
  let started: EphemeralDatastores;
  try {
    started = await startEphemeralDatastores(options.docker, needs, {
      repoDir: options.repoDir,
      redactor: options.redactor,
      onProgress: options.progress,
      aliases,
      // The names (and, for throwaway ones, the passwords) the compose file gives them.
      credentials: Object.fromEntries(
        DATASTORES.map((datastore) => [datastore, composeCredentials(datastore, signals)]),
      ),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof MigrationFailedError) {
      return { ...nothing('PostgreSQL'), migrationFailure: error.message };
    }
    // Tests that do not touch the database still say something; the gap is stated, not hidden.
    if (error instanceof BaseImageInputMissingError) {
      options.progress(`no ephemeral datastore: ${error.message}`);
      return {
        ...nothing(`none (${error.message})`),
        ...wired(options, [], signals),
      };
    }
    throw error;
  }
  const names = neededDatastores(needs).map((datastore) => KINDS[datastore].title);
  const applied = started.migrationsApplied;
  const migrations = applied
    ? ` (${applied.tool}, ${applied.files.length} migration(s) applied)`
    : needs.postgres?.migrations
      ? ' (migrations are code, not SQL: not applied)'
      : '';
  return {
    network: started.network,
    ...wired(options, started.started, signals),
    description: `${names.join(' + ')}${migrations}`,
    stop: () => started.stop(),
  };
}
