/**
 * Sprint runs on the real run engine, store and release run, with fake targets, a stand-in
 * apply run and a manual clock (testing/sprint-harness.ts says what each double stands for).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { showRun, stageOutputs, type RunEngine, type RunInfo } from '../../runs/index.ts';
import { ManualClock } from '../../runs/testing/manual-clock.ts';
import { RecordingAuditSink } from '../../runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../runs/testing/test-store.ts';
import type { SprintSummary } from './sprint-summary.ts';
import { sprintHarness } from './testing/sprint-harness.ts';

const WORKERS = 4;
let test: TestStore | undefined;
let engine: RunEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  test?.dispose();
  engine = undefined;
  test = undefined;
});

function harness() {
  test = openTestStore();
  const db = test.store.db;
  const clock = new ManualClock();
  const h = sprintHarness({ db, audit: new RecordingAuditSink(), clock, workers: WORKERS });
  engine = h.engine;
  engine.start();
  /** Lets the engine settle, then moves the clock to its next timer; false when none is left. */
  const step = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    await engine!.whenIdle();
    const at = clock.nextTimerAt();
    if (at === null) return false;
    clock.advance(at - clock.now());
    return true;
  };
  return { db, engine: h.engine, step, traffic: h.traffic, approvals: h.approvals, test };
}

describe('sprint runs', () => {
  it(`given 20 sprints and ${WORKERS} workers, when they run, then all promote, their canaries overlap (waiting holds no worker) and none is starved`, async () => {
    const h = harness();
    const sprintIds = Array.from({ length: 20 }, () =>
      h.engine.submit({
        projectId: h.test.project(),
        kind: 'sprint',
        actor: { user: 'usr_operator' },
        input: { selfApprove: true, windowSeconds: 5 },
      }),
    ).map((run) => run.runId);
    const sprints = () => sprintIds.map((id) => showRun(h.db, id));
    let mostReleasing = 0;
    for (let round = 0; round < 5000; round++) {
      const now = sprints();
      const releasing = now.filter(
        (s) => s.stages.find((stage) => stage.name === 'release')?.waiting,
      ).length;
      mostReleasing = Math.max(mostReleasing, releasing);
      if (now.every((s) => s.status !== 'running' && s.status !== 'pending')) break;
      if (!(await h.step())) break;
    }
    const finished: RunInfo[] = sprints();
    expect(finished.map((s) => `${s.runId} ${s.status} ${s.reason ?? ''}`)).toEqual(
      sprintIds.map((id) => `${id} done `),
    );
    // More canaries in flight at once than there are workers: a waiting stage holds none.
    expect(mostReleasing).toBeGreaterThan(WORKERS);
    for (const id of sprintIds) {
      const summary = stageOutputs(h.db, id).evidence as SprintSummary;
      expect(summary.outcome).toBe('promoted');
      expect(summary.rollout?.decisions.map((d) => d.action)).toEqual(['next', 'next', 'promote']);
    }
    // Each sprint drove synthetic users during its canary and stopped them when it ended.
    expect(h.traffic).toEqual({ started: 20, stopped: 20 });
  });

  it('given a sprint without self-approval, when nobody approves, then it waits in approval without a worker, and an approval plus wake resumes it', async () => {
    const h = harness();
    const projectId = h.test.project();
    const { runId } = h.engine.submit({
      projectId,
      kind: 'sprint',
      actor: { user: 'usr_operator' },
      input: {},
    });
    await h.step();
    const waiting = showRun(h.db, runId);
    expect(waiting.status).toBe('running');
    expect(waiting.stages.find((s) => s.name === 'approval')).toMatchObject({
      status: 'pending',
      waiting: true,
      reason: `awaiting approval of plan bp_${projectId} (hash ${'a'.repeat(64)})`,
    });
    expect(waiting.stages.find((s) => s.name === 'apply')?.status).toBe('pending');

    h.approvals.set(projectId, true);
    h.engine.wake(runId);
    for (let round = 0; round < 2000 && showRun(h.db, runId).status === 'running'; round++)
      await h.step();
    expect(showRun(h.db, runId).status).toBe('done');
    const summary = stageOutputs(h.db, runId).evidence as SprintSummary;
    expect(summary).toMatchObject({ approvalId: `apr_person_${projectId}`, selfApproved: false });
  });
});
