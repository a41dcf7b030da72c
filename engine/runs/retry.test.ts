import { afterEach, describe, expect, it } from 'vitest';
import { listDeadLetters } from './dead-letters.ts';
import { readEvents } from './run-records.ts';
import { showRun } from './run-info.ts';
import { FatalStageError, RetryableStageError, StageAbortedError } from './stage-errors.ts';
import type { RunDefinition } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';
import { sql } from './statements.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** A push that fails while `failures` says so, each attempt recorded with the clock it ran at. */
function flakyPush(
  failures: { left: number },
  calls: number[],
  error: () => Error = () => new RetryableStageError('registry timeout'),
): RunDefinition {
  return {
    kind: 'apply',
    stages: [
      { name: 'render', run: () => ({ files: 3 }) },
      {
        name: 'push',
        needs: ['render'],
        retry: { maxAttempts: 4, initialDelayMs: 1000, maxDelayMs: 3000, multiplier: 2 },
        run: async (ctx) => {
          calls.push(ctx.now());
          if (failures.left > 0) {
            failures.left--;
            throw error();
          }
          return ctx.effect('push-image', (key) => ({ pushed: key.token }));
        },
      },
    ],
  };
}

describe('retries with exponential backoff and full jitter', () => {
  it('given a stage failing twice, then it is retried after 0.5×1000 and 0.5×2000 ms (jitter 0.5) and the run completes', async () => {
    const calls: number[] = [];
    harness = engineHarness([flakyPush({ left: 2 }, calls)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).stages[1]).toMatchObject({
      status: 'pending',
      attempt: 1,
      reason: 'registry timeout',
    });
    while (await harness.nextTimer());
    expect(calls.slice(1).map((at, index) => at - calls[index]!)).toEqual([500, 1000]);
    const run = showRun(harness.test.store.db, runId);
    expect(run.status).toBe('done');
    expect(run.stages[1]).toMatchObject({ status: 'done', attempt: 3 });
    expect(
      readEvents(harness.test.store.db, runId)
        .filter((event) => event.status === 'retrying')
        .map((event) => event.message),
    ).toEqual([
      'attempt 1 failed: registry timeout; next attempt in 500 ms',
      'attempt 2 failed: registry timeout; next attempt in 1000 ms',
    ]);
  });

  it('caps the delay at maxDelayMs and draws it from the injected random source', async () => {
    const calls: number[] = [];
    harness = engineHarness([flakyPush({ left: 3 }, calls)], { random: () => 0.999 });
    harness.engine.submit({ projectId: harness.test.project(), kind: 'apply', actor });
    await harness.settle();
    while (await harness.nextTimer());
    // 0.999 × min(3000, 1000·2^(n-1)) for n = 1, 2, 3
    expect(calls.slice(1).map((at, index) => at - calls[index]!)).toEqual([999, 1998, 2997]);
  });

  it('given a fatal error, then the stage is not retried, ends in error and is dead-lettered', async () => {
    const calls: number[] = [];
    harness = engineHarness([
      flakyPush({ left: 1 }, calls, () => new FatalStageError('manifest is invalid')),
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    expect(await harness.nextTimer()).toBe(false);
    expect(calls).toHaveLength(1);
    expect(showRun(harness.test.store.db, runId)).toMatchObject({
      status: 'error',
      stage: 'push',
      reason: 'manifest is invalid',
    });
    expect(listDeadLetters(harness.test.store.db)).toMatchObject([
      { runId, stage: 'push', attempts: 1 },
    ]);
  });

  it('honours a policy classifier for errors of no known class', async () => {
    const calls: number[] = [];
    const definition = flakyPush({ left: 1 }, calls, () => new TypeError('bad header'));
    const push = definition.stages[1]!;
    harness = engineHarness([
      {
        ...definition,
        stages: [
          definition.stages[0]!,
          { ...push, retry: { ...push.retry, classify: () => 'fatal' } },
        ],
      },
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    expect(calls).toHaveLength(1);
    expect(showRun(harness.test.store.db, runId).status).toBe('error');
  });
});

describe('a stage that aborts itself', () => {
  it('is retried like any failure instead of being left running', async () => {
    let calls = 0;
    harness = engineHarness([
      {
        kind: 'apply',
        stages: [
          {
            name: 'wait-for-health',
            retry: { maxAttempts: 2, initialDelayMs: 100 },
            run: () => {
              if (++calls === 1) throw new StageAbortedError('health check timed out');
              return 'healthy';
            },
          },
        ],
      },
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).stages[0]).toMatchObject({
      status: 'pending',
      reason: 'health check timed out',
    });
    await harness.nextTimer();
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
    expect(calls).toBe(2);
  });
});

describe('dead letters', () => {
  it('given retries are exhausted, then the stage goes to dead_letters with the error and inputs; a replay completes the run with new keys', async () => {
    const calls: number[] = [];
    const failures = { left: 10 };
    harness = engineHarness([flakyPush(failures, calls)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { env: 'staging' },
      actor,
    });
    await harness.settle();
    while (await harness.nextTimer());

    expect(calls).toHaveLength(4);
    const failed = showRun(harness.test.store.db, runId);
    expect(failed).toMatchObject({
      status: 'error',
      stage: 'push',
      reason: 'gave up after 4 attempts: registry timeout',
    });
    const [letter] = listDeadLetters(harness.test.store.db, { runId });
    expect(letter).toMatchObject({
      stage: 'push',
      attempts: 4,
      error: 'gave up after 4 attempts: registry timeout',
    });
    expect(letter!.inputs).toEqual({
      input: { env: 'staging' },
      upstream: { render: { files: 3 } },
    });

    failures.left = 1;
    const replayed = harness.engine.replay(letter!.id, { user: 'usr_bob' });
    expect(replayed.status).toBe('pending');
    await harness.settle();
    while (await harness.nextTimer());

    const done = showRun(harness.test.store.db, runId);
    expect(done.status).toBe('done');
    // A fresh budget (attempt 2 of the replay), numbered after the failed attempts so keys are new.
    expect(done.stages[1]).toMatchObject({ status: 'done', attempt: 2 });
    const key = sql(
      harness.test.store.db,
      `SELECT attempt FROM idempotency_keys WHERE effect = 'push-image'`,
    ).all();
    expect(key).toEqual([{ attempt: 6 }]);
    expect(listDeadLetters(harness.test.store.db)).toEqual([]);
    expect(
      listDeadLetters(harness.test.store.db, { includeReplayed: true })[0]!.replayedAt,
    ).not.toBeNull();
    const actions = harness.audit
      .entries(harness.test.store.db, `run:${runId}`)
      .map((entry) => entry.action);
    expect(actions).toContain('run.dead-letter.created');
    expect(actions).toContain('run.dead-letter.replayed');
  });

  it('refuses to replay a letter twice', async () => {
    harness = engineHarness([flakyPush({ left: 99 }, [])]);
    harness.engine.submit({ projectId: harness.test.project(), kind: 'apply', actor });
    await harness.settle();
    while (await harness.nextTimer());
    const [letter] = listDeadLetters(harness.test.store.db);
    harness.engine.replay(letter!.id, actor);
    expect(() => harness!.engine.replay(letter!.id, actor)).toThrow(/already replayed/);
  });
});
