import type { Db } from '../store/database.ts';
import type { CompensationState, RunKind, RunStatus, StageStatus } from './run-status.ts';
import { sql } from './statements.ts';

/**
 * Reads of the engine's tables, as the engine holds them (internal: `Run`, `Stage`). The API
 * and the UI get `RunInfo` from run-info.ts instead.
 */
export interface Run {
  id: string;
  projectId: string;
  kind: RunKind;
  status: RunStatus;
  currentStage: string | null;
  reason: string | null;
  input: unknown;
  output: unknown;
  submitSeq: number;
  submittedBy: string | null;
  /** The version of its kind's definition the run was submitted under. */
  definitionVersion: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface Stage {
  runId: string;
  name: string;
  position: number;
  status: StageStatus;
  attempt: number;
  attemptBase: number;
  nextAttemptAt: string | null;
  reason: string | null;
  /** Set while the stage waits of its own accord (StageContext.requeueAt), not after a failure. */
  waitReason: string | null;
  output: unknown;
  compensation: CompensationState;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * One persisted, broadcast event. `stage` is null for run-level events; `seq` counts from 1 per
 * run and is the cursor for replay. `percent` is the stage's own progress on stage events and
 * the share of finished stages on run events.
 */
export interface RunEvent {
  runId: string;
  seq: number;
  stage: string | null;
  status: string;
  percent: number | null;
  message: string;
  at: string;
}

interface RunRow {
  id: string;
  project_id: string;
  kind: RunKind;
  status: RunStatus;
  current_stage: string | null;
  reason: string | null;
  input: string;
  output: string | null;
  submit_seq: number;
  submitted_by: string | null;
  definition_version: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

interface StageRow {
  run_id: string;
  name: string;
  position: number;
  status: StageStatus;
  attempt: number;
  attempt_base: number;
  next_attempt_at: string | null;
  reason: string | null;
  wait_reason: string | null;
  output: string | null;
  compensation: CompensationState;
  started_at: string | null;
  finished_at: string | null;
}

interface EventRow {
  run_id: string;
  seq: number;
  stage: string | null;
  status: string;
  percent: number | null;
  message: string;
  at: string;
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    status: row.status,
    currentStage: row.current_stage,
    reason: row.reason,
    input: JSON.parse(row.input) as unknown,
    output: row.output === null ? null : (JSON.parse(row.output) as unknown),
    submitSeq: row.submit_seq,
    submittedBy: row.submitted_by,
    definitionVersion: row.definition_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toStage(row: StageRow): Stage {
  return {
    runId: row.run_id,
    name: row.name,
    position: row.position,
    status: row.status,
    attempt: row.attempt,
    attemptBase: row.attempt_base,
    nextAttemptAt: row.next_attempt_at,
    reason: row.reason,
    waitReason: row.wait_reason,
    output: row.output === null ? null : (JSON.parse(row.output) as unknown),
    compensation: row.compensation,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function toRunEvent(row: EventRow): RunEvent {
  return {
    runId: row.run_id,
    seq: row.seq,
    stage: row.stage,
    status: row.status,
    percent: row.percent,
    message: row.message,
    at: row.at,
  };
}

export function getRun(db: Db, runId: string): Run | undefined {
  const row = sql(db, 'SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  return row && toRun(row);
}

export function getStages(db: Db, runId: string): Stage[] {
  const rows = sql(db, 'SELECT * FROM stages WHERE run_id = ? ORDER BY position, name').all(
    runId,
  ) as StageRow[];
  return rows.map(toStage);
}

/** The persisted outputs of a run's finished stages, by stage name. */
export function stageOutputs(db: Db, runId: string): Record<string, unknown> {
  return Object.fromEntries(
    getStages(db, runId)
      .filter((stage) => stage.status === 'done')
      .map((stage) => [stage.name, stage.output]),
  );
}

export interface RunFilter {
  projectId?: string;
  kind?: RunKind;
  status?: RunStatus;
  /** Newest first; default 100. */
  limit?: number;
}

export function listRuns(db: Db, filter: RunFilter = {}): Run[] {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['project_id', filter.projectId],
    ['kind', filter.kind],
    ['status', filter.status],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const query = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY submit_seq DESC LIMIT ?`;
  const rows = sql(db, query).all(...params, filter.limit ?? 100) as RunRow[];
  return rows.map(toRun);
}

/** Events after `afterSeq` in order: the cursor a late subscriber replays from. */
export function readEvents(db: Db, runId: string, afterSeq = 0, limit = 1000): RunEvent[] {
  const rows = sql(
    db,
    'SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  ).all(runId, afterSeq, limit) as EventRow[];
  return rows.map(toRunEvent);
}

/** Finished runs that still owe a compensation (the engine died before running it). */
export function runsOwingCompensation(db: Db): string[] {
  const rows = sql(
    db,
    `SELECT DISTINCT s.run_id AS id FROM stages s JOIN runs r ON r.id = s.run_id
       WHERE s.compensation = 'pending' AND r.status NOT IN ('pending', 'running')`,
  ).all() as Array<{ id: string }>;
  return rows.map((row) => row.id);
}

const ADMISSIBLE = `r.status = 'pending'
  AND NOT EXISTS (SELECT 1 FROM runs a WHERE a.status = 'running' AND a.project_id = r.project_id AND a.kind = r.kind)
  AND NOT EXISTS (SELECT 1 FROM runs p WHERE p.status = 'pending' AND p.project_id = r.project_id AND p.kind = r.kind
                  AND p.submit_seq < r.submit_seq)`;

/**
 * Queued runs that may start now: FIFO per (project, kind), so a run is admissible when no run
 * of its project and kind is running and none was queued before it. With `slot`, only that
 * project and kind are looked at (what a submission or a finished run can change).
 */
export function admissibleRunIds(db: Db, slot?: { projectId: string; kind: string }): string[] {
  const rows = slot
    ? (sql(
        db,
        `SELECT r.id FROM runs r WHERE r.project_id = ? AND r.kind = ? AND ${ADMISSIBLE}`,
      ).all(slot.projectId, slot.kind) as Array<{ id: string }>)
    : (sql(db, `SELECT r.id FROM runs r WHERE ${ADMISSIBLE} ORDER BY r.submit_seq`).all() as Array<{
        id: string;
      }>);
  return rows.map((row) => row.id);
}

/** Ids of running runs: what a restarted engine must reconcile. */
export function runningRunIds(db: Db): string[] {
  return (
    sql(db, `SELECT id FROM runs WHERE status = 'running' ORDER BY submit_seq`).all() as Array<{
      id: string;
    }>
  ).map((row) => row.id);
}

export function countInFlight(db: Db): number {
  return (
    sql(db, `SELECT count(*) AS n FROM runs WHERE status IN ('pending', 'running')`).get() as {
      n: number;
    }
  ).n;
}
