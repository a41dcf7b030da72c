import { describe, expect, it } from 'vitest';
import type { SprintSummary } from '../engine/api/index.ts';
import { renderSummary } from './sprint-summary.ts';

describe('renderSummary', () => {
  it('says how prod took the version: a canary from the earlier one, or a first release', () => {
    const canary = renderSummary({
      ...blocked(),
      outcome: 'promoted',
      blockedAt: null,
      releaseId: 'rel_1',
      releasePhase: 'promoted',
      rollout: {
        fromVersion: '0123456789ab',
        steps: 4,
        decisions: [
          { step: 0, action: 'next', reason: 'healthy' },
          { step: 1, action: 'hold', reason: 'inconclusive, holding: 3 requests' },
          { step: 1, action: 'next', reason: 'healthy' },
          { step: 2, action: 'next', reason: 'healthy' },
          { step: 3, action: 'promote', reason: 'healthy at 100%' },
        ],
      },
    });
    expect(canary).toContain('release       rel_1: promoted');
    expect(canary).toContain(
      'rollout       canary from 0123456789ab in 4 steps, 4 healthy analysis window(s) of 5',
    );
    const first = renderSummary({
      ...blocked(),
      rollout: { fromVersion: null, steps: 1, decisions: [] },
    });
    expect(first).toContain('rollout       first release: 100% at once');
  });

  it('prints the outcome, the stop with its remedy, and both times', () => {
    const summary = blocked();
    const text = renderSummary(summary);
    expect(text).toContain('Sprint of prj_1 version abc123def456: BLOCKED');
    expect(text).toContain('self-approved (recorded in the audit chain)');
    expect(text).toContain('blocked at    tests: 1 test failed');
    expect(text).toContain('remedy        fix it');
    expect(text).toContain('to staging n/a s, to canary start n/a s, to prod n/a s');
    expect(text).toContain('/data/b.tar.gz (verified, 12 entries)');
    expect(text).not.toContain('warning');
  });

  it('prints each warning the sprint went ahead with, and its remedy', () => {
    const text = renderSummary({
      ...blocked(),
      warnings: [
        {
          subject: 'service api: health',
          reason: 'no health route; TCP readiness and GET / below 500',
          remedy: 'add GET /healthz',
        },
      ],
    });
    expect(text).toContain(
      'warning       service api: health: no health route; TCP readiness and GET / below 500',
    );
    expect(text).toContain('→ add GET /healthz');
  });
});

function blocked(): SprintSummary {
  return {
    projectId: 'prj_1',
    blueprintId: 'bp_1',
    planHash: 'a'.repeat(64),
    approvalId: 'apr_1',
    selfApproved: true,
    version: 'abc123def456',
    branch: 'prodsprint/blueprint-v1',
    applyRunId: 'run_1',
    outcome: 'blocked',
    blockedAt: { stage: 'tests', reason: '1 test failed', remedy: 'fix it' },
    gates: [],
    releaseId: null,
    releasePhase: null,
    rollout: null,
    timeToStagingSeconds: null,
    timeToCanaryStartSeconds: null,
    timeToProdSeconds: null,
    syntheticTraffic: null,
    artifactsDir: '/data/artifacts',
    sbomPath: null,
    bundle: { path: '/data/b.tar.gz', verified: true, entries: 12 },
    warnings: [],
  };
}
