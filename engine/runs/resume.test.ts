import { afterEach, describe, expect, it } from 'vitest';
import { readEvents } from './run-records.ts';
import { showRun } from './run-info.ts';
import { RetryableStageError } from './stage-errors.ts';
import type { EffectKey, RunDefinition, StageContext } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';
import { sql } from './statements.ts';

const actor = { user: 'usr_alice' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function hang(ctx: StageContext): Promise<never> {
  return new Promise((_, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
  );
}

/** `deploy` does two effects; `mode` decides whether the second one hangs (the process "dies" there). */
function deployment(
  calls: Array<{ effect: string; key: EffectKey }>,
  mode: { hangIn: 'none' | 'second-effect' },
): RunDefinition {
  return {
    kind: 'release',
    stages: [
      {
        name: 'deploy',
        run: async (ctx) => {
          const first = await ctx.effect(
            'create-service',
            (key) => (calls.push({ effect: 'create-service', key }), { id: 'svc-1' }),
          );
          const second = await ctx.effect('set-weight', (key, signal) => {
            calls.push({ effect: 'set-weight', key });
            return mode.hangIn === 'second-effect' ? hang({ ...ctx, signal }) : { weight: 5 };
          });
          return { first, second };
        },
      },
    ],
  };
}

describe('resume after the engine stops mid-stage', () => {
  it('re-enters the running stage under the same attempt: completed effects are answered from the store, a started one runs again with the same key', async () => {
    const calls: Array<{ effect: string; key: EffectKey }> = [];
    const mode: { hangIn: 'none' | 'second-effect' } = { hangIn: 'second-effect' };
    harness = engineHarness([deployment(calls, mode)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'release',
      actor,
    });
    while (calls.length < 2) await new Promise((resolve) => setImmediate(resolve));

    mode.hangIn = 'none';
    await harness.restart();
    await harness.settle();

    const run = showRun(harness.test.store.db, runId);
    expect(run.status).toBe('done');
    expect(run.stages[0]!.attempt).toBe(1);
    expect(calls.map((call) => call.effect)).toEqual([
      'create-service',
      'set-weight',
      'set-weight',
    ]);
    expect(calls[2]!.key.token).toBe(calls[1]!.key.token);
    expect(
      readEvents(harness.test.store.db, runId).some((event) => event.status === 'resumed'),
    ).toBe(true);
    const output = sql(harness.test.store.db, 'SELECT output FROM stages WHERE run_id = ?').get(
      runId,
    ) as { output: string };
    expect(JSON.parse(output.output)).toEqual({ first: { id: 'svc-1' }, second: { weight: 5 } });
  });

  it('keeps a retry timer across a restart: the new engine re-schedules it from next_attempt_at', async () => {
    let failures = 1;
    const attempts: number[] = [];
    const definition: RunDefinition = {
      kind: 'apply',
      stages: [
        {
          name: 'push',
          retry: { maxAttempts: 3, initialDelayMs: 4000, maxDelayMs: 4000 },
          run: (ctx) => {
            attempts.push(ctx.now());
            if (failures-- > 0) throw new RetryableStageError('registry busy');
            return 'pushed';
          },
        },
      ],
    };
    harness = engineHarness([definition]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor,
    });
    await harness.settle();
    await harness.restart();
    await harness.settle();
    expect(showRun(harness.test.store.db, runId).status).toBe('running');
    expect(await harness.nextTimer()).toBe(true);
    expect(showRun(harness.test.store.db, runId).status).toBe('done');
    expect(attempts[1]! - attempts[0]!).toBe(2000);
  });
});
