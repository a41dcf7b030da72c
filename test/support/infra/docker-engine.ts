/**
 * A Docker Engine for integration tests (RECIPES.md, "Docker Engine"). Reuses a daemon that is
 * already answering; otherwise starts `dockerd --storage-driver=vfs --iptables=false
 * --bridge=none` with its data root under a cache dir (images survive between runs) and its exec
 * root beside it. Several test workers share one daemon through lease files: whoever releases
 * the last lease stops the daemon, and only if these helpers started it (its PID is recorded).
 */
import Docker from 'dockerode';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { infraDir, isAlive, spawnDaemon, stopPid, waitUntil, withLock } from './daemon.ts';
import { findExecutable } from '../../../engine/tools/detect.ts';

export interface DockerEngine {
  docker: Docker;
  socketPath: string;
  /** True when this helper started the daemon (it will stop it when the last lease goes). */
  started: boolean;
  release(): Promise<void>;
}

/** Why a Docker Engine is not available here, or undefined when one can be had. */
export function dockerUnavailableReason(): string | undefined {
  if (process.env.PRODSPRINT_DOCKER_SOCKET) return undefined;
  if (existsSync('/var/run/docker.sock')) return undefined;
  if (!findExecutable('dockerd')) return 'dockerd is not installed (apt-get install -y docker.io)';
  if (process.getuid?.() !== 0) return 'starting dockerd needs root and no daemon is running';
  return undefined;
}

const stateDir = () => join(infraDir(), 'docker');
const ownSocket = () => join(stateDir(), 'docker.sock');
const ownerFile = () => join(stateDir(), 'owner.json');
const leaseDir = () => join(stateDir(), 'leases');
// Workers may be threads of one process: a lease is per process and thread.
const leaseName = () => `${process.pid}.${threadId}`;

/** Gets a Docker Engine, starting one when none answers. Call `release()` when done. */
export async function acquireDockerEngine(): Promise<DockerEngine> {
  const external = process.env.PRODSPRINT_DOCKER_SOCKET;
  if (external) return reused(external);
  mkdirSync(leaseDir(), { recursive: true });
  return withLock(join(stateDir(), 'lock'), async () => {
    if (!existsSync(ownerFile()) && (await answers('/var/run/docker.sock'))) {
      return reused('/var/run/docker.sock');
    }
    const owner = readOwner();
    if (!owner || !isAlive(owner.pid) || !(await answers(ownSocket()))) {
      if (await answers(ownSocket())) return reused(ownSocket());
      await startDockerd();
    }
    writeFileSync(join(leaseDir(), leaseName()), '');
    return {
      docker: new Docker({ socketPath: ownSocket() }),
      socketPath: ownSocket(),
      started: true,
      release: () => releaseLease(),
    };
  });
}

function reused(socketPath: string): DockerEngine {
  return {
    docker: new Docker({ socketPath }),
    socketPath,
    started: false,
    release: async () => undefined,
  };
}

async function startDockerd(): Promise<void> {
  const dir = stateDir();
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'exec'), { recursive: true });
  const daemon = spawnDaemon(
    'dockerd',
    [
      '--storage-driver=vfs',
      '--iptables=false',
      '--bridge=none',
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      `--host=unix://${ownSocket()}`,
    ],
    { logFile: join(dir, 'dockerd.log'), detached: true },
  );
  writeFileSync(ownerFile(), JSON.stringify({ pid: daemon.pid }));
  await waitUntil(
    async () => isAlive(daemon.pid) && (await answers(ownSocket())),
    60_000,
    () => `dockerd did not answer on ${ownSocket()} within 60 s; see ${daemon.logFile}`,
    200,
  );
}

async function releaseLease(): Promise<void> {
  await withLock(join(stateDir(), 'lock'), async () => {
    rmSync(join(leaseDir(), leaseName()), { force: true });
    const live = readdirSync(leaseDir()).filter((name) => {
      const alive = isAlive(Number(name.split('.')[0]));
      if (!alive) rmSync(join(leaseDir(), name), { force: true });
      return alive;
    });
    const owner = readOwner();
    if (live.length === 0 && owner) {
      await stopPid(owner.pid, 20_000);
      rmSync(ownerFile(), { force: true });
    }
  });
}

function readOwner(): { pid: number } | undefined {
  try {
    return JSON.parse(readFileSync(ownerFile(), 'utf8')) as { pid: number };
  } catch {
    return undefined;
  }
}

async function answers(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return false;
  try {
    await new Docker({ socketPath, timeout: 2000 }).ping();
    return true;
  } catch {
    return false;
  }
}
