/**
 * Issue 9 acceptance, canary: against real dockerd, HAProxy and Prometheus, v1 → v2 ramps
 * 25 → 50 → 100 and promotes by itself; v2 → v3 (20% 5xx, slow) rolls back by itself at its
 * first analysis window: v3 at 0% and stopped, the release marked rolled back with the failing
 * samples. A steady client sees zero connection errors through every ramp and the rollback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { startSteadyClient, type SteadyClient } from '../release/load.ts';
import { startReleaseStack, type ReleaseStack } from '../release/release-stack.ts';
import {
  deployedVersions,
  releaseOf,
  skipReason,
  startOrchestrator,
  type Orchestrator,
} from './orchestration.ts';

describe.skipIf(skipReason !== undefined)('release orchestration: canary', () => {
  let stack: ReleaseStack;
  let orchestrator: Orchestrator;
  let steady: SteadyClient | undefined;

  beforeAll(async () => {
    stack = await startReleaseStack('rel-canary');
    await stack.target.deploy(sampleAppVersion('v1'));
    await stack.target.setTraffic({ v1: 100 });
    orchestrator = startOrchestrator(stack);
    steady = startSteadyClient(stack.haproxy.url, {
      concurrency: 2,
      pauseMs: 20,
      maxMs: 150_000,
      maxRequests: 30_000,
    });
  });

  afterAll(async () => {
    await steady?.stop();
    await orchestrator?.close();
    await stack?.close();
  });

  it('given v1 serving, when v2 is released as a canary, then it ramps and promotes by itself', async () => {
    const runId = orchestrator.submit('release', releaseOf('v2', 'v1'));
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(release.phase, JSON.stringify(release.detail.decisions)).toBe('promoted');
    expect(release.trafficPercent).toBe(100);
    // One healthy window per step at least; holds (too few responses yet) are recorded too.
    const healthySteps = release.detail.samples
      .filter((s) => s.evaluation.verdict === 'healthy')
      .map((s) => s.step);
    expect([...new Set(healthySteps)]).toEqual([0, 1, 2]);
    expect(release.detail.decisions.at(-1)?.action).toBe('promote');
    expect(await stack.target.traffic()).toEqual({ v2: 100 });
    expect(await deployedVersions(stack)).toEqual(['v2']);
  });

  it('given v2 serving, when v3 is released as a canary, then it rolls back by itself', async () => {
    const runId = orchestrator.submit(
      'release',
      releaseOf('v3', 'v2', { migration: { forwardOnly: true, id: '0042_add_column' } }),
    );
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(release.phase).toBe('rolled-back');
    expect(release.trafficPercent).toBe(0);
    expect(release.detail.rollbackReason).toMatch(/^unhealthy: /);
    const failing = release.detail.samples.filter((s) => s.evaluation.verdict === 'unhealthy');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing[0]?.step).toBe(0);
    expect(failing[0]?.sample?.errorRate).toBeGreaterThan(0.05);
    expect(release.detail.migration).toMatchObject({ forwardOnly: true, schemaReversed: false });
    expect(release.detail.decisions.at(-1)?.reason).toMatch(/schema not reversed/);
    // v3 at 0% and stopped: only v2 is routed and only v2 has containers.
    expect(await stack.target.traffic()).toEqual({ v2: 100 });
    expect(await deployedVersions(stack)).toEqual(['v2']);

    const stats = await steady!.stop();
    expect(stats.errorMessages).toEqual([]);
    expect(stats.connectionErrors).toBe(0);
    expect(stats.requests).toBeGreaterThan(0);
    // 500 is v3's own failure; any other non-200 would be the router failing a request.
    expect(Object.keys(stats.byStatus).filter((c) => c !== '200' && c !== '500')).toEqual([]);
  });
});
