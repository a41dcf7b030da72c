/**
 * Shared by the release-orchestration tests: a run engine on a temp store driving the release
 * and rollback runs against the real release stack (dockerd, HAProxy, Prometheus on 127.0.0.1),
 * short analysis windows on a 1 s scrape, and a bounded wait for a run to end.
 */
import { RunEngine, isTerminal, showRun, type RunInfo } from '../../engine/runs/index.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { openTestStore, type TestStore } from '../../engine/runs/testing/test-store.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import {
  getRelease,
  releaseIdOf,
  releaseRun,
  rollbackRun,
  type GateDecision,
  type Release,
  type ReleaseAgentOptions,
  type ReleaseRequest,
} from '../../engine/agents/release/index.ts';
import { listInstances } from '../../engine/targets/docker/containers.ts';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import type { ReleaseStack } from '../release/release-stack.ts';

export const skipReason = dockerUnavailableReason();
// CI installs docker.io (scripts/setup.sh), so there a missing engine is a failure, not a skip.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the docker release tests, but: ${skipReason}`);

/** Thresholds of the tests' "budget": v3's 20% errors and 300 ms p95 breach both. */
export const THRESHOLDS = { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 15 };

/** A release of a sample-app version with short windows (4 s + 2 s settle, 1 s scrape). */
export function releaseOf(
  version: 'v1' | 'v2' | 'v3',
  stableVersion: string,
  extra: Partial<ReleaseRequest> = {},
): ReleaseRequest {
  const app = sampleAppVersion(version);
  return {
    environment: 'prod',
    version,
    image: app.image,
    env: app.env,
    stableVersion,
    steps: [25, 50, 100],
    analysisWindowSeconds: 4,
    settleSeconds: 2,
    maxInconclusive: 3,
    thresholds: THRESHOLDS,
    ...extra,
  };
}

/** The policy gate is another engineer's work in progress: these tests use an allow-all stub. */
export const allowAll = (): GateDecision => ({ allow: true, deny: [] });

export interface Orchestrator {
  engine: RunEngine;
  test: TestStore;
  projectId: string;
  submit(kind: 'release' | 'rollback', input: unknown): string;
  finish(runId: string, maxMs?: number): Promise<RunInfo>;
  release(runId: string): Release;
  close(): Promise<void>;
}

/** An engine driving both runs against `stack`; `extra` overrides options (e.g. a smoke check). */
export function startOrchestrator(
  stack: ReleaseStack,
  extra: Partial<ReleaseAgentOptions> = {},
): Orchestrator {
  const test = openTestStore();
  const audit = new RecordingAuditSink();
  const options = { db: test.store.db, audit, target: stack.target, gate: allowAll, ...extra };
  const engine = new RunEngine({
    db: test.store.db,
    definitions: [releaseRun(options), rollbackRun(options)],
    audit,
    redactor: new Redactor(),
  });
  engine.start();
  const projectId = test.project();
  return {
    engine,
    test,
    projectId,
    submit: (kind, input) =>
      engine.submit({ projectId, kind, input, actor: { user: 'tester' } }).runId,
    finish: (runId, maxMs = 90_000) => waitForRun(test, runId, maxMs),
    release: (runId) => mustRelease(test, runId),
    close: async () => {
      await engine.stop();
      test.dispose();
    },
  };
}

export async function waitForRun(test: TestStore, runId: string, maxMs: number): Promise<RunInfo> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const info = showRun(test.store.db, runId);
    if (isTerminal(info.status)) return info;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${info.status} after ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function mustRelease(test: TestStore, runId: string): Release {
  const release = getRelease(test.store.db, releaseIdOf(runId));
  if (!release) throw new Error(`no release for run ${runId}`);
  return release;
}

/** Versions with containers in the stack's project (running or not). */
export async function deployedVersions(stack: ReleaseStack): Promise<string[]> {
  const instances = await listInstances(stack.engine.docker, stack.target.scope);
  return [...new Set(instances.map((i) => i.version))].sort();
}
