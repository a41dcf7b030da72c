import type { AuditActor } from '../audit/audit-sink.ts';
import type { Db } from '../store/database.ts';
import { RunCapacityError, RunsError } from './run-errors.ts';
import { countInFlight, getRun, getStages } from './run-records.ts';
import { runPercent, setRunStatus } from './run-transitions.ts';
import type { Tx } from './run-writer.ts';
import { sql } from './statements.ts';

/** A stage that failed for good, with what it was given, kept for inspection and replay. */
export interface DeadLetter {
  id: string;
  runId: string;
  stage: string;
  attempts: number;
  error: string;
  inputs: unknown;
  createdAt: string;
  replayedAt: string | null;
}

interface DeadLetterRow {
  id: string;
  run_id: string;
  stage: string;
  attempts: number;
  error: string;
  inputs: string;
  created_at: string;
  replayed_at: string | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    runId: row.run_id,
    stage: row.stage,
    attempts: row.attempts,
    error: row.error,
    inputs: JSON.parse(row.inputs) as unknown,
    createdAt: row.created_at,
    replayedAt: row.replayed_at,
  };
}

export interface DeadLetterFilter {
  runId?: string;
  /** Include letters already replayed; default false. */
  includeReplayed?: boolean;
  limit?: number;
}

/** Newest first. */
export function listDeadLetters(db: Db, filter: DeadLetterFilter = {}): DeadLetter[] {
  const rows = sql(
    db,
    `SELECT * FROM dead_letters WHERE (? IS NULL OR run_id = ?) AND (? OR replayed_at IS NULL)
       ORDER BY created_at DESC, id LIMIT ?`,
  ).all(
    filter.runId ?? null,
    filter.runId ?? null,
    filter.includeReplayed ? 1 : 0,
    filter.limit ?? 100,
  ) as DeadLetterRow[];
  return rows.map(toDeadLetter);
}

export function getDeadLetter(db: Db, id: string): DeadLetter | undefined {
  const row = sql(db, 'SELECT * FROM dead_letters WHERE id = ?').get(id) as
    DeadLetterRow | undefined;
  return row && toDeadLetter(row);
}

/**
 * Puts the dead-lettered stage back to pending with a fresh retry budget and its failed run
 * back in the queue, in one transaction. Attempt numbers keep counting (attempt_base), so the
 * replay's effects get new idempotency keys instead of being answered by the failed ones.
 */
export function replayDeadLetter(
  tx: Tx,
  id: string,
  actor: AuditActor,
  capacity: number,
  retryAfterMs: number,
): string {
  const letter = getDeadLetter(tx.db, id);
  if (!letter) throw new RunsError('not-found', `dead letter ${id} does not exist`);
  if (letter.replayedAt)
    throw new RunsError(
      'conflict',
      `dead letter ${id} was already replayed at ${letter.replayedAt}`,
    );
  const run = getRun(tx.db, letter.runId);
  if (run?.status !== 'error') {
    throw new RunsError(
      'conflict',
      `run ${letter.runId} is ${run?.status ?? 'gone'}; only a run that ended in error can be replayed`,
    );
  }
  const stages = getStages(tx.db, letter.runId);
  const stage = stages.find((candidate) => candidate.name === letter.stage);
  if (stage?.status !== 'error')
    throw new RunsError(
      'conflict',
      `stage ${letter.stage} is ${stage?.status ?? 'gone'}, not error`,
    );
  if (stage.compensation === 'pending') {
    throw new RunsError(
      'conflict',
      `stage ${letter.stage} is still compensating its partial apply; replay it once that has finished`,
    );
  }
  const inFlight = countInFlight(tx.db);
  if (inFlight >= capacity) throw new RunCapacityError(inFlight, capacity, retryAfterMs);

  sql(
    tx.db,
    `UPDATE stages SET status = 'pending', attempt_base = attempt, reason = NULL, next_attempt_at = NULL,
       finished_at = NULL, compensation = 'none' WHERE run_id = ? AND name = ?`,
  ).run(letter.runId, letter.stage);
  tx.audit(actor, 'run.stage.transition', letter.runId, {
    stage: letter.stage,
    from: 'error',
    to: 'pending',
    attempt: stage.attempt,
  });
  for (const skipped of stages.filter((candidate) => candidate.status === 'skipped')) {
    sql(
      tx.db,
      `UPDATE stages SET status = 'pending', finished_at = NULL WHERE run_id = ? AND name = ?`,
    ).run(letter.runId, skipped.name);
    tx.audit(actor, 'run.stage.transition', letter.runId, {
      stage: skipped.name,
      from: 'skipped',
      to: 'pending',
      attempt: skipped.attempt,
    });
  }
  setRunStatus(tx, letter.runId, 'error', 'pending', null, null, actor);
  sql(tx.db, 'UPDATE runs SET finished_at = NULL, output = NULL WHERE id = ?').run(letter.runId);
  sql(tx.db, 'UPDATE dead_letters SET replayed_at = ? WHERE id = ?').run(tx.at, id);
  tx.audit(actor, 'run.dead-letter.replayed', letter.runId, {
    deadLetterId: id,
    stage: letter.stage,
  });
  tx.event(
    letter.runId,
    null,
    'pending',
    runPercent(tx, letter.runId),
    `replay of ${letter.stage} queued by ${actor.user}`,
  );
  return letter.runId;
}
