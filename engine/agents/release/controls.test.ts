/**
 * Manual controls, history-based risk, notifications and the hotfix hook, driven through the
 * real run engine and store against a scripted fake target and a manual clock (the reconcile
 * logic alone, testing/release-harness.ts; the real-component runs are in test/release).
 */
import type { WebhookEvent } from '../../webhooks/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getRelease,
  releaseIdOf,
  requestReleaseControl,
  ReleaseControlError,
  type ReleaseAgentOptions,
} from './index.ts';
import {
  RELEASE_INPUT,
  startReleaseHarness,
  type ReleaseHarness,
  type Verdict,
} from './testing/release-harness.ts';

const input = RELEASE_INPUT;

let harness: ReleaseHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function setUp(script: Verdict[], extra: Partial<ReleaseAgentOptions> = {}) {
  harness = startReleaseHarness(script, extra);
  const { engine, projectId, db, audit } = harness;
  const submit = (extraInput: Record<string, unknown> = {}) => {
    const { runId } = engine.submit({
      projectId,
      kind: 'release',
      input: { ...input, ...extraInput },
      actor: { user: 'u' },
    });
    return { runId, releaseId: releaseIdOf(runId) };
  };
  const release = (id: string) => getRelease(db, id)!;
  const control = (
    releaseId: string,
    action: 'promote' | 'pause' | 'resume' | 'abort',
    reason?: string,
  ) =>
    requestReleaseControl(db, audit, {
      releaseId,
      action,
      actor: 'alice',
      ...(reason ? { reason } : {}),
    });
  return { ...harness, submit, release, control };
}

describe('manual release controls', () => {
  it('pause holds the split while analysis goes on; resume continues to promotion', async () => {
    const t = setUp([]);
    const { runId, releaseId } = t.submit();
    await t.until('first split applied', () => t.release(releaseId)?.detail.appliedStep === 0);
    t.control(releaseId, 'pause', 'checking dashboards');
    // Three healthy windows while paused: each is a hold, none moves traffic.
    await t.until('three paused samples', () => t.release(releaseId).detail.samples.length >= 3);
    const paused = t.release(releaseId);
    expect(paused.phase).toBe('paused');
    expect(paused.trafficPercent).toBe(10);
    expect(paused.detail.decisions.filter((d) => d.action === 'hold').length).toBeGreaterThan(1);
    expect(paused.detail.decisions.at(-1)?.reason).toMatch(/holding at 10%: paused by alice/);
    expect(t.fake.calls.filter((c) => c.startsWith('traffic'))).toEqual([
      'traffic {"v2":10,"v1":90}',
    ]);
    t.control(releaseId, 'resume');
    expect((await t.finish(runId)).status).toBe('done');
    const done = t.release(releaseId);
    expect(done.phase).toBe('promoted');
    expect(done.detail.decisions.map((d) => [d.action, d.actor ?? null])).toEqual(
      expect.arrayContaining([
        ['pause', 'alice'],
        ['resume', 'alice'],
      ]),
    );
    expect(t.scopes.every((s) => s === 'prod')).toBe(true);
  });

  it('an unhealthy window during a pause still rolls back', async () => {
    const t = setUp(['bad']);
    const { runId, releaseId } = t.submit();
    await t.until('first split applied', () => t.release(releaseId)?.detail.appliedStep === 0);
    t.control(releaseId, 'pause');
    await t.finish(runId);
    const r = t.release(releaseId);
    expect(r.phase).toBe('rolled-back');
    expect(r.detail.rollbackReason).toMatch(/unhealthy/);
  });

  it('promote goes to 100% at once, recorded with the actor, without waiting for the window', async () => {
    const t = setUp([]);
    const { runId, releaseId } = t.submit();
    await t.until('first split applied', () => t.release(releaseId)?.detail.appliedStep === 0);
    const startedAt = t.clock.now();
    t.control(releaseId, 'promote', 'hotfix needed now');
    await t.finish(runId);
    const r = t.release(releaseId);
    expect(r.phase).toBe('promoted');
    expect(r.trafficPercent).toBe(100);
    // Noticed at the first one-second poll, not at the end of the 6 s window.
    expect(t.clock.now() - startedAt).toBeLessThanOrEqual(1000);
    expect(r.detail.samples).toEqual([]);
    expect(r.detail.decisions.at(-1)).toMatchObject({ action: 'promote', actor: 'alice' });
    expect(r.detail.decisions.at(-1)?.reason).toMatch(
      /promoted to 100% by alice: hotfix needed now/,
    );
    expect(t.fake.calls).toEqual([
      'deploy v2',
      'traffic {"v2":10,"v1":90}',
      'traffic {"v2":100,"v1":0}',
      'retire v1',
    ]);
  });

  it('abort sends traffic back to stable, stops the new version and ends aborted', async () => {
    const t = setUp([]);
    const { runId, releaseId } = t.submit();
    await t.until('first split applied', () => t.release(releaseId)?.detail.appliedStep === 0);
    t.control(releaseId, 'abort', 'wrong build');
    expect((await t.finish(runId)).status).toBe('done');
    const r = t.release(releaseId);
    expect(r.phase).toBe('aborted');
    expect(r.trafficPercent).toBe(0);
    expect(r.detail.rollbackReason).toBe('aborted by alice: wrong build');
    expect(r.detail.decisions.slice(-2).map((d) => [d.action, d.actor])).toEqual([
      ['abort', 'alice'],
      ['aborted', 'alice'],
    ]);
    expect(t.fake.calls.slice(-2)).toEqual(['traffic {"v1":100,"v2":0}', 'retire v2']);
    expect(t.audit.entries(t.db, `release:${releaseId}`)).toContainEqual(
      expect.objectContaining({ action: 'release.control.abort', actor: 'alice' }),
    );
  });

  it('refuses invalid transitions with a typed error the API can map to 409 / 404', async () => {
    const t = setUp([]);
    const { runId, releaseId } = t.submit();
    await t.until('first split applied', () => t.release(releaseId)?.detail.appliedStep === 0);
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as ReleaseControlError;
      }
      throw new Error('not refused');
    };
    const resume = refused(() => t.control(releaseId, 'resume'));
    expect(resume).toBeInstanceOf(ReleaseControlError);
    expect(resume.code).toBe('invalid-transition');
    expect(resume.message).toBe(
      `cannot resume release ${releaseId}: it is progressing; only a paused release can be resumed`,
    );
    t.control(releaseId, 'promote');
    expect(refused(() => t.control(releaseId, 'pause')).message).toMatch(
      /a promote by alice is already under way/,
    );
    await t.finish(runId);
    const promote = refused(() => t.control(releaseId, 'promote'));
    expect(promote.code).toBe('invalid-transition');
    expect(promote.phase).toBe('promoted');
    expect(refused(() => t.control(releaseId, 'abort')).message).toMatch(/use rollback/);
    expect(refused(() => t.control('rel_missing', 'pause')).code).toBe('not-found');
  });
});

describe('release history, notifications and hotfix', () => {
  it('counts the project’s recent failed releases into the risk score when the input does not say', async () => {
    const t = setUp(['bad']);
    const first = t.submit();
    await t.finish(first.runId);
    expect(t.release(first.releaseId).phase).toBe('rolled-back');
    const second = t.submit({ risk: {} });
    await t.finish(second.runId);
    expect(t.release(second.releaseId).detail.risk.factors.recentFailures).toBe(0.1);
    const given = t.submit({ risk: { recentFailures: 0 } });
    await t.finish(given.runId);
    expect(t.release(given.releaseId).detail.risk.factors.recentFailures).toBe(0);
  });

  it('notifies release.completed and policy.failed; a failed delivery is recorded, not fatal', async () => {
    const events: WebhookEvent[] = [];
    const t = setUp(['good', 'good', 'good'], {
      notify: async (event) => {
        events.push(event);
        if (event.type === 'release.completed') throw new Error('receiver down');
      },
    });
    const { runId, releaseId } = t.submit();
    expect((await t.finish(runId)).status).toBe('done');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'release.completed',
        id: `${releaseId}:release.completed:promoted`,
        data: expect.objectContaining({
          releaseId,
          version: 'v2',
          environment: 'prod',
          outcome: 'promoted',
        }),
      }),
    ]);
    expect(t.release(releaseId).phase).toBe('promoted');
    expect(t.release(releaseId).detail.notifications).toEqual([
      expect.objectContaining({
        type: 'release.completed',
        delivered: false,
        error: 'receiver down',
      }),
    ]);
  });

  it('policy.failed carries the gate reasons', async () => {
    const events: WebhookEvent[] = [];
    const t = setUp([], {
      gate: () => ({ allow: false, deny: ['frozen'], remediation: ['wait'] }),
      notify: async (event) => void events.push(event),
    });
    const { runId, releaseId } = t.submit();
    expect((await t.finish(runId)).status).toBe('blocked');
    expect(events[0]).toMatchObject({
      type: 'policy.failed',
      data: { releaseId, reasons: ['frozen'], remediation: ['wait'] },
    });
    expect(t.release(releaseId).detail.notifications?.[0]).toMatchObject({ delivered: true });
  });

  it('a rollback prepares the hotfix branch at last known good and records it', async () => {
    const asked: unknown[] = [];
    const t = setUp(['bad'], {
      hotfix: async (info) => {
        asked.push(info);
        return { branch: `hotfix/${info.version}-from-abc1234` };
      },
    });
    const { runId, releaseId } = t.submit();
    await t.finish(runId);
    const r = t.release(releaseId);
    expect(r.phase).toBe('rolled-back');
    expect(r.detail.hotfixBranch).toBe('hotfix/v2-from-abc1234');
    expect(asked).toEqual([
      expect.objectContaining({ version: 'v2', goodVersion: 'v1', releaseId }),
    ]);
  });
});
