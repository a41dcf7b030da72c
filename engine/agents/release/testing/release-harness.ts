/**
 * The release and rollback runs on the real run engine and store, against a scripted fake
 * target and a manual clock: the reconcile logic alone, fast and deterministic. The fake target
 * is a test double standing in for Docker + HAProxy + Prometheus (the Target contract in
 * engine/targets/target.ts), so each analysis window's verdict can be scripted; the
 * real-component runs are in test/release.
 */
import { RunEngine, showRun, type RunInfo } from '../../../runs/index.ts';
import { ManualClock } from '../../../runs/testing/manual-clock.ts';
import { RecordingAuditSink } from '../../../runs/testing/recording-audit-sink.ts';
import { openTestStore } from '../../../runs/testing/test-store.ts';
import { Redactor } from '../../../secrets/redact.ts';
import type { Db } from '../../../store/database.ts';
import type {
  HealthReport,
  Target,
  TrafficWeights,
  VersionHealth,
} from '../../../targets/target.ts';
import { releaseRun, rollbackRun, type ReleaseAgentOptions } from '../index.ts';

/** One analysis window of the new version (v2): healthy, erroring, or no responses at all. */
export type Verdict = 'good' | 'bad' | 'none';

/** A canary of v2 over a stable v1 in three steps; tests spread their own fields over it. */
export const RELEASE_INPUT = {
  environment: 'prod',
  version: 'v2',
  image: 'local/app:v2',
  stableVersion: 'v1',
  steps: [10, 50, 100],
  analysisWindowSeconds: 5,
  settleSeconds: 1,
  maxInconclusive: 2,
  thresholds: { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 20 },
};

/** Records every call that changes something; windows past the script are healthy. */
export function fakeTarget(script: Verdict[]) {
  const calls: string[] = [];
  let traffic: TrafficWeights = { v1: 100 };
  const sample = (version: string, verdict: Verdict): VersionHealth => ({
    version,
    requests: verdict === 'none' ? 0 : 100,
    errorRate: verdict === 'bad' ? 0.2 : verdict === 'good' ? 0 : undefined,
    p95Seconds: verdict === 'none' ? undefined : 0.01,
    meanSessions: 1,
    missing: verdict === 'none' ? ['no responses'] : [],
  });
  const target: Target = {
    kind: 'docker',
    provision: async () => {},
    deploy: async (spec) => {
      calls.push(`deploy ${spec.version}`);
      return { version: spec.version, changed: true, instances: ['x'] };
    },
    setTraffic: async (weights) => {
      calls.push(`traffic ${JSON.stringify(weights)}`);
      traffic = weights;
      return weights;
    },
    traffic: async () => traffic,
    health: async (windowSeconds): Promise<HealthReport> => ({
      windowSeconds,
      at: new Date().toISOString(),
      versions: { v2: sample('v2', script.shift() ?? 'good') },
    }),
    promote: async () => traffic,
    rollback: async () => traffic,
    retire: async (version) => {
      calls.push(`retire ${version}`);
    },
    teardown: async () => {},
  };
  return { target, calls };
}

export interface ReleaseHarness {
  engine: RunEngine;
  fake: ReturnType<typeof fakeTarget>;
  projectId: string;
  db: Db;
  clock: ManualClock;
  audit: RecordingAuditSink;
  /** The environment of every release the target was resolved for. */
  scopes: string[];
  /** Lets the engine settle, then moves the clock to its next timer. */
  step(): Promise<void>;
  /** Steps until `ok()` holds; bounded, so a stuck run fails the test by name. */
  until(what: string, ok: () => boolean): Promise<void>;
  /** Steps until the run is terminal and returns it. */
  finish(runId: string): Promise<RunInfo>;
  dispose(): Promise<void>;
}

/** Starts the engine with both release runs; `dispose()` stops it and removes the store. */
export function startReleaseHarness(
  script: Verdict[],
  extra: Partial<ReleaseAgentOptions> = {},
): ReleaseHarness {
  const test = openTestStore();
  const clock = new ManualClock();
  const audit = new RecordingAuditSink();
  const fake = fakeTarget(script);
  const scopes: string[] = [];
  const options: ReleaseAgentOptions = {
    db: test.store.db,
    audit,
    target: async (scope) => {
      scopes.push(scope.environment);
      return fake.target;
    },
    gate: () => ({ allow: true, deny: [] }),
    clock,
    log: () => {},
    ...extra,
  };
  const engine = new RunEngine({
    db: test.store.db,
    definitions: [releaseRun(options), rollbackRun(options)],
    audit,
    redactor: new Redactor(),
    clock,
    resyncMs: 0,
  });
  engine.start();
  const projectId = test.project();
  const db = test.store.db;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  // Not whenIdle(): a stage waiting on the manual clock keeps the engine busy until it moves.
  const step = async () => {
    await tick();
    const at = clock.nextTimerAt();
    if (at !== null) clock.advance(at - clock.now());
  };
  const until = async (what: string, ok: () => boolean) => {
    for (let round = 0; round < 400; round++) {
      if (ok()) return;
      await step();
    }
    throw new Error(`never: ${what}`);
  };
  const finish = async (runId: string): Promise<RunInfo> => {
    let info = showRun(db, runId);
    await until(`run ${runId} ends`, () => {
      info = showRun(db, runId);
      return ['done', 'error', 'blocked', 'cancelled'].includes(info.status);
    });
    return info;
  };
  const dispose = async () => {
    await engine.stop();
    test.dispose();
  };
  return { engine, fake, projectId, db, clock, audit, scopes, step, until, finish, dispose };
}
