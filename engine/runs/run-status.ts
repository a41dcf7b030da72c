/**
 * The phases of runs and stages (issue 3). Closed string unions, so a switch over them is
 * checked for exhaustiveness, and one `isTerminal()` each, so nobody re-derives "finished".
 */

export const RUN_KINDS = ['apply', 'release', 'rollback', 'sprint'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** pending → running(stage) → done | error(stage, reason) | blocked(stage, reason) | cancelled */
export const RUN_STATUSES = [
  'pending',
  'running',
  'done',
  'error',
  'blocked',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * A stage waiting for its retry timer is `pending` with a `nextAttemptAt`; `skipped` is a stage
 * that never ran because its run ended first.
 */
export const STAGE_STATUSES = [
  'pending',
  'running',
  'done',
  'error',
  'blocked',
  'cancelled',
  'skipped',
] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** Whether a partial apply of a failed or cancelled stage still needs undoing. */
export type CompensationState = 'none' | 'pending' | 'done' | 'failed';

const TERMINAL_RUN: ReadonlySet<RunStatus> = new Set(['done', 'error', 'blocked', 'cancelled']);
const TERMINAL_STAGE: ReadonlySet<StageStatus> = new Set([
  'done',
  'error',
  'blocked',
  'cancelled',
  'skipped',
]);

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN.has(status);
}

export function isStageTerminal(status: StageStatus): boolean {
  return TERMINAL_STAGE.has(status);
}

export function isRunKind(value: string): value is RunKind {
  return (RUN_KINDS as readonly string[]).includes(value);
}

/** The run transitions the engine may write; anything else is a bug and is refused. */
const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  pending: ['running', 'cancelled'],
  running: ['done', 'error', 'blocked', 'cancelled'],
  // A dead-letter replay puts a failed run back in the queue.
  error: ['pending'],
  done: [],
  blocked: [],
  cancelled: [],
};

const STAGE_TRANSITIONS: Record<StageStatus, readonly StageStatus[]> = {
  pending: ['running', 'skipped', 'cancelled'],
  // running → pending is a failed attempt waiting for its retry timer.
  running: ['done', 'pending', 'error', 'blocked', 'cancelled'],
  error: ['pending'],
  skipped: ['pending'],
  done: [],
  blocked: [],
  cancelled: [],
};

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function canTransitionStage(from: StageStatus, to: StageStatus): boolean {
  return STAGE_TRANSITIONS[from].includes(to);
}
