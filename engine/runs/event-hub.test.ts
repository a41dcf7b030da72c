import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from './run-records.ts';
import type { RunDefinition } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const definition: RunDefinition = {
  kind: 'apply',
  stages: [
    {
      name: 'render',
      run: (ctx) => {
        ctx.progress(50, 'rendered 3 of 6 templates');
        return null;
      },
    },
    { name: 'sign', needs: ['render'], run: () => null },
  ],
};

describe('event subscription', () => {
  it('gives a late subscriber the events after its cursor, then live ones, without gaps or repeats', async () => {
    harness = engineHarness([definition]);
    const projectId = harness.test.project();
    const { runId } = harness.engine.submit({
      projectId,
      kind: 'apply',
      actor: { user: 'usr_a' },
    });
    await harness.settle();
    const seen: RunEvent[] = [];
    const unsubscribe = harness.engine.subscribe(runId, 3, (event) => seen.push(event));
    expect(seen[0]!.seq).toBe(4);
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_, index) => index + 4));
    expect(seen.find((event) => event.status === 'progress')).toMatchObject({
      stage: 'render',
      percent: 50,
      message: 'rendered 3 of 6 templates',
    });
    unsubscribe();
  });

  it('streams a run until it finishes', async () => {
    harness = engineHarness([definition]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor: { user: 'usr_a' },
    });
    const statuses: string[] = [];
    for await (const event of harness.engine.events.stream(runId))
      statuses.push(`${event.stage ?? 'run'}:${event.status}`);
    expect(statuses).toEqual([
      'run:pending',
      'run:running',
      'render:running',
      'render:progress',
      'render:done',
      'sign:running',
      'sign:done',
      'run:done',
    ]);
  });

  it('keeps delivering when one subscriber throws', async () => {
    harness = engineHarness([definition]);
    harness.engine.events.subscribeAll(() => {
      throw new Error('broken subscriber');
    });
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'apply',
      actor: { user: 'usr_a' },
    });
    await harness.settle();
    expect(harness.events.filter((event) => event.runId === runId).at(-1)?.status).toBe('done');
    expect(harness.errors.length).toBeGreaterThan(0);
  });
});
