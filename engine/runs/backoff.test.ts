import { describe, expect, it } from 'vitest';
import { backoffDelayMs, hasAttemptsLeft } from './backoff.ts';
import {
  classifyFailure,
  BlockedStageError,
  FatalStageError,
  RetryableStageError,
  StageAbortedError,
} from './stage-errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './stage-definition.ts';

const policy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 1000,
  multiplier: 3,
};

describe('backoff with full jitter', () => {
  it('draws uniformly below the capped exponential', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(policy, attempt, () => 0.999999))).toEqual([
      99, 299, 899, 999,
    ]);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(450);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('counts the budget in attempts, the first included', () => {
    expect([1, 4, 5].map((attempt) => hasAttemptsLeft(policy, attempt))).toEqual([
      true,
      true,
      false,
    ]);
    expect(hasAttemptsLeft({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, 1)).toBe(false);
  });
});

describe('classifyFailure', () => {
  it('lets explicit classes win over the classifier', () => {
    const classifier = () => 'retryable' as const;
    expect(classifyFailure(new FatalStageError('x'), classifier)).toBe('fatal');
    expect(classifyFailure(new RetryableStageError('x'), () => 'fatal')).toBe('retryable');
    expect(classifyFailure(new BlockedStageError('x'), classifier)).toBe('blocked');
    expect(classifyFailure(new StageAbortedError('x'), classifier)).toBe('aborted');
  });

  it('asks the classifier about other errors, and treats them as retryable without one', () => {
    expect(classifyFailure(new Error('ECONNRESET'))).toBe('retryable');
    expect(classifyFailure(new Error('bad'), () => 'fatal')).toBe('fatal');
  });
});
