import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { completedEffects, runEffect, type EffectScope } from './effects.ts';
import { RunWriter } from './run-writer.ts';
import { submitRun } from './run-transitions.ts';
import { sql } from './statements.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { RecordingAuditSink } from './testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from './testing/test-store.ts';

let test: TestStore;
let writer: RunWriter;
let scope: EffectScope;
const live = new AbortController().signal;

beforeEach(() => {
  test = openTestStore();
  writer = new RunWriter({
    db: test.store.db,
    audit: new RecordingAuditSink(),
    redactor: new Redactor(),
    clock: new ManualClock(),
  });
  const projectId = test.project();
  const { result: runId } = writer.transact((tx) =>
    submitRun(tx, {
      projectId,
      kind: 'apply',
      input: {},
      actor: { user: 'u' },
      stages: [{ name: 'push', position: 0 }],
      definitionVersion: 1,
      capacity: 10,
      retryAfterMs: 1000,
    }),
  );
  scope = { projectId, runId, stage: 'push', attempt: 1 };
});
afterEach(() => test.dispose());

describe('runEffect', () => {
  it('records the key before the effect and answers a completed key from the store without calling it again', async () => {
    let calls = 0;
    const push = () => {
      const state = sql(test.store.db, 'SELECT state FROM idempotency_keys').get() as {
        state: string;
      };
      expect(state.state).toBe('started');
      return { digest: `sha256:${++calls}`, at: new Date(0) };
    };
    const first = await runEffect(writer, scope, 'push-image', push, live);
    const second = await runEffect(writer, scope, 'push-image', push, live);
    expect(calls).toBe(1);
    expect(second).toEqual(first);
    // Both answers went through JSON, so the caller sees the same value either way.
    expect(first).toEqual({ digest: 'sha256:1', at: '1970-01-01T00:00:00.000Z' });
  });

  it('calls the effect again with the same key when it was started but never completed (a crash mid-effect)', async () => {
    const tokens: string[] = [];
    await expect(
      runEffect(
        writer,
        scope,
        'tag',
        (key) => {
          tokens.push(key.token);
          throw new Error('process died here');
        },
        live,
      ),
    ).rejects.toThrow('process died here');
    await runEffect(writer, scope, 'tag', (key) => void tokens.push(key.token), live);
    expect(tokens).toEqual([
      `${scope.projectId}/${scope.runId}/push/1/tag`,
      `${scope.projectId}/${scope.runId}/push/1/tag`,
    ]);
  });

  it('gives another attempt its own key', async () => {
    let calls = 0;
    await runEffect(writer, scope, 'tag', () => ++calls, live);
    await runEffect(writer, { ...scope, attempt: 2 }, 'tag', () => ++calls, live);
    expect(calls).toBe(2);
    expect(
      completedEffects(test.store.db, scope.runId, 'push').map((effect) => [
        effect.attempt,
        effect.result,
      ]),
    ).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('refuses to start an effect once the stage was aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    let called = false;
    await expect(
      runEffect(writer, scope, 'tag', () => (called = true), controller.signal),
    ).rejects.toThrow('run cancelled');
    expect(called).toBe(false);
    expect(sql(test.store.db, 'SELECT count(*) AS n FROM idempotency_keys').get()).toEqual({
      n: 0,
    });
  });
});
