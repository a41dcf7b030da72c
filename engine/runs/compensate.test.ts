import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { showRun } from './run-info.ts';
import { sql } from './statements.ts';
import { FatalStageError } from './stage-errors.ts';
import type { CompletedEffect, RunDefinition, StageContext } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Creates two resources, then fails for good: a partial apply compensate() must undo. */
function partialApply(
  undone: CompletedEffect[][],
  compensate: (ctx: StageContext) => Promise<void> | void,
): RunDefinition {
  return {
    kind: 'apply',
    input: z.object({ env: z.enum(['staging', 'production']) }),
    stages: [
      {
        name: 'infra',
        run: async (ctx) => {
          await ctx.effect('create-network', () => ({ id: 'net-1' }));
          await ctx.effect('create-db', () => ({ id: 'db-1' }));
          throw new FatalStageError('quota exceeded creating the load balancer');
        },
        compensate: async (ctx) => {
          undone.push([...ctx.completed]);
          await compensate(ctx);
        },
      },
      { name: 'deploy', needs: ['infra'], run: () => 'deployed' },
    ],
  };
}

describe('compensation of a partial apply', () => {
  it('given a stage fails for good after some effects, then compensate() gets those effects and the run ends in error', async () => {
    const undone: CompletedEffect[][] = [];
    harness = engineHarness([
      partialApply(undone, (ctx) => ctx.effect('delete-all', () => true).then(() => undefined)),
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { env: 'staging' },
      actor,
    });
    await harness.settle();
    expect(undone).toEqual([
      [
        { attempt: 1, effect: 'create-network', result: { id: 'net-1' } },
        { attempt: 1, effect: 'create-db', result: { id: 'db-1' } },
      ],
    ]);
    const run = showRun(harness.test.store.db, runId);
    expect(run).toMatchObject({
      status: 'error',
      stage: 'infra',
      reason: 'quota exceeded creating the load balancer',
    });
    expect(run.stages.map((stage) => [stage.status, stage.compensation])).toEqual([
      ['error', 'done'],
      ['skipped', 'none'],
    ]);
    const keys = sql(
      harness.test.store.db,
      `SELECT effect FROM idempotency_keys WHERE effect LIKE 'compensate:%'`,
    ).all();
    expect(keys).toEqual([{ effect: 'compensate:delete-all' }]);
  });

  it('given the engine stops during compensation, then the next engine finishes it', async () => {
    const undone: CompletedEffect[][] = [];
    let hang = true;
    harness = engineHarness([
      partialApply(undone, (ctx) =>
        hang
          ? new Promise<void>((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
            )
          : undefined,
      ),
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { env: 'staging' },
      actor,
    });
    while (undone.length === 0) await new Promise((resolve) => setImmediate(resolve));
    hang = false;
    await harness.restart();
    await harness.settle();
    expect(undone).toHaveLength(2);
    expect(showRun(harness.test.store.db, runId).stages[0]!.compensation).toBe('done');
  });

  it('records a failed compensation instead of retrying it forever', async () => {
    harness = engineHarness([
      partialApply([], () => {
        throw new Error('network still in use');
      }),
    ]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      input: { env: 'staging' },
      actor,
    });
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).stages[0]!.compensation).toBe('failed');
    expect(harness.events.at(-1)).toMatchObject({
      stage: 'infra',
      status: 'compensation-failed',
      message: 'compensation failed: network still in use',
    });
  });

  it('refuses input that does not match the run definition, storing nothing', () => {
    harness = engineHarness([partialApply([], () => undefined)]);
    expect(() =>
      harness!.engine.submit({
        projectId: harness!.test.project(),
        kind: 'apply',
        input: { env: 'qa' },
        actor,
      }),
    ).toThrow(/run input is invalid/);
    expect(sql(harness.test.store.db, 'SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
  });
});
