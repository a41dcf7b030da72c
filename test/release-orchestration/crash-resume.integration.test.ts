/**
 * Issue 9 acceptance, crash mid-release: the engine runs in a child process, is SIGKILLed while
 * the release waits out the 50% step's analysis window, and is started again. The release
 * resumes from the persisted step and promotes; every setTraffic the engine made is logged by
 * the child, and the restart itself made none (25, 50, 100 once each). A steady client sees no
 * connection error throughout.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../engine/runs/testing/test-store.ts';
import type { Release } from '../../engine/agents/release/index.ts';
import { getRelease } from '../../engine/agents/release/index.ts';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { startSteadyClient } from '../release/load.ts';
import { startReleaseStack, type ReleaseStack } from '../release/release-stack.ts';
import { deployedVersions, releaseOf, skipReason } from './orchestration.ts';

const CHILD = fileURLToPath(new URL('./release-child.ts', import.meta.url));

interface Child {
  pid: number;
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null; last: string; stderr: string }>;
  kill(): void;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('started\n')) markStarted();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: string | null;
    last: string;
    stderr: string;
  }>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, last: stdout.trim().split('\n').at(-1) ?? '', stderr }),
    ),
  );
  return { pid: child.pid ?? -1, started, exited, kill: () => child.kill('SIGKILL') };
}

async function until<T>(what: string, maxMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(skipReason !== undefined)('release orchestration: crash mid-release', () => {
  let stack: ReleaseStack;
  let test: TestStore;

  beforeAll(async () => {
    stack = await startReleaseStack('rel-crash');
    await stack.target.deploy(sampleAppVersion('v1'));
    await stack.target.setTraffic({ v1: 100 });
    test = openTestStore();
  });

  afterAll(async () => {
    test?.dispose();
    await stack?.close();
  });

  it('given a release waiting at 50%, when the engine is SIGKILLed and restarted, then it resumes and promotes without a traffic change by the restart', async () => {
    const trafficLog = join(test.dataDir, 'traffic.log');
    const env = {
      RC_DATA_DIR: test.dataDir,
      RC_PROJECT_ID: test.project(),
      RC_DOCKER_SOCKET: stack.engine.socketPath,
      RC_HAPROXY_SOCKET: stack.haproxy.adminSocket,
      RC_BACKEND: stack.haproxy.backend,
      RC_PROM_URL: stack.prometheus.url,
      RC_STACK_PROJECT: stack.project,
      RC_INPUT: JSON.stringify(releaseOf('v2', 'v1')),
      RC_TRAFFIC_LOG: trafficLog,
    };
    const steady = startSteadyClient(stack.haproxy.url, {
      concurrency: 2,
      pauseMs: 20,
      maxMs: 100_000,
      maxRequests: 20_000,
    });
    try {
      const first = startChild(env);
      await first.started;
      const release = (): Release | undefined =>
        test.store.db.prepare(`SELECT 1 FROM releases`).get() === undefined
          ? undefined
          : getRelease(
              test.store.db,
              (test.store.db.prepare(`SELECT id FROM releases`).get() as { id: string }).id,
            );
      // Killed inside the 50% step's analysis wait: the split is applied and persisted.
      const waiting = await until('release at the 50% step', 60_000, () => {
        const r = release();
        return r && r.detail.appliedStep === 1 && r.detail.windowStartedAt !== null ? r : undefined;
      });
      first.kill();
      const killed = await first.exited;
      expect(killed.signal).toBe('SIGKILL');
      const atKill = readFileSync(trafficLog, 'utf8').trim().split('\n');
      expect(atKill).toEqual(['{"v2":25,"v1":75}', '{"v2":50,"v1":50}']);
      expect(await stack.target.traffic()).toEqual({ v1: 50, v2: 50 });
      expect(waiting.phase).toBe('progressing');

      const second = startChild(env);
      const done = await second.exited;
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.last)).toMatchObject({ status: 'done' });
      const final = release()!;
      expect(final.phase, JSON.stringify(final.detail.decisions)).toBe('promoted');
      // The restart re-applied nothing: the 50% split once, before the kill; then only 100%.
      expect(readFileSync(trafficLog, 'utf8').trim().split('\n')).toEqual([
        '{"v2":25,"v1":75}',
        '{"v2":50,"v1":50}',
        '{"v2":100,"v1":0}',
      ]);
      // The step the engine died in was analysed after the restart, from its persisted window.
      expect(final.detail.samples.some((s) => s.step === 1)).toBe(true);
      expect(await stack.target.traffic()).toEqual({ v2: 100 });
      expect(await deployedVersions(stack)).toEqual(['v2']);
    } finally {
      const stats = await steady.stop();
      expect(stats.errorMessages).toEqual([]);
      expect(stats.connectionErrors).toBe(0);
      expect(existsSync(trafficLog)).toBe(true);
    }
  });
});
