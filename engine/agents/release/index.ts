/** engine/agents/release: the release and rollback runs (issue 9). */
export { releaseRun, planSteps, type ReleaseSummary } from './release-run.ts';
export { rollbackRun } from './rollback-run.ts';
export type { GateDecision, GateInput, ReleaseAgentOptions, ReleaseGate } from './options.ts';
export {
  releaseInputSchema,
  rollbackInputSchema,
  type ReleaseInput,
  type ReleaseRequest,
  type RollbackInput,
} from './release-input.ts';
export {
  getRelease,
  isTerminalPhase,
  releaseIdOf,
  RELEASE_PHASES,
  type AnalysisSample,
  type Release,
  type ReleaseDecision,
  type ReleaseDetail,
  type ReleasePhase,
} from './release-state.ts';
export { riskScore, type RiskInput, type RiskScore } from './risk.ts';
export { decide, type AnalysisDecision } from './analysis.ts';
