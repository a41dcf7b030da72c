import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RunEngine } from './run-engine.ts';
import { showRun } from './run-info.ts';
import type { RunDefinition, StageContext } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

const actor = { user: 'usr_cli' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

let aborted: unknown;
const definition: RunDefinition = {
  kind: 'release',
  stages: [
    {
      name: 'deploy',
      run: (ctx: StageContext) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () =>
            reject((aborted = ctx.signal.reason as Error)),
          ),
        ),
    },
  ],
};

/** A second engine on the same database that is never started, as the CLI would hold one. */
function recorder(h: Harness): RunEngine {
  return new RunEngine({
    db: h.test.store.db,
    definitions: [definition],
    audit: h.audit,
    redactor: h.redactor,
    clock: h.clock,
  });
}

describe('an engine that is not started only records; the started one acts on it at its next resync', () => {
  it('given a submission and a cancel recorded by another engine, then the driver runs the run and aborts its stage', async () => {
    harness = engineHarness([definition], { resyncMs: 1000 });
    const cli = recorder(harness);
    const { runId } = cli.submit({ projectId: harness.test.project(), kind: 'release', actor });
    await cli.whenIdle();
    expect(showRun(harness.test.store.db, runId).status).toBe('pending');

    harness.clock.advance(1000);
    while (showRun(harness.test.store.db, runId).stages[0]!.status !== 'running') {
      await new Promise((resolve) => setImmediate(resolve));
    }

    cli.cancel(runId, actor, 'change freeze');
    expect(aborted).toBeUndefined();
    harness.clock.advance(1000);
    await harness.settle();
    expect(aborted).toMatchObject({ name: 'StageAbortedError', message: 'run cancelled' });
    expect(showRun(harness.test.store.db, runId).stages[0]!.status).toBe('cancelled');
  });

  it('given a run of a kind the driver has no definition for, then it ends in error instead of hanging', async () => {
    harness = engineHarness([{ kind: 'apply', stages: [{ name: 'apply', run: () => null }] }]);
    const cli = recorder(harness);
    const { runId } = cli.submit({ projectId: harness.test.project(), kind: 'release', actor });
    await harness.restart();
    await harness.settle();
    expect(showRun(harness.test.store.db, runId)).toMatchObject({
      status: 'error',
      reason: 'this engine has no definition for release runs',
    });
  });

  it('lets only one engine drive a data dir, and takes over the lock of a process that died', async () => {
    harness = engineHarness([definition]);
    const second = recorder(harness);
    expect(() => second.start()).toThrow(/already drives the runs of this data dir/);
    await harness.engine.stop();
    writeFileSync(`${harness.test.store.file}.runs-driver.lock`, '999999999');
    expect(() => second.start()).not.toThrow();
    await second.stop();
  });
});
