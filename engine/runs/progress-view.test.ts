import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { formatEventLine, watchRun } from './progress-view.ts';
import { BlockedStageError } from './stage-errors.ts';
import type { RunDefinition } from './stage-definition.ts';
import { engineHarness, type Harness } from './testing/engine-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

const definition: RunDefinition = {
  kind: 'release',
  stages: [
    { name: 'staging', run: (ctx) => (ctx.progress(40, 'rolling out'), 'up') },
    {
      name: 'gate',
      needs: ['staging'],
      run: () => {
        throw new BlockedStageError('p95 latency 812 ms over the 500 ms budget');
      },
    },
    { name: 'promote', needs: ['gate'], run: () => 'promoted' },
  ],
};

describe('watchRun', () => {
  it('prints plain lines outside a terminal and resolves with how the run ended', async () => {
    harness = engineHarness([definition]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'release',
      actor: { user: 'usr_a' },
    });
    const out = collector();
    const ended = watchRun(harness.engine, runId, ['staging', 'gate', 'promote'], {
      stream: out.stream,
      tty: false,
    });
    await harness.settle();
    expect(await ended).toBe('blocked');
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^\\S+ ${runId} run pending 0% release run queued by usr_a$`),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(`${runId} staging progress 40% rolling out`),
    );
    expect(lines.at(-1)).toContain(`${runId} run blocked`);
  });

  it('drives a listr2 task per stage in a terminal', async () => {
    harness = engineHarness([definition]);
    const { runId } = harness.engine.submit({
      projectId: harness.test.project(),
      kind: 'release',
      actor: { user: 'usr_a' },
    });
    await harness.settle();
    const out = collector();
    const ended = await watchRun(harness.engine, runId, ['staging', 'gate', 'promote'], {
      stream: out.stream,
      tty: true,
      renderer: 'simple',
    });
    expect(ended).toBe('blocked');
    expect(out.text()).toContain('staging');
    expect(out.text()).toContain('p95 latency 812 ms over the 500 ms budget');
    expect(out.text()).toContain('not run (blocked)');
  });

  it('formats an event as one line', () => {
    expect(
      formatEventLine({
        runId: 'run_1',
        seq: 3,
        stage: null,
        status: 'done',
        percent: 100,
        message: '',
        at: '2026-01-01T00:00:00.000Z',
      }),
    ).toBe('2026-01-01T00:00:00.000Z run_1 run done 100%');
  });
});
