import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { RunEngine } from './run-engine.ts';
import { RunCapacityError } from './run-errors.ts';
import { listRunInfos } from './run-info.ts';
import type { RunEvent } from './run-records.ts';
import type { RunDefinition } from './stage-definition.ts';
import { RecordingAuditSink } from './testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from './testing/test-store.ts';

const PROJECTS = 50;
const RUNS_PER_PROJECT = 4;
const WORKERS = 4;
const CAPACITY = 40;

let test: TestStore | undefined;
afterEach(() => {
  test?.dispose();
  test = undefined;
});

describe('load: 200 runs across 50 projects with 4 workers', () => {
  it('given more submissions than capacity, then all finish, per-project order holds, no SQLITE_BUSY, and refusals carry retry-after', async () => {
    test = openTestStore();
    const projects = Array.from({ length: PROJECTS }, () => test!.project());
    let executing = 0;
    let maxExecuting = 0;
    const work = async () => {
      executing++;
      maxExecuting = Math.max(maxExecuting, executing);
      await new Promise((resolve) => setTimeout(resolve, 1));
      executing--;
    };
    const definition: RunDefinition = {
      kind: 'apply',
      stages: [
        { name: 'plan', run: work },
        {
          name: 'apply',
          needs: ['plan'],
          run: async (ctx) => (await work(), ctx.effect('write', () => ({ ok: true }))),
        },
        { name: 'verify', needs: ['apply'], run: work },
      ],
    };
    const engineErrors: unknown[] = [];
    const engine = new RunEngine({
      db: test.store.db,
      definitions: [definition],
      audit: new RecordingAuditSink(),
      redactor: new Redactor(),
      workers: WORKERS,
      queueCapacity: CAPACITY,
      retryAfterMs: 5,
      onError: (error) => engineErrors.push(error),
    });
    const runEvents: RunEvent[] = [];
    engine.events.subscribeAll((event) => event.stage === null && runEvents.push(event));
    engine.start();
    const reader = startReader(test.dataDir);
    await reader.ready;

    const refusals: RunCapacityError[] = [];
    const accepted = new Map<string, string[]>();
    await Promise.all(
      projects.map(async (projectId) => {
        accepted.set(projectId, []);
        for (let n = 0; n < RUNS_PER_PROJECT;) {
          try {
            accepted.get(projectId)!.push(
              engine.submit({
                projectId,
                kind: 'apply',
                input: { n },
                actor: { user: 'usr_load' },
              }).runId,
            );
            n++;
          } catch (error) {
            if (!(error instanceof RunCapacityError)) throw error;
            refusals.push(error);
            await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
          }
        }
      }),
    );
    while (
      runEvents.filter((event) => event.status === 'done').length <
      PROJECTS * RUNS_PER_PROJECT
    )
      await engine.whenIdle().then(tick);
    await engine.stop();
    const readerResult = await reader.stop();

    const runs = listRunInfos(test.store.db, { limit: 1000 });
    expect(runs).toHaveLength(PROJECTS * RUNS_PER_PROJECT);
    expect(runs.filter((run) => run.status !== 'done')).toEqual([]);
    expect(engineErrors).toEqual([]);
    expect(readerResult.errors).toEqual([]);
    expect(readerResult.reads).toBeGreaterThan(0);
    expect(maxExecuting).toBe(WORKERS);

    // Backpressure: refused, not lost, and told when to come back.
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({
        reason: 'capacity-exceeded',
        retryAfterSeconds: 1,
        capacity: CAPACITY,
      });
      expect(refusal.inFlight).toBe(CAPACITY);
    }

    // Per project: runs start in the order they were accepted, each after the previous one ended.
    const order = runEvents.map((event) => `${event.runId}:${event.status}`);
    for (const runIds of accepted.values()) {
      const timeline = runIds.flatMap((runId) => [
        order.indexOf(`${runId}:running`),
        order.indexOf(`${runId}:done`),
      ]);
      expect(timeline.every((position) => position >= 0)).toBe(true);
      expect([...timeline].sort((a, b) => a - b)).toEqual(timeline);
    }
    console.log(
      `load: ${runs.length} runs done, ${refusals.length} submissions refused with retry-after, ` +
        `${readerResult.reads} concurrent reads from a second process, 0 SQLITE_BUSY`,
    );
  });
});

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

function startReader(dataDir: string) {
  const entry = fileURLToPath(new URL('./testing/reader-child.ts', import.meta.url));
  const child = spawn(process.execPath, [entry, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let resolveReady: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) resolveReady();
  });
  return {
    ready,
    stop: () =>
      new Promise<{ reads: number; errors: string[] }>((resolve) => {
        child.on('close', () =>
          resolve(JSON.parse(out.slice('ready\n'.length)) as { reads: number; errors: string[] }),
        );
        child.kill('SIGTERM');
      }),
  };
}
