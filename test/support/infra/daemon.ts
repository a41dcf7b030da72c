/**
 * Start-and-stop helpers shared by the infra fixtures (issue 9). Daemons are tracked by PID so a
 * test tears down only what it started, never something that was already running.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartedDaemon {
  pid: number;
  logFile: string;
}

export interface SpawnDaemonOptions {
  /** Where stdout and stderr go, so a failed start can be explained. */
  logFile: string;
  /** Survive this process (a daemon shared by several test workers). */
  detached?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Spawns a long-running program without a shell, its output appended to `logFile`. */
export function spawnDaemon(
  command: string,
  args: string[],
  options: SpawnDaemonOptions,
): StartedDaemon {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      stdio: ['ignore', log, log],
      detached: options.detached ?? false,
      env: options.env ?? process.env,
    });
    if (child.pid === undefined)
      throw new Error(`could not start ${command} (see ${options.logFile})`);
    child.on('error', () => undefined);
    if (options.detached) child.unref();
    return { pid: child.pid, logFile: options.logFile };
  } finally {
    closeSync(log);
  }
}

/** Whether a process with this PID exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the PID is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
  }
}

/** Polls `probe` until it returns true; throws `describe()` after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(describe());
    await sleep(intervalMs);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Root of the test infrastructure's state (daemon sockets, Docker data root, logs). Kept short
 * because unix socket paths are limited to 107 bytes; PRODSPRINT_INFRA_DIR moves it (e.g. to a
 * CI cache so built images survive between jobs).
 */
export function infraDir(): string {
  const dir = process.env.PRODSPRINT_INFRA_DIR ?? join(tmpdir(), 'prodsprint-infra');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A cross-process lock: mkdir is atomic. A lock whose holder died, or that was waited on for 2
 * minutes, is taken over.
 */
export async function withLock<T>(lock: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSafe(join(lock, 'pid')));
      if ((holder && !isAlive(holder)) || Date.now() > deadline)
        rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
