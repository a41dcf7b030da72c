/**
 * The health gate's arithmetic (issue 9): a version's sample against thresholds from policy and
 * perf budgets. Pure. Fail closed: too little traffic or a missing metric gives "unknown", which
 * callers must never treat as "healthy" (ARCHITECTURE.md invariant 5).
 */
import type { VersionHealth } from '../target.ts';

export interface HealthThresholds {
  /** Highest acceptable fraction of 5xx responses, e.g. 0.01. */
  maxErrorRate: number;
  /** Highest acceptable p95 latency in seconds. */
  maxP95Seconds: number;
  /** Fewer responses than this in the window prove nothing either way. */
  minRequests: number;
}

export type HealthVerdict = 'healthy' | 'unhealthy' | 'unknown';

export interface HealthEvaluation {
  verdict: HealthVerdict;
  reasons: string[];
}

export function evaluateHealth(
  sample: VersionHealth | undefined,
  thresholds: HealthThresholds,
): HealthEvaluation {
  if (!sample) return { verdict: 'unknown', reasons: ['no health sample for this version'] };
  const breaches: string[] = [];
  if (sample.errorRate !== undefined && sample.errorRate > thresholds.maxErrorRate) {
    breaches.push(`error rate ${fmt(sample.errorRate)} > ${fmt(thresholds.maxErrorRate)}`);
  }
  if (sample.p95Seconds !== undefined && sample.p95Seconds > thresholds.maxP95Seconds) {
    breaches.push(`p95 ${fmt(sample.p95Seconds)} s > ${fmt(thresholds.maxP95Seconds)} s`);
  }
  // A breach over enough responses is conclusive even when another metric is missing.
  if (breaches.length > 0 && sample.requests >= thresholds.minRequests)
    return { verdict: 'unhealthy', reasons: breaches };
  const unknown = [...sample.missing];
  if (sample.requests < thresholds.minRequests) {
    unknown.push(`only ${sample.requests} responses, ${thresholds.minRequests} needed`);
  }
  if (unknown.length > 0) return { verdict: 'unknown', reasons: unknown };
  return { verdict: 'healthy', reasons: [] };
}

function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
