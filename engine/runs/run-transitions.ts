import type { AuditActor } from '../audit/audit-sink.ts';
import { newId } from '../store/ids.ts';
import { RunCapacityError, RunsError } from './run-errors.ts';
import { countInFlight, getRun, getStages } from './run-records.ts';
import { canTransitionRun, type RunKind, type RunStatus } from './run-status.ts';
import { SYSTEM_ACTOR, type Tx } from './run-writer.ts';
import { sql } from './statements.ts';

/**
 * Run-level transitions. Each is called inside RunWriter.transact, re-reads the row it changes
 * and refuses (returns false) when the run is no longer where the caller thought it was, so
 * a decision made on stale state never overwrites a newer one.
 */

export interface Submission {
  projectId: string;
  kind: RunKind;
  input: unknown;
  actor: AuditActor;
  stages: ReadonlyArray<{ name: string; position: number }>;
  /** The version of the kind's definition the run is submitted under (and keeps). */
  definitionVersion: number;
  capacity: number;
  retryAfterMs: number;
}

export function submitRun(tx: Tx, submission: Submission): string {
  const inFlight = countInFlight(tx.db);
  if (inFlight >= submission.capacity)
    throw new RunCapacityError(inFlight, submission.capacity, submission.retryAfterMs);
  if (!sql(tx.db, 'SELECT 1 FROM projects WHERE id = ?').get(submission.projectId)) {
    throw new RunsError('not-found', `project ${submission.projectId} does not exist`);
  }
  const runId = newId('run');
  const { seq } = sql(tx.db, 'SELECT coalesce(max(submit_seq), 0) + 1 AS seq FROM runs').get() as {
    seq: number;
  };
  sql(
    tx.db,
    `INSERT INTO runs (id, project_id, kind, status, current_stage, reason, input, output, created_at, updated_at, finished_at, submit_seq, submitted_by, definition_version)
       VALUES (?, ?, ?, 'pending', NULL, NULL, ?, NULL, ?, ?, NULL, ?, ?, ?)`,
  ).run(
    runId,
    submission.projectId,
    submission.kind,
    JSON.stringify(submission.input ?? {}),
    tx.at,
    tx.at,
    seq,
    submission.actor.user,
    submission.definitionVersion,
  );
  const insertStage = sql(
    tx.db,
    `INSERT INTO stages (run_id, name, status, attempt, position) VALUES (?, ?, 'pending', 0, ?)`,
  );
  for (const stage of submission.stages) insertStage.run(runId, stage.name, stage.position);
  tx.event(runId, null, 'pending', 0, `${submission.kind} run queued by ${submission.actor.user}`);
  tx.audit(submission.actor, 'run.submitted', runId, {
    projectId: submission.projectId,
    kind: submission.kind,
    stages: submission.stages.map((stage) => stage.name),
  });
  return runId;
}

/** pending → running: the run got its (project, kind) slot. */
export function admitRun(tx: Tx, runId: string): boolean {
  const run = getRun(tx.db, runId);
  if (!run || run.status !== 'pending') return false;
  setRunStatus(tx, runId, 'pending', 'running', null, null);
  tx.event(runId, null, 'running', runPercent(tx, runId), 'run started');
  return true;
}

export interface RunOutcome {
  status: Extract<RunStatus, 'done' | 'error' | 'blocked'>;
  stage: string | null;
  reason: string | null;
  output: unknown;
  /** Pending stages that will never run now. */
  skip: readonly string[];
}

/** running → done | error(stage, reason) | blocked(stage, reason). */
export function finishRun(tx: Tx, runId: string, outcome: RunOutcome): boolean {
  const run = getRun(tx.db, runId);
  if (!run || run.status !== 'running') return false;
  const skip = sql(
    tx.db,
    `UPDATE stages SET status = 'skipped', finished_at = ? WHERE run_id = ? AND name = ? AND status = 'pending'`,
  );
  for (const name of outcome.skip) {
    if (skip.run(tx.at, runId, name).changes === 0) continue;
    tx.audit(SYSTEM_ACTOR, 'run.stage.transition', runId, {
      stage: name,
      from: 'pending',
      to: 'skipped',
    });
  }
  setRunStatus(tx, runId, 'running', outcome.status, outcome.stage, outcome.reason);
  sql(tx.db, 'UPDATE runs SET output = ?, finished_at = ? WHERE id = ?').run(
    JSON.stringify(outcome.output ?? null),
    tx.at,
    runId,
  );
  const where = outcome.stage ? ` at ${outcome.stage}` : '';
  tx.event(
    runId,
    null,
    outcome.status,
    runPercent(tx, runId),
    outcome.reason ? `${outcome.status}${where}: ${outcome.reason}` : outcome.status,
  );
  return true;
}

/**
 * pending | running → cancelled in one transaction: pending stages are skipped, running ones
 * cancelled (owing a compensation if they can undo). Returns the stages that were running, whose
 * bodies the engine must now abort.
 */
export function cancelRun(
  tx: Tx,
  runId: string,
  actor: AuditActor,
  reason: string,
  compensable: (stage: string) => boolean,
): string[] {
  const run = getRun(tx.db, runId);
  if (!run) throw new RunsError('not-found', `run ${runId} does not exist`);
  if (run.status !== 'pending' && run.status !== 'running') {
    throw new RunsError(
      'conflict',
      `run ${runId} is already ${run.status}; only queued or running runs can be cancelled`,
    );
  }
  const running: string[] = [];
  for (const stage of getStages(tx.db, runId)) {
    if (stage.status === 'pending') {
      sql(
        tx.db,
        `UPDATE stages SET status = 'skipped', finished_at = ? WHERE run_id = ? AND name = ?`,
      ).run(tx.at, runId, stage.name);
      tx.audit(actor, 'run.stage.transition', runId, {
        stage: stage.name,
        from: 'pending',
        to: 'skipped',
      });
    } else if (stage.status === 'running') {
      running.push(stage.name);
      sql(
        tx.db,
        `UPDATE stages SET status = 'cancelled', reason = ?, finished_at = ?, compensation = ? WHERE run_id = ? AND name = ?`,
      ).run(
        tx.redact(reason),
        tx.at,
        compensable(stage.name) ? 'pending' : 'none',
        runId,
        stage.name,
      );
      tx.event(runId, stage.name, 'cancelled', null, reason);
      tx.audit(actor, 'run.stage.transition', runId, {
        stage: stage.name,
        from: 'running',
        to: 'cancelled',
        attempt: stage.attempt,
      });
    }
  }
  setRunStatus(tx, runId, run.status, 'cancelled', run.currentStage, reason, actor);
  sql(tx.db, 'UPDATE runs SET finished_at = ? WHERE id = ?').run(tx.at, runId);
  tx.event(
    runId,
    null,
    'cancelled',
    runPercent(tx, runId),
    `cancelled by ${actor.user}: ${reason}`,
  );
  return running;
}

/** Writes a run's status with its audit entry; refuses a transition the state machine does not have. */
export function setRunStatus(
  tx: Tx,
  runId: string,
  from: RunStatus,
  to: RunStatus,
  stage: string | null,
  reason: string | null,
  actor: AuditActor = SYSTEM_ACTOR,
): void {
  if (!canTransitionRun(from, to))
    throw new Error(`run ${runId}: ${from} → ${to} is not a valid transition`);
  const clean = reason === null ? null : tx.redact(reason);
  sql(
    tx.db,
    'UPDATE runs SET status = ?, current_stage = ?, reason = ?, updated_at = ? WHERE id = ? AND status = ?',
  ).run(to, stage, clean, tx.at, runId, from);
  tx.audit(actor, 'run.transition', runId, { from, to, stage, reason: clean });
}

/** Share of the run's stages that are finished, for progress bars. */
export function runPercent(tx: Tx, runId: string): number {
  const row = sql(
    tx.db,
    `SELECT count(*) AS total, sum(status IN ('done', 'skipped')) AS finished FROM stages WHERE run_id = ?`,
  ).get(runId) as { total: number; finished: number | null };
  return row.total === 0 ? 0 : (100 * (row.finished ?? 0)) / row.total;
}
