/**
 * Start-and-stop helpers for the long-running programs ProdSprint drives on this machine
 * (dockerd, HAProxy, Prometheus). Daemons are tracked by PID so teardown ends only what was
 * started, never something that was already running. The test fixtures use the same helpers
 * (test/support/infra/daemon.ts re-exports them), so product and tests start daemons one way.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { isAlive } from './file-lock.ts';

export { isAlive };

export interface StartedDaemon {
  pid: number;
  logFile: string;
}

export interface SpawnDaemonOptions {
  /** Where stdout and stderr go, so a failed start can be explained. */
  logFile: string;
  /** Survive this process (a daemon shared by several processes or kept between runs). */
  detached?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Spawns a long-running program without a shell, its output appended to `logFile`. */
export function spawnDaemon(
  command: string,
  args: string[],
  options: SpawnDaemonOptions,
): StartedDaemon {
  mkdirSync(dirname(options.logFile), { recursive: true });
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

/**
 * The command line of a live PID (Linux /proc), or undefined when it is gone or a zombie. A PID
 * in a state file may have been reused by an unrelated program after a reboot: callers check
 * that the command line still names their daemon before trusting or signalling it.
 */
export function commandLine(pid: number): string | undefined {
  if (!isAlive(pid)) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return text === '' ? undefined : text;
  } catch {
    // No /proc (not Linux): the PID is alive, which is all we can tell.
    return process.platform === 'linux' ? undefined : '';
  }
}

/** Whether `pid` is alive and its command line contains every one of `words`. */
export function isDaemon(pid: number | undefined, words: string[]): boolean {
  if (pid === undefined) return false;
  const line = commandLine(pid);
  if (line === undefined) return false;
  return line === '' || words.every((word) => line.includes(word));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the PID is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    while (isAlive(pid)) await sleep(20);
  }
}

/** Thrown by a `waitUntil` probe to stop waiting at once: what it waits for will never come. */
export class GiveUpWaiting extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GiveUpWaiting';
  }
}

/**
 * The engine's one polling wait: `probe` until it returns true; throws `describe()` after
 * `timeoutMs` or on abort. A probe that throws means "not yet", except GiveUpWaiting, which
 * ends the wait with its own message (a container that exited will not become ready).
 */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 100,
  /** A cancelled caller stops waiting at once, with the same description of what was awaited. */
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch((error: unknown) => {
          if (error instanceof GiveUpWaiting) throw error;
          return false;
        })
    )
      return;
    if (Date.now() > deadline || signal?.aborted) throw new Error(describe());
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

/** Whether something accepts TCP connections on 127.0.0.1:`port` right now. */
export async function portInUse(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a daemon's log, to explain a failed start in the error itself. */
export function logTail(logFile: string, lines = 15): string {
  const text = readFileSafe(logFile).trimEnd();
  return text === '' ? '(log is empty)' : text.split('\n').slice(-lines).join('\n');
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
