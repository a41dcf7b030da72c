import { describe, expect, it } from 'vitest';
import { routeResultFromK6Summary } from './k6-summary.ts';

/**
 * The export.json example of https://k6.io/docs/results-visualization/json/#summary-export,
 * verbatim. It predates http_req_failed (k6 v0.31), the metric failures are read from.
 */
const DOCUMENTED_EXPORT = {
  metrics: {
    checks: { fails: 0, passes: 434, value: 0 },
    data_received: { count: 4267088, rate: 213353.42114517145 },
    data_sent: { count: 33726, rate: 1686.2922633754104 },
    http_req_blocked: {
      avg: 2.2303510806451645,
      max: 466.009823,
      med: 0.006873000000000001,
      min: 0.001265,
      'p(90)': 0.0093969,
      'p(95)': 0.01104339999999999,
    },
    http_req_connecting: {
      avg: 1.4719108986175116,
      max: 176.017402,
      med: 0,
      min: 0,
      'p(90)': 0,
      'p(95)': 0,
    },
    http_req_duration: {
      avg: 146.13434929493093,
      max: 663.812323,
      med: 115.237707,
      min: 104.336176,
      'p(90)': 204.6849077,
      'p(95)': 205.27533795,
    },
    http_req_receiving: {
      avg: 0.32699811981566856,
      max: 5.86652,
      med: 0.135682,
      min: 0.026588,
      'p(90)': 1.4118543,
      'p(95)': 1.6629313999999984,
    },
    http_req_sending: {
      avg: 0.031275672811059876,
      max: 0.149365,
      med: 0.028853,
      min: 0.006069,
      'p(90)': 0.041769099999999997,
      'p(95)': 0.05106769999999998,
    },
    http_req_tls_handshaking: { avg: 0, max: 0, med: 0, min: 0, 'p(90)': 0, 'p(95)': 0 },
    http_req_waiting: {
      avg: 145.77607550230408,
      max: 663.551133,
      med: 114.90324000000001,
      min: 103.389659,
      'p(90)': 204.4926965,
      'p(95)': 205.02902265,
    },
    http_reqs: { count: 434, rate: 21.699900441941768 },
    iteration_duration: {
      avg: 148.59040099078345,
      max: 671.970894,
      med: 115.69334950000001,
      min: 104.558313,
      'p(90)': 205.0391277,
      'p(95)': 209.87447475000002,
    },
    iterations: { count: 434, rate: 21.699900441941768 },
    vus: { max: 5, min: 1, value: 1 },
    vus_max: { max: 5, min: 5, value: 5 },
  },
  root_group: {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    groups: {},
    checks: {
      'status is 200': {
        name: 'status is 200',
        path: '::status is 200',
        id: '6210a8cd14cd70477eba5c5e4cb3fb5f',
        passes: 435,
        fails: 0,
      },
    },
  },
};

/**
 * The same run as k6 v0.31+ exports it: http_req_failed is a Rate, written like `checks` above
 * ({ passes, fails, value }; k6's summary wrapper renames the rate to `value`), and p(99) is there
 * because the runner asks for it with --summary-trend-stats.
 */
const withFailures = (passes: number, fails: number) => ({
  ...DOCUMENTED_EXPORT,
  metrics: {
    ...DOCUMENTED_EXPORT.metrics,
    http_req_duration: { ...DOCUMENTED_EXPORT.metrics.http_req_duration, 'p(99)': 402.5 },
    http_req_failed: { passes, fails, value: passes / (passes + fails) },
  },
});

const context = { route: 'GET /orders', generator: 'k6 1.0.0' };

describe('routeResultFromK6Summary', () => {
  it('reads requests, percentiles, throughput and failures from a k6 summary export', () => {
    expect(routeResultFromK6Summary(withFailures(0, 434), context)).toEqual({
      route: 'GET /orders',
      requests: 434,
      failures: 0,
      errorRate: 0,
      p50Ms: 115.237707,
      p95Ms: 205.27533795,
      p99Ms: 402.5,
      throughputPerSec: 21.699900441941768,
      generator: 'k6 1.0.0',
    });
  });

  it('counts the "passes" of http_req_failed as the failed requests', () => {
    expect(routeResultFromK6Summary(withFailures(31, 403), context)).toMatchObject({
      requests: 434,
      failures: 31,
      errorRate: 31 / 434,
    });
  });

  it('refuses the documented example as is: without http_req_failed failures are unknown', () => {
    expect(() => routeResultFromK6Summary(DOCUMENTED_EXPORT, context)).toThrow(
      /GET \/orders has no http_req_failed metric.*k6 v0\.31 or later/,
    );
  });

  it('falls back to max for p99 when the export was made without it', () => {
    const { http_req_failed } = withFailures(0, 434).metrics;
    const result = routeResultFromK6Summary(
      { metrics: { ...DOCUMENTED_EXPORT.metrics, http_req_failed } },
      context,
    );
    expect(result.p99Ms).toBe(663.812323);
  });

  it('reports a run that sent nothing as unmeasured and fully failed', () => {
    const result = routeResultFromK6Summary({ metrics: { vus: { value: 1 } } }, context);
    expect(result).toMatchObject({ requests: 0, failures: 0, errorRate: 1, throughputPerSec: 0 });
    expect(result.p95Ms).toBeNaN();
  });

  it('names the route and the offending key when the export is not k6-shaped', () => {
    expect(() =>
      routeResultFromK6Summary({ metrics: { http_reqs: { count: 'many', rate: 1 } } }, context),
    ).toThrow(/GET \/orders is not in k6's documented shape[\s\S]*http_reqs\.count/);
  });
});
