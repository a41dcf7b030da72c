/** The perf stage (issue 10): load per route, budgets from a baseline, and their evaluation. */
export { AUTOCANNON_VERSION, loadRoute, type RouteLoad, type RouteResult } from './route-load.ts';
export { loadRouteWithK6, type K6RouteLoad } from './k6-load.ts';
export { routeResultFromK6Summary } from './k6-summary.ts';
export { chooseLoadGenerator, loadRouteWith, type LoadGeneratorChoice } from './load-generator.ts';
export {
  budgetsFromBaseline,
  evaluateBudgets,
  type BudgetViolation,
  type RouteBudget,
} from './budgets.ts';
