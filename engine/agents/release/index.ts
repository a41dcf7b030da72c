/** engine/agents/release: the release and rollback runs (issue 9). */
export { releaseRun, planSteps, type ReleaseSummary } from './release-run.ts';
export { rollbackRun } from './rollback-run.ts';
export type {
  GateDecision,
  GateInput,
  HotfixRequest,
  ReleaseAgentOptions,
  ReleaseGate,
  ReleaseScope,
  ReleaseTargetOption,
} from './options.ts';
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
  type PendingControl,
  type Release,
  type ReleaseDecision,
  type ReleaseDetail,
  type ReleaseNotification,
  type ReleasePhase,
} from './release-state.ts';
export {
  requestReleaseControl,
  ReleaseControlError,
  type ReleaseControlAction,
  type ReleaseControlErrorCode,
  type ReleaseControlRequest,
} from './controls.ts';
export {
  gateDocument,
  policyReleaseGate,
  type FreezeWindow,
  type PolicyReleaseGateOptions,
  type ReleaseEvidence,
} from './policy-gate.ts';
export { webhookNotifier, type ReleaseOutcome } from './notify.ts';
export { countRecentFailures, DEFAULT_RECENT_FAILURE_DAYS } from './history.ts';
export { riskScore, type RiskInput, type RiskScore } from './risk.ts';
export { decide, type AnalysisDecision } from './analysis.ts';
