/**
 * What every version of a project's service starts with in a local environment (issue 14): the
 * backing services it needs (PostgreSQL, MariaDB, Redis, RabbitMQ; started once per environment,
 * data in a volume), and the variables its code reads — wired to those services, taken from the
 * repository's template, or generated secrets kept for the environment.
 *
 * Computed when a version is deployed, never stored with a release or a run: the values hold
 * passwords, and the release's input lives in SQLite. Idempotent: the same environment gives
 * the same values, so a redeploy does not look like a new spec.
 */
import type Docker from 'dockerode';
import { join } from 'node:path';
import { Fingerprint, type Service } from '../agents/repo-auditor/index.ts';
import { ensureBackingServices } from '../environments/local/backing-services.ts';
import { environmentSecrets } from '../environments/local/environment-secrets.ts';
import { environmentDir } from '../environments/local/state.ts';
import type { Redactor } from '../secrets/redact.ts';
import { dataDirLayout } from '../store/data-dir.ts';
import type { Db } from '../store/database.ts';
import { approvedAnswers } from '../store/repositories/blueprints.ts';
import { getProject } from '../store/repositories/projects.ts';
import { serviceEnvironment, type ServiceEnvironment } from './apply/service-environment.ts';
import { primaryService } from './primary-service.ts';

export interface EnvironmentRuntimeDeps {
  db: Db;
  dataDir: string;
  redactor: Redactor;
}

export interface EnvironmentRuntime extends ServiceEnvironment {
  /** The backing services started for the environment, e.g. `PostgreSQL + Redis`; or null. */
  backing: string | null;
  /** Files every container gets (compose secrets: `/run/secrets/db-password`), by path. */
  files: Record<string, string>;
}

export async function environmentRuntime(
  deps: EnvironmentRuntimeDeps,
  target: {
    docker: Docker;
    projectId: string;
    environment: string;
    /** The environment's app network, where the backing services join the app. */
    network: string;
  },
  options: { onProgress?(line: string): void; signal?: AbortSignal } = {},
): Promise<EnvironmentRuntime> {
  const { fingerprint, service, port } = deployedService(deps.db, target.projectId);
  const repoDir = join(dataDirLayout(deps.dataDir).repos, target.projectId);
  const backing = await ensureBackingServices({
    docker: target.docker,
    dataDir: deps.dataDir,
    projectId: target.projectId,
    environment: target.environment,
    network: target.network,
    service,
    fingerprint,
    repoDir,
    redactor: deps.redactor,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const secrets = environmentSecrets(
    environmentDir(deps.dataDir, target.projectId, target.environment),
    deps.redactor,
  );
  const variables = serviceEnvironment({
    service,
    repoDir,
    port,
    backing: backing.env,
    secret: (name) => secrets.get(name),
    environment: target.environment,
  });
  return { ...variables, backing: backing.description, files: backing.files };
}

/** The service a local environment runs: the project's primary one, with its fingerprint. */
function deployedService(
  db: Db,
  projectId: string,
): { fingerprint: Fingerprint; service: Service; port: number } {
  const project = getProject(db, projectId);
  const fingerprint = Fingerprint.parse(project?.fingerprint);
  const primary = primaryService(fingerprint, approvedAnswers(db, projectId));
  if (!primary.ok) throw new Error(`${primary.reason}; ${primary.remedy}`);
  const service = fingerprint.services.find((s) => s.name === primary.service.name);
  if (!service) throw new Error(`service ${primary.service.name} is not in the fingerprint`);
  return { fingerprint, service, port: primary.service.port };
}
