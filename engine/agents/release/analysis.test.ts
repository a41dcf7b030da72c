import { describe, expect, it } from 'vitest';
import { decide } from './analysis.ts';
import { riskScore } from './risk.ts';

describe('decide', () => {
  it('moves on when healthy and rolls back when unhealthy', () => {
    expect(decide({ verdict: 'healthy', reasons: [] }, 0, 3).action).toBe('next');
    expect(decide({ verdict: 'unhealthy', reasons: ['error rate 0.2 > 0.05'] }, 0, 3)).toEqual({
      action: 'rollback',
      reason: 'unhealthy: error rate 0.2 > 0.05',
    });
  });

  it('holds on unknown, then rolls back after N inconclusive windows, saying why', () => {
    const unknown = { verdict: 'unknown' as const, reasons: ['only 3 responses, 20 needed'] };
    expect(decide(unknown, 0, 2)).toMatchObject({ action: 'hold', inconclusive: 1 });
    const last = decide(unknown, 1, 2);
    expect(last.action).toBe('rollback');
    expect(last.reason).toMatch(/2 inconclusive .*only 3 responses/);
  });
});

describe('riskScore', () => {
  it('weighs size, migrations and recent failures', () => {
    expect(riskScore({}).score).toBe(0);
    expect(riskScore({ linesChanged: 4000, migrations: true, recentFailures: 9 }).score).toBe(1);
    expect(riskScore({ linesChanged: 1000 }).factors.size).toBe(0.2);
  });
});
