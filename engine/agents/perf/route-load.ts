import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';

export const { version: AUTOCANNON_VERSION } = createRequire(import.meta.url)(
  'autocannon/package.json',
) as { version: string };

export interface RouteLoad {
  /** Base URL of the service, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  durationSeconds: number;
  connections: number;
  signal?: AbortSignal;
  /**
   * Statuses from this one up count as failures; unset, anything but 2xx does. A service with
   * no health route is loaded on `/`, where only 5xx is a failure (engine/targets/health-check.ts).
   */
  failingStatusFrom?: number;
}

export interface RouteResult {
  route: string;
  requests: number;
  /** Failing answers (non-2xx, or see failingStatusFrom) plus requests with no answer. */
  failures: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  throughputPerSec: number;
  /** Which load generator produced the figures, and its version. */
  generator: string;
}

/**
 * Drives one route with autocannon and measures it. autocannon reports p97.5 but not p95, the
 * percentile budgets are written in (as k6 thresholds are), so every response time is recorded
 * into an HDR histogram of our own (the library autocannon itself uses) at microsecond precision.
 */
export async function loadRoute(load: RouteLoad): Promise<RouteResult> {
  let failingAnswers = 0;
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const url = new URL(load.path, load.baseUrl).toString();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: load.method ?? 'GET',
        ...(load.body ? { body: load.body, headers: { 'content-type': 'application/json' } } : {}),
        duration: load.durationSeconds,
        connections: load.connections,
        timeout: 10,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, status, _bytes, responseTimeMs) => {
      histogram.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
      if (load.failingStatusFrom !== undefined && status >= load.failingStatusFrom)
        failingAnswers += 1;
    });
    load.signal?.addEventListener('abort', () => instance.stop(), { once: true });
  });
  const requests = result.requests.total;
  const answeredBadly = load.failingStatusFrom === undefined ? result.non2xx : failingAnswers;
  const failures = answeredBadly + result.errors + result.timeouts;
  const answered = histogram.totalCount;
  const ms = (percentile: number) =>
    answered === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / 1000;
  const figures: RouteResult = {
    route: `${load.method ?? 'GET'} ${load.path}`,
    requests,
    failures,
    errorRate: requests === 0 ? 1 : failures / requests,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    throughputPerSec: result.duration > 0 ? requests / result.duration : 0,
    generator: `autocannon ${AUTOCANNON_VERSION}`,
  };
  histogram.destroy();
  return figures;
}
