import type { Db } from '../store/database.ts';
import { SYSTEM_ACTOR, type RunWriter } from './run-writer.ts';
import { StageAbortedError } from './stage-errors.ts';
import type { CompletedEffect, EffectFn, EffectKey } from './stage-definition.ts';
import { sql } from './statements.ts';

export interface EffectScope {
  projectId: string;
  runId: string;
  stage: string;
  attempt: number;
}

interface KeyRow {
  state: 'started' | 'completed';
  result: string | null;
}

/**
 * Invariant 4: the key is committed before the effect runs and its result after. A completed
 * key is answered from the table; a started one means the engine died mid-effect, so the
 * effect runs again under the same key and the receiver dedupes. The result goes through JSON
 * both times, so a stage sees the same value whether the effect ran now or before a crash.
 */
export async function runEffect<T>(
  writer: RunWriter,
  scope: EffectScope,
  name: string,
  fn: EffectFn<T>,
  signal: AbortSignal,
): Promise<T> {
  if (!name || name.includes('/'))
    throw new Error(`effect name "${name}" must be non-empty and contain no "/"`);
  if (signal.aborted) throw abortReason(signal);
  const key: EffectKey = {
    ...scope,
    effect: name,
    token: [scope.projectId, scope.runId, scope.stage, scope.attempt, name].join('/'),
  };
  const params = [scope.projectId, scope.runId, scope.stage, scope.attempt, name] as const;

  const { result: existing } = writer.transact((tx) => {
    const row = sql(
      tx.db,
      'SELECT state, result FROM idempotency_keys WHERE project_id = ? AND run_id = ? AND stage = ? AND attempt = ? AND effect = ?',
    ).get(...params) as KeyRow | undefined;
    if (row) return row;
    sql(
      tx.db,
      `INSERT INTO idempotency_keys (project_id, run_id, stage, attempt, effect, state, created_at) VALUES (?, ?, ?, ?, ?, 'started', ?)`,
    ).run(...params, tx.at);
    tx.audit(SYSTEM_ACTOR, 'run.effect.started', scope.runId, {
      stage: scope.stage,
      attempt: scope.attempt,
      effect: name,
    });
    return undefined;
  });
  if (existing?.state === 'completed') return JSON.parse(existing.result ?? 'null') as T;

  const value = await fn(key, signal);
  const stored = JSON.stringify(value ?? null);
  writer.transact((tx) => {
    sql(
      tx.db,
      `UPDATE idempotency_keys SET state = 'completed', result = ?, completed_at = ?
         WHERE project_id = ? AND run_id = ? AND stage = ? AND attempt = ? AND effect = ? AND state = 'started'`,
    ).run(stored, tx.at, ...params);
    tx.audit(SYSTEM_ACTOR, 'run.effect.completed', scope.runId, {
      stage: scope.stage,
      attempt: scope.attempt,
      effect: name,
    });
  });
  return JSON.parse(stored) as T;
}

/**
 * The recorded result of a stage's `ctx.once` effect, if it completed: how a reader finds, say,
 * the child run a sprint submitted while the sprint still waits for it.
 */
export function onceResult(db: Db, runId: string, stage: string, effect: string): unknown {
  const row = sql(
    db,
    `SELECT result FROM idempotency_keys WHERE run_id = ? AND stage = ? AND attempt = 0 AND effect = ? AND state = 'completed'`,
  ).get(runId, stage, effect) as { result: string | null } | undefined;
  return row ? (JSON.parse(row.result ?? 'null') as unknown) : undefined;
}

/** Effects of a stage that completed, across attempts, in the order they were started: what a compensation may undo. */
export function completedEffects(db: Db, runId: string, stage: string): CompletedEffect[] {
  const rows = sql(
    db,
    `SELECT attempt, effect, result FROM idempotency_keys
       WHERE run_id = ? AND stage = ? AND state = 'completed' AND effect NOT LIKE 'compensate:%' ORDER BY attempt, rowid`,
  ).all(runId, stage) as Array<{ attempt: number; effect: string; result: string | null }>;
  return rows.map((row) => ({
    attempt: row.attempt,
    effect: row.effect,
    result: JSON.parse(row.result ?? 'null') as unknown,
  }));
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new StageAbortedError(String(reason ?? 'aborted'));
}
