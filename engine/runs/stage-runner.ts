import { backoffDelayMs, hasAttemptsLeft, type RandomSource } from './backoff.ts';
import type { Clock } from './clock.ts';
import { completedEffects, runEffect } from './effects.ts';
import type { EventHub } from './event-hub.ts';
import type { Run } from './run-records.ts';
import type { RunWriter, Tx } from './run-writer.ts';
import {
  StageWait,
  type CompensationContext,
  type ResolvedStage,
  type StageContext,
} from './stage-definition.ts';
import {
  BlockedStageError,
  classifyFailure,
  errorMessage,
  FatalStageError,
  REMEDY_MARKER,
} from './stage-errors.ts';
import {
  completeStage,
  failStage,
  scheduleRetry,
  settleCompensation,
  waitStage,
} from './stage-transitions.ts';

export interface StageRunnerDeps {
  writer: RunWriter;
  hub: EventHub;
  clock: Clock;
  random: RandomSource;
  /** True once the engine is shutting down: nothing more is committed, so the stage stays running and is re-entered. */
  stopping(): boolean;
}

export interface StageAttempt {
  run: Run;
  stage: ResolvedStage;
  attempt: number;
  /** Attempts before this number belong to an earlier budget (a dead-letter replay). */
  attemptBase: number;
  upstream: Readonly<Record<string, unknown>>;
  signal: AbortSignal;
}

/**
 * Executes one attempt of a stage body and commits how it ended: done with its output, a retry
 * timer, or error/blocked (with a dead letter). The commit re-checks the attempt, so the result
 * of a body that was cancelled or superseded meanwhile is dropped.
 */
export async function executeStage(deps: StageRunnerDeps, job: StageAttempt): Promise<void> {
  const ctx = stageContext(deps, job, '');
  let output: unknown;
  try {
    output = await job.stage.run(ctx);
    if (output instanceof StageWait) {
      const wait = output;
      if (!deps.stopping())
        commit(deps, (tx) =>
          waitStage(tx, job.run.id, job.stage.name, job.attempt, wait.atMs, wait.reason),
        );
      return;
    }
    if (job.stage.output) {
      const parsed = job.stage.output.safeParse(output);
      if (!parsed.success)
        throw new FatalStageError(
          `stage output is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      output = parsed.data;
    }
  } catch (error) {
    if (!deps.stopping()) failAttempt(deps, job, error);
    return;
  }
  if (deps.stopping()) return;
  commit(deps, (tx) => completeStage(tx, job.run.id, job.stage.name, job.attempt, output));
}

function failAttempt(deps: StageRunnerDeps, job: StageAttempt, error: unknown): void {
  const { run, stage, attempt } = job;
  let failure = classifyFailure(error, stage.retry.classify);
  if (failure === 'aborted') {
    // The cancel transaction already recorded the stage as cancelled.
    if (job.signal.aborted) return;
    // An abort nobody asked for (a body's own timeout) is an ordinary failure; recording
    // nothing would leave the stage running and re-entered over and over.
    failure = 'retryable';
  }
  const used = attempt - job.attemptBase;
  const message = errorMessage(error);
  if (failure === 'retryable' && hasAttemptsLeft(stage.retry, used)) {
    const nextAt = deps.clock.now() + backoffDelayMs(stage.retry, used, deps.random);
    commit(deps, (tx) => scheduleRetry(tx, run.id, stage.name, attempt, nextAt, message));
    return;
  }
  if (failure === 'blocked') {
    // The remedy is what a person acts on: it is kept with the reason, never dropped.
    const remedy = error instanceof BlockedStageError ? error.remedy : undefined;
    commit(deps, (tx) =>
      failStage(tx, run.id, stage.name, attempt, {
        status: 'blocked',
        reason: remedy ? `${message} ${REMEDY_MARKER}${remedy}` : message,
        compensate: false,
      }),
    );
    return;
  }
  const reason = failure === 'fatal' ? message : `gave up after ${used} attempts: ${message}`;
  commit(deps, (tx) =>
    failStage(tx, run.id, stage.name, attempt, {
      status: 'error',
      reason,
      compensate: stage.compensate !== undefined,
      deadLetter: { inputs: { input: run.input, upstream: job.upstream }, attempts: used },
    }),
  );
}

/** Runs a stage's compensate() for its partial apply and records the result; failures are recorded, not retried. */
export async function executeCompensation(deps: StageRunnerDeps, job: StageAttempt): Promise<void> {
  const compensate = job.stage.compensate;
  let ok = true;
  let message = 'compensated';
  if (compensate) {
    const ctx: CompensationContext = {
      ...stageContext(deps, job, 'compensate:'),
      completed: completedEffects(deps.writer.db, job.run.id, job.stage.name),
    };
    try {
      await compensate(ctx);
    } catch (error) {
      if (deps.stopping()) return;
      ok = false;
      message = `compensation failed: ${errorMessage(error)}`;
    }
  }
  if (deps.stopping()) return;
  commit(deps, (tx) => settleCompensation(tx, job.run.id, job.stage.name, ok, message));
}

function stageContext(
  deps: StageRunnerDeps,
  job: StageAttempt,
  effectPrefix: string,
): StageContext {
  const scope = {
    projectId: job.run.projectId,
    runId: job.run.id,
    stage: job.stage.name,
    attempt: job.attempt,
  };
  return {
    ...scope,
    kind: job.run.kind,
    lastAttempt: !hasAttemptsLeft(job.stage.retry, job.attempt - job.attemptBase),
    input: job.run.input,
    upstream: job.upstream,
    signal: job.signal,
    effect: (name, fn) => runEffect(deps.writer, scope, `${effectPrefix}${name}`, fn, job.signal),
    // Attempt 0 is never an attempt number (they start at 1): the key outlives every attempt.
    once: (name, fn) =>
      runEffect(deps.writer, { ...scope, attempt: 0 }, `${effectPrefix}${name}`, fn, job.signal),
    requeueAt: (atMs, reason) => new StageWait(atMs, reason),
    progress: (percent, message = '') => {
      if (!deps.stopping())
        commit(deps, (tx) => tx.event(job.run.id, job.stage.name, 'progress', percent, message));
    },
    now: () => deps.clock.now(),
  };
}

function commit(deps: StageRunnerDeps, write: (tx: Tx) => unknown): void {
  const { events } = deps.writer.transact(write);
  deps.hub.publish(events);
}
