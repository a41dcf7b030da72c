/** engine/agents/sprint: the main job as one run (issue 16). */
export { sprintRun, SprintInput, SPRINT_POLL_MS, type SprintRunOptions } from './sprint-run.ts';
export type {
  Approval,
  ChildRun,
  GeneratedPlan,
  PlanInputs,
  PlanQuestion,
  ReleaseState,
  SprintPorts,
  TrafficStats,
} from './ports.ts';
export type { Gate, Rollout, SprintSummary } from './sprint-summary.ts';
export { syntheticRate } from './synthetic-rate.ts';
