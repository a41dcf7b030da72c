/**
 * The Docker Engine ProdSprint starts itself when none is running (RECIPES.md, "Docker Engine"):
 * `dockerd --iptables=false --bridge=none`, detached so it outlives the process that started it,
 * reused by every later process. The storage driver is dockerd's own choice: overlay2 where the
 * data root's file system supports it (ext4, xfs: measured here, a 7-step build in 6 s where
 * vfs, which copies the whole root file system for every step, took minutes), else vfs; a data
 * root that already holds another driver's layers keeps that driver (dockerd's rule).
 *
 * One machine-wide state dir, not one per data dir: two dockerd on one host would pick the same
 * default bridge subnets for their networks (breaking routes to containers) and each keep its
 * own copy of every image. The product and the test fixtures therefore share this dir (and this
 * code): whoever comes first starts the daemon, everyone else finds its socket. The dir is
 * PRODSPRINT_DOCKER_DIR, else /var/lib/prodsprint/docker (starting dockerd needs root anyway).
 *
 * owner.json says who started it. Test fixtures stop a daemon they started once their last lease
 * goes; as soon as the product uses it, the product adopts it and it is never stopped by tests
 * (stopping dockerd would stop every container of the product's environments).
 */
import Docker from 'dockerode';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDaemon, logTail, spawnDaemon, stopPid, waitUntil } from '../../system/daemon.ts';
import { withFileLock } from '../../system/file-lock.ts';
import { LocalEnvironmentError } from './errors.ts';

/** Unix socket paths are limited to 107 bytes; leave room for the kernel's terminator. */
const MAX_SOCKET_PATH = 100;

/** Who started the shared daemon: the product keeps it running, tests stop theirs when done. */
export type DockerdStarter = 'product' | 'test';

export interface DockerdOwner {
  pid: number;
  startedBy: DockerdStarter;
  startedAt: string;
}

export interface DockerdPaths {
  dir: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidFile: string;
  ownerFile: string;
  logFile: string;
  /** Held while checking, starting or stopping the daemon. */
  lock: string;
}

/** The machine-wide state dir of the dockerd ProdSprint starts. */
export function localDockerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRODSPRINT_DOCKER_DIR || '/var/lib/prodsprint/docker';
}

export function dockerdPaths(dir: string): DockerdPaths {
  return {
    dir,
    socket: join(dir, 'docker.sock'),
    dataRoot: join(dir, 'data'),
    execRoot: join(dir, 'exec'),
    pidFile: join(dir, 'dockerd.pid'),
    ownerFile: join(dir, 'owner.json'),
    logFile: join(dir, 'dockerd.log'),
    lock: join(dir, 'lock'),
  };
}

export function readDockerdOwner(dir: string): DockerdOwner | undefined {
  try {
    return JSON.parse(readFileSync(dockerdPaths(dir).ownerFile, 'utf8')) as DockerdOwner;
  } catch {
    return undefined;
  }
}

/** Whether a Docker Engine answers a ping on this unix socket. */
export async function socketAnswers(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return false;
  try {
    await new Docker({ socketPath, timeout: 2000 }).ping();
    return true;
  } catch {
    return false;
  }
}

/** Serialises everything that checks, starts or stops the shared daemon. */
export function withDockerdLock<T>(dir: string, body: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  return withFileLock(dockerdPaths(dir).lock, body);
}

const DEFAULT_ADDRESS_POOL = '172.20.0.0/14';

/**
 * The pool the daemon's networks are cut from. PRODSPRINT_DOCKER_ADDRESS_POOL gives a second
 * daemon on the same host (another PRODSPRINT_DOCKER_DIR) a range of its own: two daemons
 * handing out the same subnets would break the routes to each other's containers.
 */
function addressPool(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRODSPRINT_DOCKER_ADDRESS_POOL || DEFAULT_ADDRESS_POOL;
}

export interface EnsureDockerdOptions {
  dir: string;
  /** Absolute path of the dockerd binary. */
  dockerd: string;
  startedBy: DockerdStarter;
  onProgress?: (message: string) => void;
}

/**
 * Returns once the shared daemon answers, starting it when it does not. Takes the lock: two
 * processes arriving together start one daemon. `started` is true only for the caller that
 * actually spawned it.
 */
export async function ensureDockerd(
  options: EnsureDockerdOptions,
): Promise<{ started: boolean; pid: number | undefined }> {
  const paths = dockerdPaths(options.dir);
  if (paths.socket.length > MAX_SOCKET_PATH) {
    throw new LocalEnvironmentError(
      `the Docker socket path ${paths.socket} is longer than unix sockets allow`,
      'set PRODSPRINT_DOCKER_DIR to a shorter directory',
    );
  }
  return withDockerdLock(options.dir, async () => {
    const owner = readDockerdOwner(options.dir);
    if (await socketAnswers(paths.socket)) {
      if (options.startedBy === 'product') adopt(options.dir);
      return { started: false, pid: owner?.pid };
    }
    if (owner && isDaemon(owner.pid, ['dockerd'])) {
      // Alive but silent: a daemon still starting (its starter died meanwhile) or wedged.
      const answered = await waitUntil(
        () => socketAnswers(paths.socket),
        30_000,
        () => '',
      ).then(
        () => true,
        () => false,
      );
      if (answered) {
        if (options.startedBy === 'product') adopt(options.dir);
        return { started: false, pid: owner.pid };
      }
      options.onProgress?.(`dockerd (pid ${owner.pid}) does not answer; restarting it`);
      await stopPid(owner.pid, 20_000);
    }
    return { started: true, pid: await startDockerd(paths, options) };
  });
}

/**
 * The product relies on a daemon the tests started: from now on it is the product's, so the
 * tests' last lease no longer stops it under a running environment. Call with the lock held.
 */
function adopt(dir: string): void {
  const owner = readDockerdOwner(dir);
  if (!owner || owner.startedBy === 'product') return;
  try {
    writeFileSync(dockerdPaths(dir).ownerFile, JSON.stringify({ ...owner, startedBy: 'product' }));
  } catch {
    // Not ours to write (another user's daemon): it is then not ours to stop either.
  }
}

/** Marks the shared daemon as the product's (see adopt), taking the lock. */
export async function adoptDockerd(dir: string): Promise<void> {
  if (!readDockerdOwner(dir)) return;
  try {
    await withDockerdLock(dir, async () => adopt(dir));
  } catch {
    // The lock dir is not writable here (another user's daemon): nothing to adopt.
  }
}

async function startDockerd(paths: DockerdPaths, options: EnsureDockerdOptions): Promise<number> {
  mkdirSync(paths.dataRoot, { recursive: true });
  mkdirSync(paths.execRoot, { recursive: true });
  options.onProgress?.(`starting dockerd (data root ${paths.dataRoot})`);
  const daemon = spawnDaemon(
    options.dockerd,
    [
      '--iptables=false',
      '--bridge=none',
      // Docker's default pools hold about 30 networks; every environment, perf run and test
      // database takes one, so a workstation with a dozen projects ran out. /24s from docker's
      // own 172.16/12 range give 1,024 without reaching into address space it does not use.
      `--default-address-pool=base=${addressPool()},size=24`,
      `--data-root=${paths.dataRoot}`,
      `--exec-root=${paths.execRoot}`,
      `--pidfile=${paths.pidFile}`,
      `--host=unix://${paths.socket}`,
    ],
    { logFile: paths.logFile, detached: true },
  );
  const owner: DockerdOwner = {
    pid: daemon.pid,
    startedBy: options.startedBy,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(paths.ownerFile, JSON.stringify(owner));
  await waitUntil(
    async () => isDaemon(daemon.pid, ['dockerd']) && (await socketAnswers(paths.socket)),
    60_000,
    () => '',
    200,
  ).catch(async () => {
    await stopPid(daemon.pid);
    throw new LocalEnvironmentError(
      `dockerd did not answer on ${paths.socket} within 60 s; its log (${paths.logFile}) ends with:\n${logTail(paths.logFile)}`,
      'fix the cause in the log, or start a Docker Engine yourself and set DOCKER_HOST',
    );
  });
  options.onProgress?.(`dockerd (pid ${daemon.pid}) answers on unix://${paths.socket}`);
  return daemon.pid;
}
