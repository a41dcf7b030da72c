import { describe, expect, it } from 'vitest';
import type { VersionHealth } from '../target.ts';
import { evaluateHealth } from './thresholds.ts';

const thresholds = { maxErrorRate: 0.05, maxP95Seconds: 0.5, minRequests: 20 };
const sample = (over: Partial<VersionHealth>): VersionHealth => ({
  version: 'v3',
  requests: 100,
  errorRate: 0,
  p95Seconds: 0.01,
  meanSessions: 1,
  missing: [],
  ...over,
});

describe('evaluateHealth', () => {
  it('is healthy only with enough traffic, every metric present and under thresholds', () => {
    expect(evaluateHealth(sample({}), thresholds)).toEqual({ verdict: 'healthy', reasons: [] });
  });

  it('is unhealthy when the error rate or p95 breaches', () => {
    expect(evaluateHealth(sample({ errorRate: 0.2 }), thresholds)).toEqual({
      verdict: 'unhealthy',
      reasons: ['error rate 0.2 > 0.05'],
    });
    expect(evaluateHealth(sample({ p95Seconds: 0.9 }), thresholds).verdict).toBe('unhealthy');
  });

  it('stays unhealthy on a breach even when the other metric is missing', () => {
    const partial = sample({ errorRate: 0.3, p95Seconds: undefined, missing: ['no histogram'] });
    expect(evaluateHealth(partial, thresholds).verdict).toBe('unhealthy');
  });

  it('fails closed: missing data, too little traffic or no sample is unknown, never healthy', () => {
    expect(
      evaluateHealth(sample({ p95Seconds: undefined, missing: ['no histogram'] }), thresholds),
    ).toEqual({
      verdict: 'unknown',
      reasons: ['no histogram'],
    });
    expect(evaluateHealth(sample({ requests: 5, errorRate: 1 }), thresholds).verdict).toBe(
      'unknown',
    );
    expect(evaluateHealth(undefined, thresholds).verdict).toBe('unknown');
  });
});
