/**
 * The release risk score (issue 9): size of change, migrations and recent failures, each
 * weighted into [0, 1]. Pure, so the same inputs always give the same recorded score.
 */
export interface RiskInput {
  /** Lines added plus removed since the running version. */
  linesChanged?: number;
  /** Failed releases of this project in the recent past. */
  recentFailures?: number;
  /** True when the release carries a schema migration. */
  migrations?: boolean;
}

export interface RiskScore {
  score: number;
  factors: { size: number; migrations: number; recentFailures: number };
}

/** 40% size (saturating at 2000 lines), 30% migrations, 30% recent failures (saturating at 3). */
export function riskScore(input: RiskInput): RiskScore {
  const size = round(0.4 * Math.min(1, (input.linesChanged ?? 0) / 2000));
  const migrations = input.migrations ? 0.3 : 0;
  const recentFailures = round(0.3 * Math.min(1, (input.recentFailures ?? 0) / 3));
  return {
    score: round(size + migrations + recentFailures),
    factors: { size, migrations, recentFailures },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
