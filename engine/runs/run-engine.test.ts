import { afterEach, describe, expect, it } from 'vitest';
import { readEvents } from './run-records.ts';
import { showRun } from './run-info.ts';
import { RunCapacityError } from './run-errors.ts';
import { BlockedStageError } from './stage-errors.ts';
import type { RunDefinition } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';
import { sql } from './statements.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** fetch → build → (scan ∥ test) → publish, each output feeding the next. */
const pipeline: RunDefinition = {
  kind: 'apply',
  stages: [
    {
      name: 'fetch',
      run: (ctx) => ({ commit: `c-${String((ctx.input as { ref: string }).ref)}` }),
    },
    {
      name: 'build',
      needs: ['fetch'],
      run: (ctx) => ({ image: `img-${(ctx.upstream.fetch as { commit: string }).commit}` }),
    },
    { name: 'scan', needs: ['build'], parallel: true, run: () => ({ vulns: 0 }) },
    { name: 'test', needs: ['build'], parallel: true, run: () => ({ passed: 12 }) },
    {
      name: 'publish',
      needs: ['scan', 'test'],
      inputs: ['build'],
      run: (ctx) => ({ pushed: (ctx.upstream.build as { image: string }).image }),
    },
  ],
};

describe('a run of a DAG of stages', () => {
  it('given a pipeline, when submitted, then every stage runs in dependency order and the run is done with the leaf outputs', async () => {
    harness = engineHarness([pipeline]);
    const projectId = harness.test.project();
    const { runId } = harness.engine.submit({
      projectId,
      kind: 'apply',
      input: { ref: 'main' },
      actor,
    });
    await harness.settle();

    const run = showRun(harness.test.store.db, runId);
    expect(run.status).toBe('done');
    expect(run.stages.map((stage) => [stage.name, stage.status, stage.attempt])).toEqual([
      ['fetch', 'done', 1],
      ['build', 'done', 1],
      ['scan', 'done', 1],
      ['test', 'done', 1],
      ['publish', 'done', 1],
    ]);
    const row = sql(harness.test.store.db, 'SELECT output FROM runs WHERE id = ?').get(runId) as {
      output: string;
    };
    expect(JSON.parse(row.output)).toEqual({ publish: { pushed: 'img-c-main' } });
    const started = harness.events
      .filter((event) => event.status === 'running' && event.stage)
      .map((event) => event.stage);
    expect(started.indexOf('build')).toBeGreaterThan(started.indexOf('fetch'));
    expect(started.indexOf('publish')).toBeGreaterThan(
      Math.max(started.indexOf('scan'), started.indexOf('test')),
    );
  });

  it('persists events with contiguous seqs and pushes the same events live', async () => {
    harness = engineHarness([pipeline]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { ref: 'x' },
      actor,
    });
    await harness.settle();
    const persisted = readEvents(harness.test.store.db, runId);
    expect(persisted.map((event) => event.seq)).toEqual(persisted.map((_, index) => index + 1));
    expect(harness.events.filter((event) => event.runId === runId)).toEqual(persisted);
    expect(persisted.at(-1)).toMatchObject({ stage: null, status: 'done', percent: 100 });
  });

  it('writes one audit entry per run and stage transition', async () => {
    harness = engineHarness([pipeline]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { ref: 'x' },
      actor,
    });
    await harness.settle();
    const entries = harness.audit.entries(harness.test.store.db, `run:${runId}`);
    expect(entries.filter((entry) => entry.action === 'run.stage.transition')).toHaveLength(10);
    expect(
      entries.filter((entry) => entry.action === 'run.transition').map((entry) => entry.meta.to),
    ).toEqual(['running', 'done']);
    expect(entries[0]).toMatchObject({ action: 'run.submitted', actor: 'usr_alice' });
  });

  it('given the audit sink fails, then the transition is rolled back with it and retried later', async () => {
    harness = engineHarness([pipeline]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { ref: 'x' },
      actor,
    });
    harness.audit.failNext();
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).status).toBe('pending');
    expect(harness.errors).toHaveLength(1);
    await harness.nextTimer();
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
  });

  it('runs one run per project and kind at a time, in submission order, while other projects proceed', async () => {
    const seen: string[] = [];
    const slow: RunDefinition = {
      kind: 'release',
      stages: [
        {
          name: 'deploy',
          run: async (ctx) => void seen.push(`${String((ctx.input as { n: number }).n)}`),
        },
      ],
    };
    harness = engineHarness([slow]);
    const a = harness.test.project();
    const b = harness.test.project();
    const first = harness.engine.submit({ projectId: a, kind: 'release', input: { n: 1 }, actor });
    const second = harness.engine.submit({ projectId: a, kind: 'release', input: { n: 2 }, actor });
    const other = harness.engine.submit({ projectId: b, kind: 'release', input: { n: 3 }, actor });
    await new Promise((resolve) => setImmediate(resolve));
    expect(showRun(harness.test.store.db, first.runId).status).toBe('running');
    expect(showRun(harness.test.store.db, second.runId).status).toBe('pending');
    expect(showRun(harness.test.store.db, other.runId).status).toBe('running');
    await harness.settle();
    expect(seen.indexOf('1')).toBeLessThan(seen.indexOf('2'));
    expect(
      [first, second, other].map((run) => showRun(harness!.test.store.db, run.runId).status),
    ).toEqual(['done', 'done', 'done']);
  });

  it('refuses a submission past capacity with a typed error carrying retry-after, and stores nothing for it', async () => {
    harness = engineHarness([pipeline], { queueCapacity: 2, retryAfterMs: 2500 });
    const projectId = harness.test.project();
    harness.engine.submit({ projectId, kind: 'apply', input: { ref: 'a' }, actor });
    harness.engine.submit({ projectId, kind: 'apply', input: { ref: 'b' }, actor });
    let refused: unknown;
    try {
      harness.engine.submit({ projectId, kind: 'apply', input: { ref: 'c' }, actor });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RunCapacityError);
    expect(refused).toMatchObject({
      reason: 'capacity-exceeded',
      retryAfterSeconds: 3,
      retryAfterMs: 2500,
      inFlight: 2,
      capacity: 2,
    });
    expect(
      (sql(harness.test.store.db, 'SELECT count(*) AS n FROM runs').get() as { n: number }).n,
    ).toBe(2);
    await harness.settle();
    expect(
      harness.engine.submit({ projectId, kind: 'apply', input: { ref: 'c' }, actor }).status,
    ).toBe('pending');
  });

  it('rejects unknown projects and kinds without a definition', () => {
    harness = engineHarness([pipeline]);
    expect(() =>
      harness!.engine.submit({ projectId: 'prj_missing', kind: 'apply', actor }),
    ).toThrow(/does not exist/);
    expect(() =>
      harness!.engine.submit({ projectId: harness!.test.project(), kind: 'rollback', actor }),
    ).toThrow(/no run definition/);
  });

  it('given a gate refuses, then the run is blocked at that stage with the reason, and later stages are skipped', async () => {
    const gated: RunDefinition = {
      kind: 'release',
      stages: [
        {
          name: 'gate',
          run: () => {
            throw new BlockedStageError('coverage 41% is below the 80% gate');
          },
        },
        { name: 'deploy', needs: ['gate'], run: () => 'deployed' },
      ],
    };
    harness = engineHarness([gated]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'release',
      actor,
    });
    await harness.settle();
    const run = showRun(harness.test.store.db, runId);
    expect(run).toMatchObject({
      status: 'blocked',
      stage: 'gate',
      reason: 'coverage 41% is below the 80% gate',
    });
    expect(run.stages.map((stage) => stage.status)).toEqual(['blocked', 'skipped']);
    const skipped = harness.audit
      .entries(harness.test.store.db, `run:${runId}`)
      .filter((entry) => entry.action === 'run.stage.transition' && entry.meta.stage === 'deploy');
    expect(skipped.map((entry) => entry.meta)).toEqual([
      { stage: 'deploy', from: 'pending', to: 'skipped' },
    ]);
    expect(run.stages[0]!.attempt).toBe(1);
  });

  it('redacts secrets from reasons, events and audit meta', async () => {
    const leaky: RunDefinition = {
      kind: 'apply',
      stages: [
        {
          name: 'clone',
          retry: { maxAttempts: 1 },
          run: () => {
            throw new Error('clone failed with token ghp_abcdefghijklmnopqrstuvwxyz0123456789');
          },
        },
      ],
    };
    harness = engineHarness([leaky]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    const dump = JSON.stringify([
      showRun(harness.test.store.db, runId),
      readEvents(harness.test.store.db, runId),
      harness.audit.entries(harness.test.store.db),
      sql(harness.test.store.db, 'SELECT * FROM dead_letters').all(),
    ]);
    expect(dump).toContain('[REDACTED]');
    expect(dump).not.toContain('ghp_abcdefghij');
  });
});
