import { describe, expect, it } from 'vitest';
import { defineRun, type StageDefinition } from './stage-definition.ts';
import { canTransitionRun, canTransitionStage, isStageTerminal, isTerminal } from './run-status.ts';

const stage = (name: string, extra: Partial<StageDefinition> = {}): StageDefinition => ({
  name,
  run: () => null,
  ...extra,
});

describe('defineRun', () => {
  it('resolves defaults: inputs = needs, default retry policy, not parallel, positions', () => {
    const run = defineRun({
      kind: 'apply',
      stages: [stage('a'), stage('b', { needs: ['a'], retry: { maxAttempts: 7 } })],
    });
    expect(run.byName.get('b')).toMatchObject({
      inputs: ['a'],
      parallel: false,
      position: 1,
      retry: { maxAttempts: 7, initialDelayMs: 1000 },
    });
  });

  it.each([
    ['a cycle', [stage('a', { needs: ['b'] }), stage('b', { needs: ['a'] })], /cycle/],
    ['an unknown need', [stage('a', { needs: ['zz'] })], /unknown stage "zz"/],
    ['a duplicate name', [stage('a'), stage('a')], /declared twice/],
    [
      'an input it does not need',
      [stage('a'), stage('b'), stage('c', { needs: ['b'], inputs: ['a'] })],
      /not a stage it needs/,
    ],
    ['a bad name', [stage('Build Image')], /kebab-case/],
    ['no attempts', [stage('a', { retry: { maxAttempts: 0 } })], /maxAttempts/],
  ])('refuses %s', (_label, stages, message) => {
    expect(() => defineRun({ kind: 'apply', stages })).toThrow(message);
  });

  it('accepts inputs from transitive ancestors', () => {
    expect(() =>
      defineRun({
        kind: 'apply',
        stages: [
          stage('a'),
          stage('b', { needs: ['a'] }),
          stage('c', { needs: ['b'], inputs: ['a'] }),
        ],
      }),
    ).not.toThrow();
  });
});

describe('phases', () => {
  it('knows which phases are terminal', () => {
    expect(
      ['pending', 'running', 'done', 'error', 'blocked', 'cancelled'].filter((s) =>
        isTerminal(s as never),
      ),
    ).toEqual(['done', 'error', 'blocked', 'cancelled']);
    expect(isStageTerminal('skipped')).toBe(true);
    expect(isStageTerminal('pending')).toBe(false);
  });

  it('allows only the transitions of the state machine', () => {
    expect(canTransitionRun('pending', 'running')).toBe(true);
    expect(canTransitionRun('done', 'running')).toBe(false);
    expect(canTransitionRun('error', 'pending')).toBe(true);
    expect(canTransitionStage('running', 'pending')).toBe(true);
    expect(canTransitionStage('done', 'pending')).toBe(false);
  });
});
