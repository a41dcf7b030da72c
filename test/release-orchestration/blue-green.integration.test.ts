/**
 * Issue 9 acceptance, blue/green: the new version is deployed as a preview at 0%, smoke-tested
 * directly on its container address, switched 0 → 100 and analysed; the old set stays warm, so
 * a rollback (asked by a person, or automatic when the new set is unhealthy) is one traffic
 * switch back. A steady client sees zero connection errors through every switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseIdOf } from '../../engine/agents/release/index.ts';
import { listInstances } from '../../engine/targets/docker/containers.ts';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { startSteadyClient, type SteadyClient } from '../release/load.ts';
import { APP_PORT, startReleaseStack, type ReleaseStack } from '../release/release-stack.ts';
import {
  deployedVersions,
  releaseOf,
  skipReason,
  startOrchestrator,
  type Orchestrator,
} from './orchestration.ts';

describe.skipIf(skipReason !== undefined)('release orchestration: blue/green', () => {
  let stack: ReleaseStack;
  let orchestrator: Orchestrator;
  let steady: SteadyClient | undefined;
  const smoked: string[] = [];

  /** The smoke check: every instance of the preview answers a request directly, as its own version. */
  const smoke = async (version: string): Promise<boolean> => {
    const instances = await listInstances(stack.engine.docker, stack.target.scope, version);
    for (const instance of instances) {
      const address = instance.addresses[stack.target.networkName];
      const response = await fetch(`http://${address}:${APP_PORT}/`, {
        signal: AbortSignal.timeout(3000),
      });
      await response.arrayBuffer();
      if (!response.ok || response.headers.get('x-app-version') !== version) return false;
    }
    smoked.push(version);
    return instances.length > 0;
  };

  beforeAll(async () => {
    stack = await startReleaseStack('rel-bg');
    await stack.target.deploy(sampleAppVersion('v1'));
    await stack.target.setTraffic({ v1: 100 });
    orchestrator = startOrchestrator(stack, { smoke });
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

  let v2Run = '';

  it('given v1 serving, when v2 is released blue/green, then it switches 0 → 100 and keeps v1 warm', async () => {
    const runId = orchestrator.submit('release', releaseOf('v2', 'v1', { strategy: 'blue-green' }));
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(smoked).toEqual(['v2']);
    expect(release.phase, JSON.stringify(release.detail.decisions)).toBe('promoted');
    expect(release.detail.steps.map((s) => s.weights)).toEqual([{ v2: 100, v1: 0 }]);
    expect(await stack.target.traffic()).toEqual({ v1: 0, v2: 100 });
    expect(await deployedVersions(stack)).toEqual(['v1', 'v2']);
    v2Run = runId;
  });

  it('when a person rolls the v2 release back, then traffic is on warm v1 and v2 is stopped', async () => {
    const runId = orchestrator.submit('rollback', {
      releaseId: releaseIdOf(v2Run),
      reason: 'operator: wrong build',
    });
    const run = await orchestrator.finish(runId, 60_000);
    expect(run.status, run.reason ?? '').toBe('done');
    const release = orchestrator.release(v2Run);
    expect(release.phase).toBe('rolled-back');
    expect(release.detail.decisions.at(-1)?.reason).toMatch(/traffic back to v1, v2 stopped/);
    expect(await stack.target.traffic()).toEqual({ v1: 100 });
    expect(await deployedVersions(stack)).toEqual(['v1']);
  });

  it('given v1 serving, when v3 is switched to blue/green and breaks, then it rolls back to warm v1 by itself', async () => {
    const runId = orchestrator.submit('release', releaseOf('v3', 'v1', { strategy: 'blue-green' }));
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(release.phase).toBe('rolled-back');
    expect(release.detail.rollbackReason).toMatch(/^unhealthy: /);
    expect(release.detail.samples.at(-1)?.evaluation.verdict).toBe('unhealthy');
    expect(await stack.target.traffic()).toEqual({ v1: 100 });
    expect(await deployedVersions(stack)).toEqual(['v1']);

    const stats = await steady!.stop();
    expect(stats.errorMessages).toEqual([]);
    expect(stats.connectionErrors).toBe(0);
    expect(Object.keys(stats.byStatus).filter((c) => c !== '200' && c !== '500')).toEqual([]);
  });
});
