import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetsFromBaseline, evaluateBudgets } from './budgets.ts';
import { loadRoute } from './route-load.ts';

// Real load on 127.0.0.1 against examples/orders-api, run as its own process, and against a
// small server whose /slow route is a planted regression (50 ms) and /broken answers 500.
const EXAMPLE = fileURLToPath(new URL('../../../examples/orders-api/', import.meta.url));
let example: ChildProcess;
let exampleUrl: string;
let regressions: Server;
let regressionsUrl: string;

/**
 * A port the OS says is free now (the example reads its port from PORT). The shared one in
 * test/support/infra is outside the engine's tsconfig project, so engine tests keep their own.
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  example = spawn(process.execPath, ['src/server.js'], {
    cwd: EXAMPLE,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    example.stdout!.on(
      'data',
      (chunk: Buffer) => chunk.toString().includes('listening') && resolve(),
    );
    example.once('exit', (code) => reject(new Error(`orders-api exited ${code}`)));
  });
  exampleUrl = `http://127.0.0.1:${port}`;
  regressions = createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('ok'), 50);
    else if (req.url === '/broken') res.writeHead(500).end();
    else if (req.url === '/missing') res.writeHead(404).end();
    else res.end('ok');
  });
  await new Promise<void>((resolve) => regressions.listen(0, '127.0.0.1', resolve));
  regressionsUrl = `http://127.0.0.1:${(regressions.address() as AddressInfo).port}`;
});
afterAll(async () => {
  example?.kill();
  await new Promise<void>((resolve) => regressions?.close(() => resolve()));
});

describe('perf stage', () => {
  it('measures a route under load with every request counted and percentiles in order', async () => {
    const baseline = await loadRoute({
      baseUrl: exampleUrl,
      path: '/healthz',
      durationSeconds: 2,
      connections: 4,
    });
    expect(baseline).toMatchObject({
      route: 'GET /healthz',
      failures: 0,
      errorRate: 0,
      generator: expect.stringMatching(/^autocannon \d+\./),
    });
    expect(baseline.requests).toBeGreaterThan(100);
    expect(baseline.p50Ms).toBeLessThanOrEqual(baseline.p95Ms);
    expect(baseline.p95Ms).toBeLessThanOrEqual(baseline.p99Ms);
    // Generous headroom: the second run shares a busy 2-core machine with the first's leftovers.
    const budgets = budgetsFromBaseline([baseline], 4);
    const again = await loadRoute({
      baseUrl: exampleUrl,
      path: '/healthz',
      durationSeconds: 2,
      connections: 4,
    });
    expect(evaluateBudgets([again], budgets)).toEqual({ ok: true, violations: [] });
  });

  it('catches a latency regression against a budget, naming the route and the figures', async () => {
    const slow = await loadRoute({
      baseUrl: regressionsUrl,
      path: '/slow',
      durationSeconds: 1,
      connections: 4,
    });
    expect(slow.p95Ms).toBeGreaterThanOrEqual(50);
    const verdict = evaluateBudgets(
      [slow],
      [{ route: 'GET /slow', p95Ms: 20, errorRate: 0.01, minThroughputPerSec: 0 }],
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        route: 'GET /slow',
        metric: 'p95Ms',
        budget: 20,
        message: expect.stringMatching(/GET \/slow p95 \d+\.\d ms is over its budget of 20 ms/),
      }),
    ]);
  });

  it('counts error answers into the error rate', async () => {
    const broken = await loadRoute({
      baseUrl: regressionsUrl,
      path: '/broken',
      durationSeconds: 1,
      connections: 2,
    });
    expect(broken.errorRate).toBe(1);
    expect(
      evaluateBudgets(
        [broken],
        [{ route: 'GET /broken', p95Ms: 1000, errorRate: 0.01, minThroughputPerSec: 0 }],
      ).violations.map((v) => v.metric),
    ).toEqual(['errorRate']);
  });

  it('counts only 5xx as failures on the fallback probe path, and every non-2xx otherwise', async () => {
    // Given a route that answers 404 (an API with no root route, asked on `/` because the
    // service has no health route), when it is loaded with failures from 500 up, then the 404s
    // are answers, not failures; without that bound they all fail.
    const load = { baseUrl: regressionsUrl, path: '/missing', durationSeconds: 1, connections: 2 };
    const fallback = await loadRoute({ ...load, failingStatusFrom: 500 });
    expect(fallback.requests).toBeGreaterThan(0);
    expect(fallback).toMatchObject({ failures: 0, errorRate: 0 });
    const strict = await loadRoute(load);
    expect(strict.errorRate).toBe(1);
    const broken = await loadRoute({ ...load, path: '/broken', failingStatusFrom: 500 });
    expect(broken.errorRate).toBe(1);
  });
});
