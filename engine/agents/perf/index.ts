/** The perf stage (issue 10): load per route, budgets from a baseline, and their evaluation. */
export { loadRoute, type RouteLoad, type RouteResult } from './route-load.ts';
export {
  budgetsFromBaseline,
  evaluateBudgets,
  type BudgetViolation,
  type RouteBudget,
} from './budgets.ts';
