import { afterEach, describe, expect, it } from 'vitest';
import { showRun } from './run-info.ts';
import type { RunDefinition } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** A stage that waits for a flag the test sets, submitting its "child" once. */
function approvalRun(state: { approved: boolean; looks: number; submitted: number }) {
  const definition: RunDefinition = {
    kind: 'sprint',
    stages: [
      {
        name: 'approval',
        retry: { maxAttempts: 1 },
        run: async (ctx) => {
          state.looks += 1;
          await ctx.once('submit-child', () => (state.submitted += 1));
          if (!state.approved) return ctx.requeueAt(ctx.now() + 60_000, 'waiting for an approval');
          return { approved: true };
        },
      },
      { name: 'apply', needs: ['approval'], run: () => 'applied' },
    ],
  };
  return definition;
}

describe('waiting stages (requeueAt, wake, once)', () => {
  it('given a stage that waits, when it waits, then no worker is held, the stage is pending with its reason, and the run is still running', async () => {
    const state = { approved: false, looks: 0, submitted: 0 };
    const other: RunDefinition = { kind: 'apply', stages: [{ name: 'build', run: () => 'built' }] };
    harness = engineHarness([approvalRun(state), other], { workers: 1 });
    const projectId = harness.test.project();
    const { runId } = harness.engine.submit({ projectId, kind: 'sprint', actor });
    await harness.settle();
    const second = harness.engine.submit({ projectId, kind: 'apply', actor });
    await harness.settle();
    const info = showRun(harness.test.store.db, runId);
    expect(info.status).toBe('running');
    expect(info.stages[0]).toMatchObject({
      name: 'approval',
      status: 'pending',
      waiting: true,
      reason: 'waiting for an approval',
    });
    // The one worker is free: a second run gets it while the first waits.
    expect(showRun(harness.test.store.db, second.runId).status).toBe('done');
    expect(state.looks).toBe(1);
  });

  it('given a waiting stage, when woken, then it runs again at once, its once-effect is not repeated, and the retry budget of 1 was never spent', async () => {
    const state = { approved: false, looks: 0, submitted: 0 };
    harness = engineHarness([approvalRun(state)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    await harness.settle();
    harness.engine.wake(runId); // still not approved: it looks again and waits again
    await harness.settle();
    expect(state.looks).toBe(2);
    state.approved = true;
    harness.engine.wake(runId);
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
    expect(state).toMatchObject({ looks: 3, submitted: 1 });
    // Two looks with the same reason write one waiting event, not one per look.
    const waiting = harness.events.filter((e) => e.runId === runId && e.status === 'waiting');
    expect(waiting).toHaveLength(1);
  });

  it('given a waiting stage, when its time comes, then it runs again without a wake', async () => {
    const state = { approved: false, looks: 0, submitted: 0 };
    harness = engineHarness([approvalRun(state)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    await harness.settle();
    state.approved = true;
    expect(await harness.nextTimer()).toBe(true);
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
  });

  it('given a waiting stage, when the engine restarts, then the new engine picks the wait up from the database and wake still works', async () => {
    const state = { approved: false, looks: 0, submitted: 0 };
    harness = engineHarness([approvalRun(state)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    await harness.settle();
    await harness.restart();
    state.approved = true;
    harness.engine.wake(runId);
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
    expect(state.submitted).toBe(1);
  });

  it('given a stage backing off after a failure, when the run is woken, then the backoff is not cut short', async () => {
    let calls = 0;
    harness = engineHarness([
      {
        kind: 'sprint',
        stages: [
          {
            name: 'flaky',
            retry: { maxAttempts: 2, initialDelayMs: 10_000 },
            run: () => {
              calls += 1;
              if (calls === 1) throw new Error('registry timeout');
              return 'ok';
            },
          },
        ],
      },
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    await harness.settle();
    harness.engine.wake(runId);
    await harness.settle();
    expect(calls).toBe(1);
    expect(showRun(harness.test.store.db, runId).stages[0]).toMatchObject({
      status: 'pending',
      waiting: false,
    });
  });
});
