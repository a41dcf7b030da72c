/**
 * Reads the file `k6 run --summary-export` writes. Its shape is documented at
 * https://k6.io/docs/results-visualization/json/#summary-export: one flat object per metric,
 * trends in milliseconds keyed by the stats asked for with --summary-trend-stats, counters as
 * { count, rate }, rates as { passes, fails, value }.
 */
import { z } from 'zod';
import type { RouteResult } from './route-load.ts';

/** The stats every run asks for; p(99) is not among k6's defaults, so it must be requested. */
export const K6_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99)';

const trend = z.object({
  med: z.number(),
  max: z.number(),
  'p(95)': z.number(),
  'p(99)': z.number().optional(),
});

const counter = z.object({ count: z.number().int().nonnegative(), rate: z.number().nonnegative() });

const rate = z.object({
  passes: z.number().int().nonnegative(),
  fails: z.number().int().nonnegative(),
  value: z.number().min(0).max(1),
});

// k6 leaves a metric out of the summary when it recorded no sample, so all three are optional.
const summarySchema = z.object({
  metrics: z.object({
    http_reqs: counter.optional(),
    http_req_duration: trend.optional(),
    http_req_failed: rate.optional(),
  }),
});

export interface K6SummaryContext {
  /** `GET /orders`, as RouteResult names routes. */
  route: string;
  /** `k6 <version>`. */
  generator: string;
}

/** Maps a parsed summary-export document to the figures the perf gate reads. */
export function routeResultFromK6Summary(
  document: unknown,
  context: K6SummaryContext,
): RouteResult {
  const parsed = summarySchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(
      `the k6 summary export for ${context.route} is not in k6's documented shape: ${z.prettifyError(parsed.error)}`,
    );
  }
  const {
    http_reqs: reqs,
    http_req_duration: duration,
    http_req_failed: failed,
  } = parsed.data.metrics;
  const requests = reqs?.count ?? 0;
  if (requests > 0 && !failed) {
    // Without it a run full of 500s would read as clean; k6 records it from v0.31 on.
    throw new Error(
      `the k6 summary export for ${context.route} has no http_req_failed metric, so failed requests cannot be counted; use k6 v0.31 or later`,
    );
  }
  return {
    route: context.route,
    requests,
    // A Rate metric counts its non-zero samples as "passes"; for http_req_failed a non-zero
    // sample is a failed request, so passes are the failures.
    failures: failed?.passes ?? 0,
    errorRate: requests === 0 ? 1 : (failed?.value ?? 1),
    p50Ms: duration?.med ?? Number.NaN,
    p95Ms: duration?.['p(95)'] ?? Number.NaN,
    // An export made without p(99) in the trend stats still bounds it from above with max.
    p99Ms: duration ? (duration['p(99)'] ?? duration.max) : Number.NaN,
    throughputPerSec: reqs?.rate ?? 0,
    generator: context.generator,
  };
}
