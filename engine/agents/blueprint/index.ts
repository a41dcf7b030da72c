/** The blueprint agent's public surface (issue 7). */
export { planBlueprint } from './plan.ts';
export { writePlanArtifacts } from './write-plan.ts';
export { parseBlueprintInputs } from './inputs.ts';
export { PLAN_HASH_VERSION } from './preview.ts';
export type {
  ArtifactChange,
  CostEstimate,
  InfraResource,
  InfraSummary,
  Plan,
  PlanOptions,
  PlanSummary,
  PlannedArtifact,
  PolicyProfile,
  ReadCurrentFile,
  TimeToReady,
} from './plan-model.ts';
