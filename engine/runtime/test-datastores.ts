/**
 * The databases a service's tests get (issue 10): when the fingerprint shows the service uses
 * PostgreSQL or Redis, a throwaway one runs on an internal network beside the test container,
 * with the repository's SQL migrations applied first, so "the migrations apply on a fresh
 * database" is checked before any test reads it. Stopped whatever happens.
 */
import type Docker from 'dockerode';
import type { Fingerprint, Service } from '../agents/repo-auditor/index.ts';
import {
  datastoresOf,
  MigrationFailedError,
  needsAny,
  startEphemeralDatastores,
  type EphemeralDatastores,
} from '../agents/test/index.ts';
import type { Redactor } from '../secrets/redact.ts';
import { BaseImageInputMissingError } from '../tools/base-images/index.ts';

export interface TestDatastores {
  /** For the test container: join this network, with this env (DATABASE_URL, REDIS_URL, …). */
  network?: string;
  env?: Record<string, string>;
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

export async function startTestDatastores(options: {
  docker: Docker;
  service: Service;
  fingerprint: Fingerprint;
  repoDir: string;
  redactor: Redactor;
  signal?: AbortSignal;
  progress(line: string): void;
}): Promise<TestDatastores> {
  const needs = datastoresOf(options.service, options.fingerprint);
  if (!needsAny(needs)) return nothing(null);
  const reasons = [...(needs.postgres?.reasons ?? []), ...(needs.redis?.reasons ?? [])];
  options.progress(`datastores for the tests: ${reasons.join('; ')}`);
  let started: EphemeralDatastores;
  try {
    started = await startEphemeralDatastores(options.docker, needs, {
      repoDir: options.repoDir,
      redactor: options.redactor,
      onProgress: options.progress,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof MigrationFailedError) {
      return { ...nothing('PostgreSQL'), migrationFailure: error.message };
    }
    // Tests that do not touch the database still say something; the gap is stated, not hidden.
    if (error instanceof BaseImageInputMissingError) {
      options.progress(`no ephemeral datastore: ${error.message}`);
      return nothing(`none (${error.message})`);
    }
    throw error;
  }
  const names = [needs.postgres ? 'PostgreSQL' : null, needs.redis ? 'Redis' : null].filter(
    Boolean,
  );
  const applied = started.migrationsApplied;
  const migrations = applied
    ? ` (${applied.tool}, ${applied.files.length} migration(s) applied)`
    : needs.postgres?.migrations
      ? ' (migrations are code, not SQL: not applied)'
      : '';
  return {
    network: started.network,
    env: started.env,
    description: `${names.join(' + ')}${migrations}`,
    stop: () => started.stop(),
  };
}
