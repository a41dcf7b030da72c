import { describe, expect, it } from 'vitest';
import { gatesOf } from './sprint-summary.ts';

const stages = (statuses: Record<string, string>) =>
  Object.entries(statuses).map(([name, status]) => ({ name, status }));

describe('gatesOf', () => {
  it('reads each gate’s figures from its stage output', () => {
    const gates = gatesOf(stages({ tests: 'done', perf: 'done', policy: 'done' }), {
      tests: {
        passed: 4,
        failed: 0,
        linesPct: 96.7,
        runner: 'container local/node:base',
        datastores: 'PostgreSQL (dbmate, 1 migration(s) applied)',
      },
      perf: { generator: 'autocannon 9.0.0', p95Ms: 12.345, errorRate: 0 },
      policy: { decisions: [{ pack: 'baseline', allow: true }] },
      smoke: { checks: [{ path: '/healthz', status: 200, ok: true }] },
    });
    const byName = Object.fromEntries(gates.map((g) => [g.gate, g]));
    expect(byName.tests).toEqual({
      gate: 'tests',
      status: 'passed',
      figures:
        '4 passed, 0 failed, line coverage 96.7% (container local/node:base, with PostgreSQL (dbmate, 1 migration(s) applied))',
    });
    expect(byName.perf!.figures).toBe('p95 12.3 ms, errors 0.00% (autocannon 9.0.0)');
    expect(byName.policy!.figures).toBe('baseline allow');
    expect(byName['staging+smoke']!.figures).toBe('1/1 smoke checks answered (/healthz 200)');
    expect(byName.sbom).toEqual({ gate: 'sbom', status: 'not run', figures: '' });
  });

  it('marks a blocked stage blocked and says when no advisories were ever imported', () => {
    const gates = gatesOf(stages({ vulns: 'blocked' }), {
      vulns: { findings: null, advisoriesKnown: 0 },
    });
    const vulns = gates.find((g) => g.gate === 'vulnerabilities')!;
    expect(vulns.status).toBe('blocked');
    expect(vulns.figures).toBe('no advisories imported: the scan cannot be shown clean');
  });
});
