/**
 * Issue 9, manual controls and notifications on real components: dockerd, HAProxy and
 * Prometheus on 127.0.0.1 (release-stack.ts), the real baseline policy pack as the gate, and a
 * real HTTP receiver on 127.0.0.1 that checks each webhook's HMAC. A paused canary holds its
 * split through healthy windows, a manual promote takes it to 100%, an abort sends traffic back
 * and stops the new version, a missing approval fails the policy; each end is a signed webhook.
 * A steady client sees zero connection errors throughout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getRelease,
  policyReleaseGate,
  releaseIdOf,
  requestReleaseControl,
  webhookNotifier,
  type ReleaseScope,
} from '../../engine/agents/release/index.ts';
import { readPackDir } from '../../engine/policy/gates/pack-files.ts';
import { loadPack } from '../../engine/policy/gates/pack.ts';
import { RecordingAuditSink } from '../../engine/runs/testing/recording-audit-sink.ts';
import { Redactor } from '../../engine/secrets/redact.ts';
import { verifyWebhook } from '../../engine/webhooks/index.ts';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import {
  deployedVersions,
  releaseOf,
  skipReason,
  startOrchestrator,
  type Orchestrator,
} from '../release-orchestration/orchestration.ts';
import { startSteadyClient, type SteadyClient } from './load.ts';
import { startReleaseStack, type ReleaseStack } from './release-stack.ts';

const SECRET = 'whsec-controls-0123456789abcdef';

interface Delivery {
  verified: boolean;
  body: { id: string; type: string; data: Record<string, unknown> };
}

/** A webhook receiver on 127.0.0.1 that verifies every delivery's HMAC. */
async function startReceiver(): Promise<{ server: Server; url: string; got: Delivery[] }> {
  const got: Delivery[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const verified = verifyWebhook(
      SECRET,
      body,
      req.headers['x-prodsprint-timestamp'] as string | undefined,
      req.headers['x-prodsprint-signature'] as string | undefined,
    );
    got.push({ verified, body: JSON.parse(body) as Delivery['body'] });
    res.writeHead(verified ? 204 : 401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, got };
}

async function until(what: string, ok: () => boolean, maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${maxMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Records into the same connection as the orchestrator's sink (a TEMP table), like it.
const audit = new RecordingAuditSink();
const approved = { approvals: [{ environment: 'prod', by: 'lead' }] };

describe.skipIf(skipReason !== undefined)('release controls and webhooks (real stack)', () => {
  let stack: ReleaseStack;
  let orchestrator: Orchestrator;
  let steady: SteadyClient | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const scopes: ReleaseScope[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startReleaseStack('rel-controls');
    await stack.target.deploy(sampleAppVersion('v1'));
    await stack.target.setTraffic({ v1: 100 });
    const pack = loadPack(await readPackDir(join(import.meta.dirname, '../../policies/baseline')));
    orchestrator = startOrchestrator(stack, {
      // Per-release target, resolved from the release's scope.
      target: async (scope) => {
        scopes.push(scope);
        return stack.target;
      },
      gate: policyReleaseGate({
        pack,
        requiredApprovals: { prod: 1 },
        evidence: {
          coverage: { linesPct: 90, threshold: null, thresholdSource: 'pack' },
          sbom: { present: true, format: 'CycloneDX 1.6', components: 3 },
          vulns: [],
          perf: { p95Ms: 50, errorRate: 0, budget: { p95Ms: 300, errorRate: 0.01 } },
          cost: { monthly: 10, ceiling: 100, currency: 'EUR' },
          // The build's configuration was scanned clean (prod denies an unscanned build).
          config: { scanner: 'trivy config', findings: [] },
        },
      }),
      notify: webhookNotifier(
        [{ url: receiver.url, secret: SECRET, events: ['release.completed', 'policy.failed'] }],
        {
          redactor: new Redactor(),
          retry: { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 200, multiplier: 2 },
        },
      ),
    });
    steady = startSteadyClient(stack.haproxy.url, {
      concurrency: 2,
      pauseMs: 20,
      maxMs: 240_000,
      maxRequests: 60_000,
    });
  });

  afterAll(async () => {
    await steady?.stop();
    await orchestrator?.close();
    await stack?.close();
    await new Promise<void>((resolve) => receiver?.server.close(() => resolve()));
  });

  /** The release's applied step, undefined until the gate stage has recorded it. */
  const appliedStep = (runId: string) =>
    getRelease(orchestrator.test.store.db, releaseIdOf(runId))?.detail.appliedStep;

  const control = (
    runId: string,
    action: 'promote' | 'pause' | 'resume' | 'abort',
    reason?: string,
  ) =>
    requestReleaseControl(orchestrator.test.store.db, audit, {
      releaseId: releaseIdOf(runId),
      action,
      actor: 'alice',
      ...(reason ? { reason } : {}),
    });

  it('a paused canary holds its split; a manual promote takes it to 100% and notifies', async () => {
    const runId = orchestrator.submit('release', releaseOf('v2', 'v1', approved));
    await until('first split', () => appliedStep(runId) === 0);
    control(runId, 'pause', 'watching');
    await until(
      'two analysed windows while paused',
      () => orchestrator.release(runId).detail.samples.length >= 2,
      90_000,
    );
    const paused = orchestrator.release(runId);
    expect(paused.phase).toBe('paused');
    expect(paused.trafficPercent).toBe(25);
    expect(await stack.target.traffic()).toEqual({ v2: 25, v1: 75 });
    control(runId, 'promote', 'looks good');
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(release.phase).toBe('promoted');
    expect(release.detail.decisions.at(-1)).toMatchObject({ action: 'promote', actor: 'alice' });
    expect(await stack.target.traffic()).toEqual({ v2: 100 });
    await until('release.completed delivered', () => receiver.got.length >= 1, 10_000);
    expect(receiver.got[0]).toMatchObject({
      verified: true,
      body: {
        type: 'release.completed',
        data: { releaseId: release.id, version: 'v2', environment: 'prod', outcome: 'promoted' },
      },
    });
    expect(release.detail.notifications).toEqual([
      expect.objectContaining({ type: 'release.completed', delivered: true }),
    ]);
    expect(
      scopes.every((s) => s.environment === 'prod' && s.projectId === orchestrator.projectId),
    ).toBe(true);
  });

  it('abort sends traffic back to stable, stops the new version and notifies aborted', async () => {
    const runId = orchestrator.submit('release', releaseOf('v1', 'v2', approved));
    await until('first split', () => appliedStep(runId) === 0);
    control(runId, 'abort', 'wrong build');
    const run = await orchestrator.finish(runId);
    const release = orchestrator.release(runId);
    expect(run.status, run.reason ?? '').toBe('done');
    expect(release.phase).toBe('aborted');
    expect(release.detail.rollbackReason).toBe('aborted by alice: wrong build');
    expect(await stack.target.traffic()).toEqual({ v2: 100 });
    expect(await deployedVersions(stack)).toEqual(['v2']);
    await until('aborted delivered', () => receiver.got.length >= 2, 10_000);
    expect(receiver.got[1]).toMatchObject({
      verified: true,
      body: { type: 'release.completed', data: { version: 'v1', outcome: 'aborted' } },
    });
  });

  it('a release without the prod approval is blocked by the policy and notified', async () => {
    const runId = orchestrator.submit('release', releaseOf('v3', 'v2'));
    const run = await orchestrator.finish(runId);
    expect(run.status).toBe('blocked');
    expect(run.reason).toMatch(/0 approval\(s\) recorded, 1 required \[baseline.approvals\]/);
    await until('policy.failed delivered', () => receiver.got.length >= 3, 10_000);
    expect(receiver.got[2]).toMatchObject({
      verified: true,
      body: { type: 'policy.failed', data: { version: 'v3', environment: 'prod' } },
    });
    expect(await stack.target.traffic()).toEqual({ v2: 100 });
    const stats = await steady!.stop();
    steady = undefined;
    expect(stats.errorMessages).toEqual([]);
    expect(stats.connectionErrors).toBe(0);
    expect(Object.keys(stats.byStatus).filter((c) => c !== '200')).toEqual([]);
  });
});
