/**
 * The one cross-process lock of the engine. Several processes (the desktop app, the CLI, test
 * workers) may reach for the same thing at once: the shared dockerd, an environment's daemons, a
 * base image build. mkdir is atomic, so the first to create the lock directory holds it; the
 * others wait. A lock whose holder died, or that was waited on past `staleAfterMs`, is taken
 * over, so a killed process never leaves the next one stuck.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process with this pid exists (EPERM: it does, but belongs to another user). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock path for a name, in the machine's shared temp dir (locks that span data dirs). */
export function sharedLockPath(name: string): string {
  const dir = join(tmpdir(), 'prodsprint-locks');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}.lock`);
}

export async function withFileLock<T>(
  lock: string,
  body: () => Promise<T>,
  options: { staleAfterMs?: number } = {},
): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + (options.staleAfterMs ?? 120_000);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(readOrEmpty(join(lock, 'pid')));
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

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
