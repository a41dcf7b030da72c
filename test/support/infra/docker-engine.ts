/**
 * A Docker Engine for integration tests, got exactly as the product gets one
 * (engine/environments/local/docker-engine.ts): DOCKER_HOST, PRODSPRINT_DOCKER_SOCKET, the
 * system socket, else ProdSprint's shared dockerd, started when needed. Tests and the product
 * share that daemon's state dir (PRODSPRINT_DOCKER_DIR), so a test run and a `prodsprint` command
 * on the same machine (or a CLI spawned by an e2e test) never start two daemons.
 *
 * Several test workers share the daemon through lease files. A daemon started by a test
 * (recorded in owner.json as startedBy "test") is stopped when the last lease goes; one the
 * product started, or any other engine, is never stopped by tests.
 */
import type Docker from 'dockerode';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { isAlive, isDaemon, stopPid } from './daemon.ts';
import {
  connectDockerEngine,
  whyCannotStart,
  SYSTEM_DOCKER_SOCKET,
} from '../../../engine/environments/local/docker-engine.ts';
import {
  localDockerDir,
  readDockerdOwner,
  withDockerdLock,
} from '../../../engine/environments/local/dockerd.ts';

export interface DockerEngine {
  docker: Docker;
  socketPath: string;
  /** True when this helper started the daemon (it will stop it when the last lease goes). */
  started: boolean;
  release(): Promise<void>;
}

/** Why a Docker Engine is not available here, or undefined when one can be had. */
export function dockerUnavailableReason(): string | undefined {
  if (process.env.DOCKER_HOST || process.env.PRODSPRINT_DOCKER_SOCKET) return undefined;
  if (existsSync(SYSTEM_DOCKER_SOCKET)) return undefined;
  if (existsSync(join(localDockerDir(), 'docker.sock'))) return undefined;
  const cannot = whyCannotStart(true, process.env);
  return cannot && `${cannot.reason} (${cannot.remediation})`;
}

const leaseDir = () => join(localDockerDir(), 'leases');
// Workers may be threads of one process: a lease is per process and thread.
const leaseName = () => `${process.pid}.${threadId}`;

/** Gets a Docker Engine, starting one when none answers. Call `release()` when done. */
export async function acquireDockerEngine(): Promise<DockerEngine> {
  // The lease goes down before connecting: a worker releasing the last lease at the same moment
  // then either sees it and keeps the daemon, or stops it before we look (and we start it again).
  mkdirSync(leaseDir(), { recursive: true });
  writeFileSync(join(leaseDir(), leaseName()), '');
  const connection = await connectDockerEngine({
    env: process.env,
    startIfNeeded: true,
    startedBy: 'test',
  }).catch((error: Error) => {
    rmSync(join(leaseDir(), leaseName()), { force: true });
    throw error;
  });
  const shared = connection.source === 'prodsprint';
  if (!shared) rmSync(join(leaseDir(), leaseName()), { force: true });
  return {
    docker: connection.docker,
    socketPath: connection.socketPath,
    started: connection.started,
    release: shared ? () => releaseLease() : async () => undefined,
  };
}

async function releaseLease(): Promise<void> {
  await withDockerdLock(localDockerDir(), async () => {
    rmSync(join(leaseDir(), leaseName()), { force: true });
    const live = readdirSync(leaseDir()).filter((name) => {
      const alive = isAlive(Number(name.split('.')[0]));
      if (!alive) rmSync(join(leaseDir(), name), { force: true });
      return alive;
    });
    const owner = readDockerdOwner(localDockerDir());
    if (live.length === 0 && owner?.startedBy === 'test' && isDaemon(owner.pid, ['dockerd'])) {
      await stopPid(owner.pid, 20_000);
      rmSync(join(localDockerDir(), 'owner.json'), { force: true });
    }
  });
}
