import type { RetryPolicy } from './stage-definition.ts';

/** A number in [0, 1), injected so tests pick the jitter. */
export type RandomSource = () => number;

/**
 * Delay before the attempt after `failedAttempt` (1-based, counted within the current budget):
 * full jitter over the capped exponential.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  random: RandomSource,
): number {
  const exponential = policy.initialDelayMs * policy.multiplier ** Math.max(0, failedAttempt - 1);
  const cap = Math.min(policy.maxDelayMs, exponential);
  return Math.floor(random() * cap);
}

/** Whether the budget allows another attempt after `failedAttempt` attempts have failed. */
export function hasAttemptsLeft(policy: RetryPolicy, failedAttempt: number): boolean {
  return failedAttempt < policy.maxAttempts;
}
