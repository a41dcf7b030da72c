import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  commandLine,
  freePort,
  isAlive,
  isDaemon,
  logTail,
  portInUse,
  sleep,
  spawnDaemon,
  stopPid,
  waitUntil,
} from './daemon.ts';
import { withFileLock } from './file-lock.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'daemon-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('daemon helpers', () => {
  it('spawns a daemon with its output in the log, recognises it by command line, stops it', async () => {
    const dir = tempDir();
    const logFile = join(dir, 'logs', 'sleeper.log');
    const daemon = spawnDaemon(
      process.execPath,
      ['-e', 'console.log("ready"); setInterval(() => {}, 1000)', 'marker-arg'],
      { logFile },
    );
    expect(isAlive(daemon.pid)).toBe(true);
    for (let i = 0; i < 50 && !logTail(logFile).includes('ready'); i++) await sleep(50);
    expect(logTail(logFile)).toBe('ready');
    expect(commandLine(daemon.pid)).toContain('marker-arg');
    expect(isDaemon(daemon.pid, ['marker-arg'])).toBe(true);
    expect(isDaemon(daemon.pid, ['some-other-program'])).toBe(false);
    await stopPid(daemon.pid);
    expect(isAlive(daemon.pid)).toBe(false);
    expect(isDaemon(daemon.pid, ['marker-arg'])).toBe(false);
  });

  it('SIGKILLs a process that ignores SIGTERM after the grace period', async () => {
    const child = spawn(process.execPath, [
      '-e',
      'process.on("SIGTERM", () => {}); console.log("armed"); setInterval(() => {}, 1000)',
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await stopPid(child.pid!, 200);
    expect(isAlive(child.pid!)).toBe(false);
  });

  it('withFileLock runs bodies one at a time and takes over a lock whose holder died', async () => {
    const lock = join(tempDir(), 'lock');
    const events: string[] = [];
    const body = (name: string) => async () => {
      events.push(`${name} in`);
      await sleep(100);
      events.push(`${name} out`);
    };
    await Promise.all([withFileLock(lock, body('a')), withFileLock(lock, body('b'))]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);

    // A lock left by a process that no longer exists (PID 2^22 + 1 is above pid_max's default).
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(4_194_305));
    await expect(withFileLock(lock, async () => 'taken')).resolves.toBe('taken');
  });

  it('freePort gives a port that portInUse then sees as free, and taken while listening', async () => {
    const port = await freePort();
    expect(await portInUse(port)).toBe(false);
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await portInUse(port)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('isAlive refuses PIDs that cannot be processes', () => {
    expect(isAlive(0)).toBe(false);
    expect(isAlive(-1)).toBe(false);
    expect(isAlive(Number.NaN)).toBe(false);
    expect(isAlive(process.pid)).toBe(true);
  });
});

describe('waitUntil', () => {
  it('returns once the probe holds, treating a throwing probe as not yet', async () => {
    let calls = 0;
    await waitUntil(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('connection refused');
        return calls >= 3;
      },
      5_000,
      () => 'never',
      1,
    );
    expect(calls).toBe(3);
  });

  it('gives up with the description after the time limit', async () => {
    await expect(
      waitUntil(
        () => false,
        0,
        () => 'port 80 never answered',
        1,
      ),
    ).rejects.toThrow('port 80 never answered');
  });

  it('gives up at once when the caller is cancelled, long before the time limit', async () => {
    const controller = new AbortController();
    let calls = 0;
    const waiting = waitUntil(
      () => {
        calls += 1;
        if (calls === 2) controller.abort();
        return false;
      },
      60_000,
      () => 'health never answered',
      1,
      controller.signal,
    );
    await expect(waiting).rejects.toThrow('health never answered');
    expect(calls).toBe(2);
  });
});
