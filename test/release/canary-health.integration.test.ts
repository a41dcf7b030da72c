/**
 * Issue 9 acceptance, health half: v3 (20% 5xx, slow) behind a canary weight shows an error rate
 * near 0.2 and a high p95 in Prometheus, measured from HAProxy's exporter and the app's own
 * histogram; rolling back (weight to 0, stop v3) restores a clean error rate, and a steady
 * client never sees a connection error. Missing data and a dead Prometheus fail closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthUnavailableError } from '../../engine/targets/errors.ts';
import { PrometheusHealth } from '../../engine/targets/health/prometheus.ts';
import { evaluateHealth } from '../../engine/targets/health/thresholds.ts';
import type { HealthReport } from '../../engine/targets/target.ts';
import { sampleAppVersion } from '../fixtures/sample-app/image.ts';
import { dockerUnavailableReason } from '../support/infra/docker-engine.ts';
import { freePort } from '../support/infra/daemon.ts';
import { addStats, emptyStats, sendRequests, startSteadyClient } from './load.ts';
import { startReleaseStack } from './release-stack.ts';
import type { ReleaseStack } from './release-stack.ts';

const skipReason = dockerUnavailableReason();
// CI installs docker.io (scripts/setup.sh), so there a missing engine is a failure, not a skip.
if (skipReason && process.env.CI)
  throw new Error(`CI must run the docker release tests, but: ${skipReason}`);
const thresholds = { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 20 };

/** Drives load until `ready(report)` holds or the bounds run out; returns the last report. */
async function measureUnderLoad(
  stack: ReleaseStack,
  windowSeconds: number,
  ready: (report: HealthReport) => boolean,
): Promise<HealthReport> {
  const deadline = Date.now() + 45_000;
  let report = await stack.target.health(windowSeconds);
  for (let round = 0; round < 60 && Date.now() < deadline && !ready(report); round++) {
    await sendRequests(stack.haproxy.url, { count: 400, concurrency: 16, maxMs: 1000 });
    report = await stack.target.health(windowSeconds);
  }
  return report;
}

/** A series every scrape of HAProxy's exporter carries; its samples' timestamps are the scrapes'. */
const BACKEND_5XX = 'haproxy_backend_http_responses_total{proxy="be",code="5xx"}';

/** Timestamp (Unix seconds) of the first scrape of HAProxy that started after `afterMs`. */
async function firstScrapeAfter(stack: ReleaseStack, afterMs: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const at = (await stack.health.query(`timestamp(${BACKEND_5XX})`))[0]?.value;
    if (at !== undefined && at * 1000 > afterMs) return at;
    if (Date.now() > deadline) throw new Error(`no scrape of HAProxy after ${afterMs} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What HAProxy's response counters gained between the scrape at `baseline` and the latest one,
 * i.e. exactly the responses sent in between (no window, no extrapolation). A server that did
 * not exist at the baseline would have no difference: `servers` lists the backend's servers now.
 */
async function gainedSince(stack: ReleaseStack, baseline: number) {
  const gained = async (selector: string, by = '') => {
    const samples = await stack.health.query(
      `sum ${by ? `by (${by}) ` : ''}(${selector} - ${selector} @ ${baseline})`,
    );
    return Object.fromEntries(samples.map((s) => [by ? (s.labels[by] ?? '') : '', s.value]));
  };
  const server = 'haproxy_server_http_responses_total{proxy="be"';
  const frontend = 'haproxy_frontend_http_responses_total{proxy="app"';
  const [servers, totals, errors, backendErrors, frontendTotal, frontendErrors] = await Promise.all(
    [
      stack.health.query(`count by (server) (${server}})`),
      gained(`${server}}`, 'server'),
      gained(`${server},code="5xx"}`, 'server'),
      gained(BACKEND_5XX),
      gained(`${frontend}}`),
      gained(`${frontend},code="5xx"}`),
    ],
  );
  return {
    servers: servers.map((s) => s.labels.server ?? '').sort(),
    v2Total: totals.v2_0,
    v2Errors: errors.v2_0,
    backendErrors: backendErrors[''],
    frontendTotal: frontendTotal[''],
    frontendErrors: frontendErrors[''],
  };
}

describe.skipIf(skipReason !== undefined)('docker target: v3 canary health and rollback', () => {
  let stack: ReleaseStack;

  beforeAll(async () => {
    stack = await startReleaseStack('canary');
    await stack.target.deploy(sampleAppVersion('v2'));
    await stack.target.setTraffic({ v2: 100 });
    await stack.target.deploy(sampleAppVersion('v3'));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reports a version without traffic as missing data, never healthy', async () => {
    const report = await stack.target.health(5);
    const v3 = report.versions.v3;
    expect(v3?.requests).toBe(0);
    expect(v3?.errorRate).toBeUndefined();
    expect(v3?.missing.length).toBeGreaterThan(0);
    expect(evaluateHealth(v3, thresholds).verdict).toBe('unknown');
  });

  it('fails closed with a clear error when Prometheus is unreachable', async () => {
    const dead = new PrometheusHealth({
      url: `http://127.0.0.1:${await freePort()}`,
      timeoutMs: 2000,
    });
    const measuring = dead.measure({
      windowSeconds: 5,
      backend: 'be',
      servers: { v3_0: 'v3' },
      appLabels: {},
    });
    await expect(measuring).rejects.toBeInstanceOf(HealthUnavailableError);
    await expect(measuring).rejects.toThrow(/unreachable/);
  });

  it('sees v3 at 20% errors and slow behind a canary, then rollback restores a clean rate', async () => {
    const steady = startSteadyClient(stack.haproxy.url, {
      concurrency: 1,
      pauseMs: 20,
      maxMs: 110_000,
      maxRequests: 8000,
    });
    try {
      expect(await stack.target.setTraffic({ v2: 75, v3: 25 })).toEqual({ v2: 75, v3: 25 });
      const canary = await measureUnderLoad(
        stack,
        10,
        (r) => (r.versions.v3?.requests ?? 0) >= 200 && r.versions.v3?.p95Seconds !== undefined,
      );
      const v3 = canary.versions.v3;
      const v2 = canary.versions.v2;
      expect(v3?.errorRate).toBeGreaterThan(0.12);
      expect(v3?.errorRate).toBeLessThan(0.28);
      expect(v3?.p95Seconds).toBeGreaterThan(0.25);
      expect(v2?.errorRate).toBe(0);
      expect(v2?.p95Seconds).toBeLessThan(0.1);
      // Slow answers pile up: v3 holds more sessions than v2 although it gets a third of v2's share.
      expect(v3?.meanSessions).toBeGreaterThan(v2?.meanSessions ?? Infinity);
      expect(evaluateHealth(v3, thresholds)).toMatchObject({ verdict: 'unhealthy' });
      expect(evaluateHealth(v2, thresholds)).toEqual({ verdict: 'healthy', reasons: [] });

      const rolledBack = await stack.target.rollback('v2', 'v3');
      // rollback() returns once v3 is drained and deleted: every request started from here on
      // can only be answered by v2 (or by HAProxy itself, which must not answer 5xx either).
      const rolledBackAt = Date.now();
      const steadyAfter = steady.since();
      expect(rolledBack).toEqual({ v2: 100, v3: 0 });
      expect(await stack.target.traffic()).toEqual({ v2: 100 });

      // HAProxy's counters keep v3's 5xx for good, so a trailing window such as increase(..[3s])
      // still holds them right after the rollback, for as long as the window takes to slide
      // past it. Count instead what the counters gained since the first scrape taken after the
      // rollback: exactly the responses sent after it, whatever the machine's speed.
      const baseline = await firstScrapeAfter(stack, rolledBackAt);
      const bursts = emptyStats();
      let gained = await gainedSince(stack, baseline);
      const deadline = Date.now() + 45_000;
      for (let round = 0; round < 60 && Date.now() < deadline; round++) {
        if ((gained.v2Total ?? 0) >= 400) break;
        addStats(
          bursts,
          await sendRequests(stack.haproxy.url, { count: 200, concurrency: 8, maxMs: 1000 }),
        );
        gained = await gainedSince(stack, baseline);
      }
      // Only v2 answered after the rollback, with zero 5xx: per server, for the whole backend,
      // and at the frontend, which also counts HAProxy's own 502/503/504.
      expect(gained.servers).toEqual(['v2_0']);
      expect(gained.v2Total).toBeGreaterThanOrEqual(400);
      expect(gained.v2Errors).toBe(0);
      expect(gained.backendErrors).toBe(0);
      expect(gained.frontendTotal).toBeGreaterThanOrEqual(gained.v2Total ?? Infinity);
      expect(gained.frontendErrors).toBe(0);
      // The same as clients saw it: every answer a 200 from v2, no connection error.
      expect(bursts.connectionErrors).toBe(0);
      expect(bursts.byStatus).toEqual({ 200: bursts.requests });
      expect(bursts.byVersion).toEqual({ v2: bursts.requests });
      const clean = await measureUnderLoad(stack, 3, (r) => (r.versions.v2?.requests ?? 0) >= 50);
      expect(Object.keys(clean.versions)).toEqual(['v2']);
      expect(clean.versions.v2?.errorRate).toBe(0);

      // Stopped first so that no request is still in flight when its answer is checked.
      await steady.stop();
      expect(steadyAfter.requests).toBeGreaterThan(0);
      expect(steadyAfter.connectionErrors).toBe(0);
      expect(steadyAfter.byStatus).toEqual({ 200: steadyAfter.requests });
      expect(steadyAfter.byVersion).toEqual({ v2: steadyAfter.requests });
    } finally {
      const stats = await steady.stop();
      expect(stats.errorMessages).toEqual([]);
      expect(stats.connectionErrors).toBe(0);
      // 500 is v3's own failure; anything else 5xx would be the router failing a request.
      expect(
        Object.keys(stats.byStatus).filter((code) => code !== '200' && code !== '500'),
      ).toEqual([]);
    }
  });
});
