/**
 * What one analysis window decides (issue 9), Argo's analysis step as a pure function: healthy
 * moves on, unhealthy rolls back, unknown holds and rolls back after too many inconclusive
 * windows in a row (fail closed, ARCHITECTURE.md invariant 5).
 */
import type { HealthEvaluation } from '../../targets/health/thresholds.ts';

export type AnalysisDecision =
  | { action: 'next'; reason: string }
  | { action: 'hold'; reason: string; inconclusive: number }
  | { action: 'rollback'; reason: string };

export function decide(
  evaluation: HealthEvaluation,
  inconclusiveSoFar: number,
  maxInconclusive: number,
): AnalysisDecision {
  if (evaluation.verdict === 'healthy') return { action: 'next', reason: 'healthy' };
  if (evaluation.verdict === 'unhealthy') {
    return { action: 'rollback', reason: `unhealthy: ${evaluation.reasons.join('; ')}` };
  }
  const inconclusive = inconclusiveSoFar + 1;
  const why = evaluation.reasons.join('; ');
  if (inconclusive >= maxInconclusive) {
    return {
      action: 'rollback',
      reason: `${inconclusive} inconclusive analysis windows in a row (fail closed): ${why}`,
    };
  }
  return { action: 'hold', reason: `inconclusive, holding: ${why}`, inconclusive };
}
