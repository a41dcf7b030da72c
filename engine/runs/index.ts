/**
 * engine/runs: the durable DAG runner (issue 3). What the API layer and the agents use;
 * everything else in this folder is internal.
 */
export { RunEngine } from './run-engine.ts';
export type { RunEngineOptions, SubmitRequest } from './run-engine-options.ts';
export { defineRun, DEFAULT_RETRY_POLICY } from './stage-definition.ts';
export type {
  CompensationContext,
  CompletedEffect,
  EffectKey,
  RetryPolicy,
  RunDefinition,
  StageContext,
  StageDefinition,
} from './stage-definition.ts';
export {
  BlockedStageError,
  FatalStageError,
  RetryableStageError,
  StageAbortedError,
  splitRemedy,
} from './stage-errors.ts';
export { RunCapacityError, RunsError, type RunsErrorReason } from './run-errors.ts';
export {
  isRunKind,
  isStageTerminal,
  isTerminal,
  RUN_KINDS,
  RUN_STATUSES,
  STAGE_STATUSES,
} from './run-status.ts';
export type { CompensationState, RunKind, RunStatus, StageStatus } from './run-status.ts';
export { listRunInfos, showRun, toRunInfo, type RunInfo, type StageInfo } from './run-info.ts';
export { onceResult } from './effects.ts';
export { readEvents, stageOutputs, type RunEvent, type RunFilter } from './run-records.ts';
export {
  getDeadLetter,
  listDeadLetters,
  type DeadLetter,
  type DeadLetterFilter,
} from './dead-letters.ts';
export type { RunEventListener } from './event-hub.ts';
export { systemClock, type Clock, type TimerHandle } from './clock.ts';
export type { RandomSource } from './backoff.ts';
export {
  formatEventLine,
  watchRun,
  type RunEventSource,
  type WatchOptions,
} from './progress-view.ts';
