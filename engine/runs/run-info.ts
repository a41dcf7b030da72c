import type { Db } from '../store/database.ts';
import { RunsError } from './run-errors.ts';
import {
  getRun,
  getStages,
  listRuns,
  type Run,
  type RunFilter,
  type Stage,
} from './run-records.ts';
import type { CompensationState, RunKind, RunStatus, StageStatus } from './run-status.ts';

/** A stage as the API and UI see it. */
export interface StageInfo {
  name: string;
  status: StageStatus;
  attempt: number;
  nextAttemptAt: string | null;
  /** True while the stage waits of its own accord (an approval, a canary window), not after a failure. */
  waiting: boolean;
  reason: string | null;
  compensation: CompensationState;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A run as the API and UI see it: serialisable, made only by `toRunInfo` (Podman's TaskInfo). */
export interface RunInfo {
  runId: string;
  projectId: string;
  kind: RunKind;
  status: RunStatus;
  /** running(stage), error(stage, reason), blocked(stage, reason). */
  stage: string | null;
  reason: string | null;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  stages: StageInfo[];
}

export function toRunInfo(run: Run, stages: readonly Stage[]): RunInfo {
  return {
    runId: run.id,
    projectId: run.projectId,
    kind: run.kind,
    status: run.status,
    stage: run.currentStage,
    reason: run.reason,
    submittedBy: run.submittedBy,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    stages: stages.map((stage) => ({
      name: stage.name,
      status: stage.status,
      // Within the current budget: a replayed stage counts from 1 again.
      attempt: stage.attempt - stage.attemptBase,
      nextAttemptAt: stage.nextAttemptAt,
      waiting: stage.status === 'pending' && stage.waitReason !== null,
      reason: stage.reason,
      compensation: stage.compensation,
      startedAt: stage.startedAt,
      finishedAt: stage.finishedAt,
    })),
  };
}

/** `runs show`: a run and its stages; RunsError('not-found') for an unknown id. */
export function showRun(db: Db, runId: string): RunInfo {
  const run = getRun(db, runId);
  if (!run) throw new RunsError('not-found', `run ${runId} does not exist`);
  return toRunInfo(run, getStages(db, runId));
}

/** `runs list`: newest first, filtered by project, kind and status. */
export function listRunInfos(db: Db, filter: RunFilter = {}): RunInfo[] {
  return listRuns(db, filter).map((run) => toRunInfo(run, getStages(db, run.id)));
}
