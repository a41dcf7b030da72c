/**
 * Sprint runs on the real run engine, store and release run, with the release harness's fake
 * target and manual clock (test doubles of Docker + HAProxy + Prometheus, see
 * engine/agents/release/testing) and a stand-in apply run (the real one builds images with
 * Docker; its contract here is only "a run whose stages end done"). The ports are the
 * contract's operations answered from these; no network traffic: synthetic users are counted,
 * not sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunEngine, showRun, stageOutputs, splitRemedy, type RunInfo } from '../../runs/index.ts';
import { ManualClock } from '../../runs/testing/manual-clock.ts';
import { RecordingAuditSink } from '../../runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../runs/testing/test-store.ts';
import { Redactor } from '../../secrets/redact.ts';
import { getRelease, releaseIdOf, releaseRun, type ReleaseAgentOptions } from '../release/index.ts';
import { fakeTarget, RELEASE_INPUT } from '../release/testing/release-harness.ts';
import type { SprintPorts } from './ports.ts';
import { sprintRun } from './sprint-run.ts';
import type { SprintSummary } from './sprint-summary.ts';

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
  const audit = new RecordingAuditSink();
  const targets = new Map<string, ReturnType<typeof fakeTarget>>();
  const releaseOptions: ReleaseAgentOptions = {
    db,
    audit,
    target: async (scope) => {
      if (!targets.has(scope.projectId)) targets.set(scope.projectId, fakeTarget([]));
      return targets.get(scope.projectId)!.target;
    },
    gate: () => ({ allow: true, deny: [] }),
    clock,
    log: () => {},
  };
  const traffic = { started: 0, stopped: 0 };
  /** A person's approval, as the store would hold it once given. */
  const approvals = new Map<string, boolean>();
  const ports: SprintPorts = {
    generatePlan: async (projectId) => ({
      blueprintId: `bp_${projectId}`,
      version: 1,
      planHash: 'a'.repeat(64),
      artifacts: 3,
      artifactsDir: `/artifacts/${projectId}`,
      questions: [],
    }),
    approve: async (plan, selfApproval) => ({
      approvalId: `apr_${plan.blueprintId}`,
      blueprintId: plan.blueprintId,
      planHash: plan.planHash,
      approver: 'usr_operator',
      selfApproval,
    }),
    approvalSince: (projectId) =>
      approvals.get(projectId)
        ? {
            approvalId: `apr_person_${projectId}`,
            blueprintId: `bp_${projectId}`,
            planHash: 'a'.repeat(64),
            approver: 'usr_reviewer',
            selfApproval: false,
          }
        : null,
    importAdvisories: async () => ({ stored: 0, advisoriesKnown: 0 }),
    apply: async ({ projectId }) => ({
      runId: engine!.submit({ projectId, kind: 'apply', actor: { user: 'usr_operator' } }).runId,
      version: 'v2',
      branch: 'prodsprint/blueprint-v1',
      warnings: [],
    }),
    run: async (runId) => showRun(db, runId),
    runOutputs: async (runId) => stageOutputs(db, runId),
    createRelease: async ({ projectId, version }) => {
      const { runId } = engine!.submit({
        projectId,
        kind: 'release',
        actor: { user: 'usr_operator' },
        input: { ...RELEASE_INPUT, version, image: `local/app:${version}` },
      });
      return { releaseId: releaseIdOf(runId), runId };
    },
    release: async (releaseId) => {
      const release = getRelease(db, releaseId);
      return release
        ? {
            releaseId,
            phase: release.phase,
            trafficPercent: release.trafficPercent,
            stableVersion: release.detail.stableVersion,
            steps: release.detail.steps.length,
            decisions: release.detail.decisions,
            rollbackReason: release.detail.rollbackReason,
          }
        : null;
    },
    prodEndpoint: async () => ({ url: 'http://127.0.0.1:9', path: '/healthz' }),
    startTraffic: () => {
      traffic.started += 1;
      return {
        stop: async () => {
          traffic.stopped += 1;
          return { requests: 100, failures: 0, connectionErrors: 0 };
        },
      };
    },
    exportBundle: async (outFile) => ({ file: outFile }),
    verifyBundle: async () => ({ ok: true, entries: 1 }),
    bundlesDir: '/bundles',
  };
  engine = new RunEngine({
    db,
    audit,
    redactor: new Redactor(),
    clock,
    resyncMs: 0,
    workers: WORKERS,
    definitions: [
      sprintRun({ ports: () => ports, splitRemedy }),
      releaseRun(releaseOptions),
      {
        kind: 'apply',
        stages: [
          { name: 'build', run: () => ({ image: 'local/app:v2' }) },
          { name: 'staging', needs: ['build'], run: () => ({ url: 'http://127.0.0.1:9' }) },
        ],
      },
    ],
  });
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
  return { db, engine, step, traffic, approvals, test };
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
