/**
 * The release run against a scripted fake target and a manual clock: the reconcile logic alone,
 * fast and deterministic (testing/release-harness.ts). The real-component scenarios are in
 * test/release.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEngine } from '../../runs/index.ts';
import { getRelease, releaseIdOf, type GateDecision } from './index.ts';
import {
  RELEASE_INPUT,
  startReleaseHarness,
  type ReleaseHarness,
  type Verdict,
} from './testing/release-harness.ts';

const input = RELEASE_INPUT;

let harness: ReleaseHarness | undefined;
let engine: RunEngine | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function setUp(script: Verdict[], gate?: () => GateDecision) {
  harness = startReleaseHarness(script, gate ? { gate } : {});
  engine = harness.engine;
  return harness;
}

describe('release run (fake target)', () => {
  it('given healthy windows, ramps step by step and promotes, retiring the old version', async () => {
    const { fake, projectId, db, finish } = setUp(['good', 'good', 'good']);
    const run = engine!.submit({ projectId, kind: 'release', input, actor: { user: 'u' } });
    expect((await finish(run.runId)).status).toBe('done');
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('promoted');
    expect(release.trafficPercent).toBe(100);
    expect(release.detail.samples.map((s) => s.evaluation.verdict)).toEqual([
      'healthy',
      'healthy',
      'healthy',
    ]);
    expect(fake.calls).toEqual([
      'deploy v2',
      'traffic {"v2":10,"v1":90}',
      'traffic {"v2":50,"v1":50}',
      'traffic {"v2":100,"v1":0}',
      'retire v1',
    ]);
  });

  it('given an unhealthy window, moves traffic back first, then stops the bad version', async () => {
    const { fake, projectId, db, finish } = setUp(['good', 'bad']);
    const run = engine!.submit({
      projectId,
      kind: 'release',
      input: { ...input, migration: { forwardOnly: true, id: '0007' } },
      actor: { user: 'u' },
    });
    expect((await finish(run.runId)).status).toBe('done');
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('rolled-back');
    expect(release.trafficPercent).toBe(0);
    expect(release.detail.rollbackReason).toMatch(/unhealthy: error rate 0.2 > 0.05/);
    expect(release.detail.migration).toEqual({
      forwardOnly: true,
      id: '0007',
      schemaReversed: false,
    });
    expect(release.detail.decisions.at(-1)?.reason).toMatch(/schema not reversed/);
    expect(fake.calls.slice(-2)).toEqual(['traffic {"v1":100,"v2":0}', 'retire v2']);
  });

  it('given a first release that goes unhealthy at 100%, stops it: nothing to send traffic back to', async () => {
    const { fake, projectId, db, finish } = setUp(['bad']);
    const { stableVersion: _none, ...firstRelease } = input;
    const run = engine!.submit({
      projectId,
      kind: 'release',
      input: firstRelease,
      actor: { user: 'u' },
    });
    expect((await finish(run.runId)).status).toBe('done');
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('rolled-back');
    expect(release.trafficPercent).toBe(0);
    expect(release.detail.decisions.at(-1)?.reason).toMatch(
      /^first release, nothing to go back to: v2 stopped: unhealthy/,
    );
    expect(fake.calls).toEqual(['deploy v2', 'traffic {"v2":100}', 'retire v2']);
  });

  it('given missing data, holds, then fails closed after N inconclusive windows', async () => {
    const { projectId, db, finish } = setUp(['none', 'none']);
    const run = engine!.submit({ projectId, kind: 'release', input, actor: { user: 'u' } });
    await finish(run.runId);
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('rolled-back');
    expect(release.detail.decisions.map((d) => d.action)).toEqual([
      'hold',
      'rollback',
      'rolled-back',
    ]);
    expect(release.detail.rollbackReason).toMatch(/2 inconclusive analysis windows/);
  });

  it('records a risk score from size, migrations and recent failures', async () => {
    const { projectId, db, finish } = setUp([]);
    const run = engine!.submit({
      projectId,
      kind: 'release',
      input: {
        ...input,
        risk: { linesChanged: 1000, recentFailures: 3 },
        migration: { forwardOnly: true },
      },
      actor: { user: 'u' },
    });
    await finish(run.runId);
    expect(getRelease(db, releaseIdOf(run.runId))!.riskScore).toBe(0.8);
  });

  it('a manual rollback run rolls a promoted release back', async () => {
    const { fake, projectId, db, finish } = setUp([]);
    const run = engine!.submit({
      projectId,
      kind: 'release',
      input: { ...input, strategy: 'blue-green' },
      actor: { user: 'u' },
    });
    await finish(run.runId);
    expect(getRelease(db, releaseIdOf(run.runId))!.phase).toBe('promoted');
    expect(fake.calls).not.toContain('retire v1'); // blue/green keeps the old set warm
    const rollback = engine!.submit({
      projectId,
      kind: 'rollback',
      input: { releaseId: releaseIdOf(run.runId), reason: 'operator saw errors' },
      actor: { user: 'u' },
    });
    expect((await finish(rollback.runId)).status).toBe('done');
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('rolled-back');
    expect(release.detail.rollbackReason).toBe('operator saw errors');
    expect(fake.calls.slice(-2)).toEqual(['traffic {"v1":100,"v2":0}', 'retire v2']);
  });

  it('a manual rollback during an analysis wait wins: the release run sees it and stops', async () => {
    const { fake, projectId, db, finish } = setUp(['good', 'good', 'good']);
    const run = engine!.submit({ projectId, kind: 'release', input, actor: { user: 'u' } });
    for (
      let i = 0;
      i < 200 && getRelease(db, releaseIdOf(run.runId))?.detail.appliedStep !== 0;
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 5));
    const rollback = engine!.submit({
      projectId,
      kind: 'rollback',
      input: { releaseId: releaseIdOf(run.runId) },
      actor: { user: 'u' },
    });
    expect((await finish(rollback.runId)).status).toBe('done');
    expect((await finish(run.runId)).status).toBe('done');
    const release = getRelease(db, releaseIdOf(run.runId))!;
    expect(release.phase).toBe('rolled-back');
    expect(release.detail.rollbackReason).toBe('manual rollback');
    expect(release.detail.samples).toEqual([]);
    expect(fake.calls.filter((c) => c.startsWith('traffic'))).toEqual([
      'traffic {"v2":10,"v1":90}',
      'traffic {"v1":100,"v2":0}',
    ]);
  });
});
