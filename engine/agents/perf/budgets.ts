import type { RouteResult } from './route-load.ts';

/** What a route must do to pass the perf gate. */
export interface RouteBudget {
  route: string;
  p95Ms: number;
  errorRate: number;
  minThroughputPerSec: number;
}

export interface BudgetViolation {
  route: string;
  metric: 'p95Ms' | 'errorRate' | 'throughputPerSec' | 'missing';
  budget: number;
  measured: number;
  message: string;
}

/**
 * Budgets from a baseline run: p95 may grow by `headroom` (0.2 = 20%), throughput may drop by it,
 * the error rate may not rise above the baseline's or `errorRateFloor`, whichever is higher
 * (a baseline of exactly 0 errors would otherwise fail on the first timeout).
 */
export function budgetsFromBaseline(
  baseline: RouteResult[],
  headroom = 0.2,
  errorRateFloor = 0.01,
): RouteBudget[] {
  return baseline.map((result) => ({
    route: result.route,
    p95Ms: Math.ceil(result.p95Ms * (1 + headroom) * 100) / 100,
    errorRate: Math.max(result.errorRate, errorRateFloor),
    minThroughputPerSec: Math.floor(result.throughputPerSec * (1 - headroom) * 100) / 100,
  }));
}

/** Every budget checked; a route with a budget but no measurement fails closed. */
export function evaluateBudgets(
  results: RouteResult[],
  budgets: RouteBudget[],
): { ok: boolean; violations: BudgetViolation[] } {
  const byRoute = new Map(results.map((result) => [result.route, result]));
  const violations: BudgetViolation[] = [];
  for (const budget of budgets) {
    const measured = byRoute.get(budget.route);
    if (!measured || measured.requests === 0 || Number.isNaN(measured.p95Ms)) {
      violations.push({
        route: budget.route,
        metric: 'missing',
        budget: 0,
        measured: 0,
        message: `${budget.route} was not measured, so its budget cannot be shown to hold`,
      });
      continue;
    }
    if (measured.p95Ms > budget.p95Ms) {
      violations.push({
        route: budget.route,
        metric: 'p95Ms',
        budget: budget.p95Ms,
        measured: measured.p95Ms,
        message: `${budget.route} p95 ${measured.p95Ms.toFixed(1)} ms is over its budget of ${budget.p95Ms} ms`,
      });
    }
    if (measured.errorRate > budget.errorRate) {
      violations.push({
        route: budget.route,
        metric: 'errorRate',
        budget: budget.errorRate,
        measured: measured.errorRate,
        message: `${budget.route} error rate ${(measured.errorRate * 100).toFixed(2)}% is over its budget of ${(budget.errorRate * 100).toFixed(2)}%`,
      });
    }
    if (measured.throughputPerSec < budget.minThroughputPerSec) {
      violations.push({
        route: budget.route,
        metric: 'throughputPerSec',
        budget: budget.minThroughputPerSec,
        measured: measured.throughputPerSec,
        message: `${budget.route} served ${measured.throughputPerSec.toFixed(0)} req/s, under its budget of ${budget.minThroughputPerSec}`,
      });
    }
  }
  return { ok: violations.length === 0, violations };
}
