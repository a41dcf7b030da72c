import { describe, expect, it } from 'vitest';
import { budgetsFromBaseline, evaluateBudgets } from './budgets.ts';
import type { RouteResult } from './route-load.ts';

const result = (overrides: Partial<RouteResult> = {}): RouteResult => ({
  route: 'GET /orders',
  requests: 1000,
  failures: 0,
  errorRate: 0,
  p50Ms: 4,
  p95Ms: 10,
  p99Ms: 15,
  throughputPerSec: 500,
  generator: 'autocannon 9.0.0',
  ...overrides,
});

describe('budgets', () => {
  it('grow p95 and shrink throughput by the headroom, with an error-rate floor', () => {
    expect(budgetsFromBaseline([result()], 0.2)).toEqual([
      { route: 'GET /orders', p95Ms: 12, errorRate: 0.01, minThroughputPerSec: 400 },
    ]);
    expect(budgetsFromBaseline([result({ errorRate: 0.05 })], 0.2)[0]!.errorRate).toBe(0.05);
  });

  it.each([
    ['p95 over', result({ p95Ms: 12.5 }), ['p95Ms']],
    ['errors over', result({ errorRate: 0.02, failures: 20 }), ['errorRate']],
    ['throughput under', result({ throughputPerSec: 399 }), ['throughputPerSec']],
    ['everything at the limit', result({ p95Ms: 12, errorRate: 0.01, throughputPerSec: 400 }), []],
  ])('%s', (_case, measured, metrics) => {
    const budgets = budgetsFromBaseline([result()], 0.2);
    expect(
      evaluateBudgets([measured], budgets).violations.map((violation) => violation.metric),
    ).toEqual(metrics);
  });

  it('fails closed for a route with a budget but no measurement', () => {
    const verdict = evaluateBudgets(
      [result({ route: 'GET /other' })],
      budgetsFromBaseline([result()]),
    );
    expect(verdict).toMatchObject({
      ok: false,
      violations: [{ route: 'GET /orders', metric: 'missing' }],
    });
  });
});
