/**
 * A cross-process lock for building one base image: several engine processes (or test workers)
 * may ask for the same image at once, and the first must build it while the others wait and then
 * find it built. mkdir is atomic; a lock whose holder died, or that was waited on for 5 minutes,
 * is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const WAIT_MS = 5 * 60_000;

export function lockPath(name: string): string {
  const dir = join(tmpdir(), 'prodsprint-locks');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}.lock`);
}

export async function withFileLock<T>(lock: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
