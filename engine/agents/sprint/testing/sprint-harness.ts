/**
 * Sprint runs on the real run engine, store and release run, with the release harness's fake
 * target (a test double of Docker + HAProxy + Prometheus: the Target contract in
 * engine/targets/target.ts) and a stand-in apply run (the real one builds images with Docker;
 * its contract here is only "a run whose stages end done"). The sprint's ports answer as the
 * contract's operations would, from these; synthetic users are counted, never sent.
 */
import { RunEngine, showRun, stageOutputs } from '../../../runs/index.ts';
import type { Clock } from '../../../runs/index.ts';
import type { AuditSink } from '../../../audit/audit-sink.ts';
import { Redactor } from '../../../secrets/redact.ts';
import type { Db } from '../../../store/database.ts';
import type { Target } from '../../../targets/target.ts';
import {
  getRelease,
  releaseIdOf,
  releaseRun,
  type ReleaseAgentOptions,
} from '../../release/index.ts';
import { fakeTarget, RELEASE_INPUT } from '../../release/testing/release-harness.ts';
import type { SprintPorts } from '../ports.ts';
import { sprintRun } from '../sprint-run.ts';

export interface SprintHarnessOptions {
  db: Db;
  audit: AuditSink;
  clock?: Clock;
  workers: number;
  /** Periodic resync of the engine (0: none, for a manual clock). */
  resyncMs?: number;
  /** Wraps each project's fake target, e.g. to write its calls to a ledger file. */
  wrapTarget?: (target: Target) => Target;
  /** The canary each sprint releases with (the release harness's three-step canary by default). */
  release?: Partial<typeof RELEASE_INPUT>;
}

export interface SprintHarness {
  engine: RunEngine;
  traffic: { started: number; stopped: number };
  /** A person's approval of the project's plan, as the store would hold it once given. */
  approvals: Map<string, boolean>;
}

export function sprintHarness(options: SprintHarnessOptions): SprintHarness {
  const { db } = options;
  const targets = new Map<string, Target>();
  const releaseOptions: ReleaseAgentOptions = {
    db,
    audit: options.audit,
    target: async (scope) => {
      if (!targets.has(scope.projectId)) {
        const { target } = fakeTarget([]);
        targets.set(scope.projectId, options.wrapTarget ? options.wrapTarget(target) : target);
      }
      return targets.get(scope.projectId)!;
    },
    gate: () => ({ allow: true, deny: [] }),
    ...(options.clock ? { clock: options.clock } : {}),
    log: () => {},
  };
  const traffic = { started: 0, stopped: 0 };
  const approvals = new Map<string, boolean>();
  // The ports submit child runs to the engine they are part of: made below, used later.
  const self: { engine?: RunEngine } = {};
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
      runId: self.engine!.submit({ projectId, kind: 'apply', actor: { user: 'usr_operator' } })
        .runId,
      version: 'v2',
      branch: 'prodsprint/blueprint-v1',
      warnings: [],
    }),
    run: async (runId) => showRun(db, runId),
    runOutputs: async (runId) => stageOutputs(db, runId),
    createRelease: async ({ projectId, version }) => {
      const { runId } = self.engine!.submit({
        projectId,
        kind: 'release',
        actor: { user: 'usr_operator' },
        input: { ...RELEASE_INPUT, ...options.release, version, image: `local/app:${version}` },
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
  const engine = new RunEngine({
    db,
    audit: options.audit,
    redactor: new Redactor(),
    ...(options.clock ? { clock: options.clock } : {}),
    resyncMs: options.resyncMs ?? 0,
    workers: options.workers,
    definitions: [
      sprintRun({ ports: () => ports }),
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
  self.engine = engine;
  return { engine, traffic, approvals };
}
