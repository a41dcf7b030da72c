import { describe, expect, it } from 'vitest';
import type { Stage } from './run-records.ts';
import { planRun } from './run-plan.ts';
import type { StageStatus } from './run-status.ts';
import { defineRun } from './stage-definition.ts';

const definition = defineRun({
  kind: 'release',
  stages: [
    { name: 'staging', run: () => null },
    { name: 'tests', needs: ['staging'], parallel: true, run: () => null },
    { name: 'security', needs: ['staging'], parallel: true, run: () => null },
    { name: 'migrate', needs: ['staging'], run: () => null },
    { name: 'canary', needs: ['tests', 'security', 'migrate'], run: () => 'ok' },
  ],
});

const NOW = Date.parse('2026-01-01T00:00:10.000Z');

function stages(statuses: Partial<Record<string, StageStatus | [StageStatus, string]>>): Stage[] {
  return definition.stages.map((stage, position) => {
    const entry = statuses[stage.name] ?? 'pending';
    const [status, nextAttemptAt] = Array.isArray(entry) ? entry : [entry, null];
    return {
      runId: 'run_1',
      name: stage.name,
      position,
      status,
      attempt: status === 'pending' ? 0 : 1,
      attemptBase: 0,
      nextAttemptAt,
      reason: status === 'error' || status === 'blocked' ? `${stage.name} failed` : null,
      waitReason: null,
      output: status === 'done' ? { from: stage.name } : null,
      compensation: 'none',
      startedAt: null,
      finishedAt: null,
    };
  });
}

const plan = (statuses: Parameters<typeof stages>[0], executing: string[] = []) =>
  planRun({ definition, stages: stages(statuses), executing: new Set(executing), nowMs: NOW });

describe('planRun', () => {
  it('starts the root stage of a fresh run', () => {
    expect(plan({})).toEqual({
      action: 'advance',
      reenter: [],
      start: ['staging'],
      wakeAtMs: null,
    });
  });

  it('starts parallel siblings together but holds an exclusive one until they are done', () => {
    expect(plan({ staging: 'done' })).toMatchObject({ start: ['tests', 'security'] });
    expect(plan({ staging: 'done', tests: 'running', security: 'done' }, ['tests'])).toMatchObject({
      start: [],
    });
    expect(plan({ staging: 'done', tests: 'done', security: 'done' })).toMatchObject({
      start: ['migrate'],
    });
  });

  it('starts nothing beside a running exclusive stage', () => {
    expect(plan({ staging: 'done', migrate: 'running' }, ['migrate'])).toMatchObject({
      start: [],
      reenter: [],
    });
  });

  it('re-enters stages found running that nobody executes (the process died)', () => {
    expect(
      plan({ staging: 'done', tests: 'running', security: 'running' }, ['security']),
    ).toMatchObject({ reenter: ['tests'] });
  });

  it('waits for a retry timer and reports when it is due', () => {
    const due = '2026-01-01T00:00:12.500Z';
    expect(plan({ staging: ['pending', due] })).toEqual({
      action: 'advance',
      reenter: [],
      start: [],
      wakeAtMs: Date.parse(due),
    });
    expect(plan({ staging: ['pending', '2026-01-01T00:00:09.000Z'] })).toMatchObject({
      start: ['staging'],
    });
  });

  it('finishes done with the outputs of the leaf stages', () => {
    expect(
      plan({ staging: 'done', tests: 'done', security: 'done', migrate: 'done', canary: 'done' }),
    ).toEqual({
      action: 'finish',
      outcome: {
        status: 'done',
        stage: null,
        reason: null,
        output: { canary: { from: 'canary' } },
        skip: [],
      },
    });
  });

  it('lets running siblings finish after a failure, then ends the run in error and skips what never ran', () => {
    expect(
      plan({ staging: 'done', tests: 'error', security: 'running' }, ['security']),
    ).toMatchObject({ action: 'advance', start: [] });
    expect(plan({ staging: 'done', tests: 'error', security: 'done' })).toEqual({
      action: 'finish',
      outcome: {
        status: 'error',
        stage: 'tests',
        reason: 'tests failed',
        output: null,
        skip: ['migrate', 'canary'],
      },
    });
  });

  it('ends blocked when a gate refused', () => {
    expect(plan({ staging: 'blocked' })).toMatchObject({
      action: 'finish',
      outcome: { status: 'blocked', stage: 'staging' },
    });
  });

  it('ends in error rather than waiting forever when no stage can run', () => {
    expect(plan({ staging: 'skipped' })).toMatchObject({
      action: 'finish',
      outcome: { status: 'error', stage: 'tests' },
    });
  });
});
