import { afterEach, describe, expect, it } from 'vitest';
import { showRun } from './run-info.ts';
import type { CompletedEffect, RunDefinition, StageContext } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function untilAborted(ctx: StageContext): Promise<never> {
  return new Promise((_, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
  );
}

function stageStarted(h: Harness, runId: string, stage: string): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = h.engine.subscribe(runId, 0, (event) => {
      if (event.stage === stage && event.status === 'running') {
        queueMicrotask(() => unsubscribe());
        resolve();
      }
    });
  });
}

describe('cancel', () => {
  it('given a running stage, when the run is cancelled, then the stage gets an AbortSignal, later stages are skipped and compensate() sees the completed effects', async () => {
    let aborted = false;
    const compensated: CompletedEffect[][] = [];
    const definition: RunDefinition = {
      kind: 'release',
      stages: [
        {
          name: 'canary',
          run: async (ctx) => {
            await ctx.effect('route-1-percent', () => ({ weight: 1 }));
            ctx.signal.addEventListener('abort', () => (aborted = true));
            return untilAborted(ctx);
          },
          compensate: (ctx) => void compensated.push([...ctx.completed]),
        },
        { name: 'promote', needs: ['canary'], run: () => 'promoted' },
      ],
    };
    harness = engineHarness([definition]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'release',
      actor,
    });
    await stageStarted(harness, runId, 'canary');
    await new Promise((resolve) => setImmediate(resolve));

    const info = harness.engine.cancel(runId, { user: 'usr_bob' }, 'error budget burnt');
    expect(info).toMatchObject({ status: 'cancelled', reason: 'error budget burnt' });
    await harness.settle();

    expect(aborted).toBe(true);
    const run = showRun(harness.test.store.db, runId);
    expect(run.stages.map((stage) => [stage.name, stage.status, stage.compensation])).toEqual([
      ['canary', 'cancelled', 'done'],
      ['promote', 'skipped', 'none'],
    ]);
    expect(compensated).toEqual([
      [{ attempt: 1, effect: 'route-1-percent', result: { weight: 1 } }],
    ]);
    const audit = harness.audit.entries(harness.test.store.db, `run:${runId}`);
    expect(
      audit.find((entry) => entry.action === 'run.transition' && entry.meta.to === 'cancelled')
        ?.actor,
    ).toBe('usr_bob');
  });

  it('cancels a queued run before it starts, and lets the next run of the project start', async () => {
    const started: string[] = [];
    const definition: RunDefinition = {
      kind: 'apply',
      stages: [{ name: 'apply', run: (ctx) => void started.push(ctx.runId) }],
    };
    harness = engineHarness([definition]);
    const projectId = harness.test.project();
    const first = harness.engine.submit({ projectId, kind: 'apply', actor });
    const second = harness.engine.submit({ projectId, kind: 'apply', actor });
    harness.engine.cancel(first.runId, actor);
    await harness.settle();
    expect(started).toEqual([second.runId]);
    expect(showRun(harness.test.store.db, first.runId).stages[0]!.status).toBe('skipped');
  });

  it('refuses to cancel a finished run', async () => {
    harness = engineHarness([{ kind: 'apply', stages: [{ name: 'apply', run: () => null }] }]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    expect(() => harness!.engine.cancel(runId, actor)).toThrow(/already done/);
  });
});
