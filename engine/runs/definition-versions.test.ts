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

/** A run that waits in `hold` until the test lets it go, then `finish`. */
function holdingRun(version: number, finish: string[], release: { go: boolean }): RunDefinition {
  return {
    kind: 'sprint',
    version,
    stages: [
      {
        name: 'hold',
        run: (ctx) => (release.go ? 'held' : ctx.requeueAt(ctx.now() + 1000, 'held')),
      },
      { name: `finish-v${version}`, needs: ['hold'], run: () => void finish.push(`v${version}`) },
    ],
  };
}

describe('run definition versions', () => {
  it('given a run in flight under version 1, when the engine restarts with versions 1 and 2, then it finishes under 1 while new runs take 2', async () => {
    const finished: string[] = [];
    const release = { go: false };
    harness = engineHarness([holdingRun(1, finished, release)]);
    const projectId = harness.test.project();
    const old = harness.engine.submit({ projectId, kind: 'sprint', actor });
    await harness.settle();

    await harness.restart([holdingRun(1, finished, release), holdingRun(2, finished, release)]);
    const fresh = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    release.go = true;
    harness.engine.wake(old.runId);
    harness.engine.wake(fresh.runId);
    await harness.settle();
    expect(showRun(harness.test.store.db, old.runId).stages.map((s) => s.name)).toEqual([
      'hold',
      'finish-v1',
    ]);
    expect(showRun(harness.test.store.db, fresh.runId).stages.map((s) => s.name)).toEqual([
      'hold',
      'finish-v2',
    ]);
    expect(finished.sort()).toEqual(['v1', 'v2']);
  });

  it('given a run of a version this build no longer has, when the engine reconciles it, then it fails closed saying which versions it has', async () => {
    const release = { go: false };
    harness = engineHarness([holdingRun(1, [], release)]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'sprint',
      actor,
    });
    await harness.settle();
    await harness.restart([holdingRun(2, [], release)]);
    harness.engine.wake(runId);
    await harness.settle();
    const info = showRun(harness.test.store.db, runId);
    expect(info.status).toBe('error');
    expect(info.reason).toMatch(/no version 1 of the sprint run definition \(it has 2\)/);
  });

  it('refuses two definitions of one kind with the same version', () => {
    const release = { go: false };
    expect(() => engineHarness([holdingRun(1, [], release), holdingRun(1, [], release)])).toThrow(
      /two run definitions for kind sprint version 1/,
    );
  });
});
