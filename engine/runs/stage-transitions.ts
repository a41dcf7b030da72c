import { newId } from '../store/ids.ts';
import type { Stage } from './run-records.ts';
import { canTransitionStage, type StageStatus } from './run-status.ts';
import { SYSTEM_ACTOR, type Tx } from './run-writer.ts';
import { sql } from './statements.ts';

/**
 * Stage-level transitions, each inside RunWriter.transact. Those that end an attempt take the
 * attempt number they ran under and do nothing when the stage moved on meanwhile (cancelled,
 * or re-entered after a restart), so a late result can never overwrite a newer state.
 */

function stageRow(tx: Tx, runId: string, name: string): Stage | undefined {
  const row = sql(
    tx.db,
    'SELECT status, attempt, attempt_base AS attemptBase, reason, wait_reason AS waitReason FROM stages WHERE run_id = ? AND name = ?',
  ).get(runId, name) as
    Pick<Stage, 'status' | 'attempt' | 'attemptBase' | 'reason' | 'waitReason'> | undefined;
  return row && ({ ...row, runId, name } as Stage);
}

function transition(
  tx: Tx,
  runId: string,
  name: string,
  from: StageStatus,
  to: StageStatus,
  attempt: number,
  reason: string | null,
): void {
  if (!canTransitionStage(from, to))
    throw new Error(`stage ${runId}/${name}: ${from} → ${to} is not a valid transition`);
  tx.audit(SYSTEM_ACTOR, 'run.stage.transition', runId, { stage: name, from, to, attempt, reason });
}

/** pending → running under the next attempt number; returns it, or null if the stage was not pending. */
export function startStage(tx: Tx, runId: string, name: string): number | null {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'pending') return null;
  const attempt = stage.attempt + 1;
  sql(
    tx.db,
    `UPDATE stages SET status = 'running', attempt = ?, next_attempt_at = NULL, wait_reason = NULL, started_at = COALESCE(CASE WHEN wait_reason IS NOT NULL THEN started_at END, ?), finished_at = NULL WHERE run_id = ? AND name = ?`,
  ).run(attempt, tx.at, runId, name);
  sql(tx.db, 'UPDATE runs SET current_stage = ?, updated_at = ? WHERE id = ?').run(
    name,
    tx.at,
    runId,
  );
  // A stage coming back from a wait (waitStage) only looks again: its start and its wait were
  // recorded, and one audit entry per look would bury the chain under a long canary's polls.
  if (stage.waitReason !== null) return attempt;
  transition(tx, runId, name, 'pending', 'running', attempt, null);
  tx.event(
    runId,
    name,
    'running',
    0,
    attempt === 1 ? 'started' : `attempt ${attempt - stage.attemptBase} started`,
  );
  return attempt;
}

/** A stage found running after a restart is re-entered under the same attempt, so its effect keys repeat. */
export function resumeStage(tx: Tx, runId: string, name: string): number | null {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'running') return null;
  tx.event(runId, name, 'resumed', null, `re-entered attempt ${stage.attempt} after a restart`);
  return stage.attempt;
}

export function completeStage(
  tx: Tx,
  runId: string,
  name: string,
  attempt: number,
  output: unknown,
): boolean {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'running' || stage.attempt !== attempt) return false;
  sql(
    tx.db,
    `UPDATE stages SET status = 'done', output = ?, reason = NULL, finished_at = ? WHERE run_id = ? AND name = ?`,
  ).run(JSON.stringify(output ?? null), tx.at, runId, name);
  transition(tx, runId, name, 'running', 'done', attempt, null);
  tx.event(runId, name, 'done', 100, 'done');
  return true;
}

/** running → pending with a timer: the failed attempt is recorded and the next one waits for `nextAttemptAtMs`. */
export function scheduleRetry(
  tx: Tx,
  runId: string,
  name: string,
  attempt: number,
  nextAttemptAtMs: number,
  error: string,
): boolean {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'running' || stage.attempt !== attempt) return false;
  const reason = tx.redact(error);
  const at = new Date(nextAttemptAtMs).toISOString();
  sql(
    tx.db,
    `UPDATE stages SET status = 'pending', next_attempt_at = ?, reason = ? WHERE run_id = ? AND name = ?`,
  ).run(at, reason, runId, name);
  transition(tx, runId, name, 'running', 'pending', attempt, reason);
  const delay = Math.max(0, nextAttemptAtMs - tx.nowMs);
  tx.event(
    runId,
    name,
    'retrying',
    null,
    `attempt ${attempt - stage.attemptBase} failed: ${reason}; next attempt in ${delay} ms`,
  );
  return true;
}

/**
 * running → pending for a stage that waits (StageContext.requeueAt): no failure is recorded and
 * the retry budget starts again (attempt_base = attempt). `wait_reason` marks the stage as
 * waiting rather than backing off after a failure, for `wakeStages` and `startStage`.
 */
export function waitStage(
  tx: Tx,
  runId: string,
  name: string,
  attempt: number,
  atMs: number,
  reason: string,
): boolean {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'running' || stage.attempt !== attempt) return false;
  const why = tx.redact(reason);
  // A stage that waits with the same reason as before writes no new event: a sprint polling its
  // child run every second would otherwise fill the event log with identical lines.
  const same = stage.reason === why;
  sql(
    tx.db,
    `UPDATE stages SET status = 'pending', next_attempt_at = ?, reason = ?, wait_reason = ?, attempt_base = ? WHERE run_id = ? AND name = ?`,
  ).run(new Date(atMs).toISOString(), why, why, attempt, runId, name);
  if (!same) {
    transition(tx, runId, name, 'running', 'pending', attempt, why);
    tx.event(runId, name, 'waiting', null, why);
  }
  return true;
}

/** Waiting stages of a run become due now (an approval arrived, a person pressed a control). */
export function wakeStages(tx: Tx, runId: string): number {
  return sql(
    tx.db,
    `UPDATE stages SET next_attempt_at = ? WHERE run_id = ? AND status = 'pending' AND wait_reason IS NOT NULL`,
  ).run(tx.at, runId).changes;
}

export interface StageFailure {
  status: 'error' | 'blocked';
  reason: string;
  /** Whether compensate() must run for a partial apply. */
  compensate: boolean;
  /** Set when the stage goes to the dead-letter queue. */
  deadLetter?: { inputs: unknown; attempts: number };
}

/** running → error | blocked, with its dead letter in the same transaction. Returns the dead letter id. */
export function failStage(
  tx: Tx,
  runId: string,
  name: string,
  attempt: number,
  failure: StageFailure,
): { deadLetterId: string | null } | null {
  const stage = stageRow(tx, runId, name);
  if (!stage || stage.status !== 'running' || stage.attempt !== attempt) return null;
  const reason = tx.redact(failure.reason);
  sql(
    tx.db,
    `UPDATE stages SET status = ?, reason = ?, finished_at = ?, compensation = ? WHERE run_id = ? AND name = ?`,
  ).run(failure.status, reason, tx.at, failure.compensate ? 'pending' : 'none', runId, name);
  transition(tx, runId, name, 'running', failure.status, attempt, reason);
  tx.event(runId, name, failure.status, null, reason);
  let deadLetterId: string | null = null;
  if (failure.deadLetter) {
    deadLetterId = newId('dlq');
    const inputs = JSON.stringify(tx.redactValue(failure.deadLetter.inputs) ?? {});
    sql(
      tx.db,
      'INSERT INTO dead_letters (id, run_id, stage, attempts, error, inputs, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(deadLetterId, runId, name, failure.deadLetter.attempts, reason, inputs, tx.at);
    tx.audit(SYSTEM_ACTOR, 'run.dead-letter.created', runId, {
      stage: name,
      deadLetterId,
      attempts: failure.deadLetter.attempts,
      error: reason,
    });
  }
  return { deadLetterId };
}

/** pending → done | failed for a compensation, recorded once it has run. */
export function settleCompensation(
  tx: Tx,
  runId: string,
  name: string,
  ok: boolean,
  message: string,
): boolean {
  const row = sql(tx.db, 'SELECT compensation FROM stages WHERE run_id = ? AND name = ?').get(
    runId,
    name,
  ) as { compensation: string } | undefined;
  if (row?.compensation !== 'pending') return false;
  sql(tx.db, 'UPDATE stages SET compensation = ? WHERE run_id = ? AND name = ?').run(
    ok ? 'done' : 'failed',
    runId,
    name,
  );
  tx.audit(SYSTEM_ACTOR, 'run.stage.compensated', runId, {
    stage: name,
    ok,
    message: tx.redact(message),
  });
  tx.event(runId, name, ok ? 'compensated' : 'compensation-failed', null, message);
  return true;
}
