import type { z } from 'zod';
import type { RunKind } from './run-status.ts';

/**
 * Exponential backoff with full jitter: the delay before attempt n+1 is uniform in
 * [0, min(maxDelayMs, initialDelayMs * multiplier^(n-1))]. Full jitter spreads retries of many
 * runs hitting the same dependency (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export interface RetryPolicy {
  /** Attempts in total, the first included; 1 means never retry. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** For errors that are neither FatalStageError nor RetryableStageError; default: retryable. */
  classify?: (error: unknown) => 'retryable' | 'fatal';
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  multiplier: 2,
};

/** The idempotency key of one effect (invariant 4); `token` is the same key as one string for external systems. */
export interface EffectKey {
  projectId: string;
  runId: string;
  stage: string;
  attempt: number;
  effect: string;
  token: string;
}

/** An effect whose completion was recorded, as a compensation sees it. */
export interface CompletedEffect {
  attempt: number;
  effect: string;
  result: unknown;
}

export type EffectFn<T> = (key: EffectKey, signal: AbortSignal) => Promise<T> | T;

/** What a stage body gets. Everything time- or I/O-related that must survive a crash goes through it. */
export interface StageContext {
  runId: string;
  projectId: string;
  kind: RunKind;
  stage: string;
  /** 1-based; the same number again when a stage is re-entered after a crash. */
  attempt: number;
  /**
   * No retry follows this attempt if it fails: a stage that looks again on its own (a smoke
   * check) throws RetryableStageError before, and says it gives up on the last.
   */
  lastAttempt: boolean;
  /** The run's input, as submitted. */
  input: unknown;
  /** Persisted outputs of the stages named in `inputs`. */
  upstream: Readonly<Record<string, unknown>>;
  /** Aborted when the run is cancelled or the engine shuts down. */
  signal: AbortSignal;
  /**
   * Runs `fn` at most once per key: the key is recorded before `fn` runs and its result after.
   * A completed key returns the recorded result without calling `fn`; a key found started (the
   * engine died mid-effect) calls `fn` again with the same key, which the receiver must dedupe.
   */
  effect<T>(name: string, fn: EffectFn<T>): Promise<T>;
  /**
   * Like `effect`, but once per stage of the run rather than per attempt: a stage that waits
   * (`requeueAt`) comes back under a new attempt number and must not, say, submit its child
   * run again.
   */
  once<T>(name: string, fn: EffectFn<T>): Promise<T>;
  /**
   * What a stage returns to wait without holding a worker: the stage goes back to `pending`
   * until `atMs` or until someone calls `RunEngine.wake(runId)` (an approval, a manual
   * control), whichever comes first, and then runs again from the top under a new attempt
   * number with a fresh retry budget. `reason` is what a person sees meanwhile.
   */
  requeueAt(atMs: number, reason: string): StageWait;
  /** Persists and broadcasts a progress event for this stage. */
  progress(percent: number, message?: string): void;
  now(): number;
}

/** A stage's answer "wake me at `atMs` or on an event" (see StageContext.requeueAt). */
export class StageWait {
  readonly atMs: number;
  readonly reason: string;

  constructor(atMs: number, reason: string) {
    this.atMs = atMs;
    this.reason = reason;
  }
}

export interface CompensationContext extends StageContext {
  /** Effects of this stage (all attempts) that completed and may need undoing. */
  completed: readonly CompletedEffect[];
}

export interface StageDefinition {
  name: string;
  /** Stages that must be done before this one starts. */
  needs?: readonly string[];
  /** Upstream stages whose outputs this stage reads; default: `needs`. */
  inputs?: readonly string[];
  /** Validates the output before it is persisted. */
  output?: z.ZodType;
  retry?: Partial<RetryPolicy>;
  /** May run at the same time as other parallel stages of the run (tests/security/perf). */
  parallel?: boolean;
  run(ctx: StageContext): Promise<unknown> | unknown;
  /** Undoes a partial apply after the stage failed for good or its run was cancelled. */
  compensate?(ctx: CompensationContext): Promise<void> | void;
}

export interface RunDefinition {
  kind: RunKind;
  /**
   * Raised when the stages change in a way a run in flight must not see (renamed, reordered,
   * different outputs). A run keeps the version it was submitted under; an engine may carry
   * older versions of a kind beside the newest so those runs can finish. Default 1.
   */
  version?: number;
  /** Validates the run input at submission. */
  input?: z.ZodType;
  stages: readonly StageDefinition[];
}

export interface ResolvedStage extends StageDefinition {
  needs: readonly string[];
  inputs: readonly string[];
  retry: RetryPolicy;
  parallel: boolean;
  position: number;
}

export interface ResolvedRunDefinition {
  kind: RunKind;
  version: number;
  input: z.ZodType | undefined;
  stages: readonly ResolvedStage[];
  byName: ReadonlyMap<string, ResolvedStage>;
}

/** Checks a run definition once, at registration: unique names, known needs, no cycles, inputs reachable. */
export function defineRun(definition: RunDefinition): ResolvedRunDefinition {
  const byName = new Map<string, ResolvedStage>();
  definition.stages.forEach((stage, position) => {
    if (!/^[a-z][a-z0-9-]*$/.test(stage.name))
      throw new Error(`${definition.kind}: stage name "${stage.name}" must be kebab-case`);
    if (byName.has(stage.name))
      throw new Error(`${definition.kind}: stage "${stage.name}" is declared twice`);
    const retry = { ...DEFAULT_RETRY_POLICY, ...stage.retry };
    if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
      throw new Error(
        `${definition.kind}/${stage.name}: retry.maxAttempts must be an integer >= 1`,
      );
    }
    const needs = stage.needs ?? [];
    byName.set(stage.name, {
      ...stage,
      needs,
      inputs: stage.inputs ?? needs,
      retry,
      parallel: stage.parallel ?? false,
      position,
    });
  });
  if (byName.size === 0) throw new Error(`${definition.kind}: a run needs at least one stage`);
  for (const stage of byName.values()) {
    for (const need of stage.needs) {
      if (!byName.has(need))
        throw new Error(`${definition.kind}/${stage.name}: needs unknown stage "${need}"`);
    }
  }
  for (const stage of byName.values()) {
    const ancestors = ancestorsOf(stage.name, byName, [stage.name]);
    for (const input of stage.inputs) {
      if (!ancestors.has(input))
        throw new Error(
          `${definition.kind}/${stage.name}: input "${input}" is not a stage it needs`,
        );
    }
  }
  const version = definition.version ?? 1;
  if (!Number.isInteger(version) || version < 1)
    throw new Error(`${definition.kind}: version must be an integer >= 1`);
  return {
    kind: definition.kind,
    version,
    input: definition.input,
    stages: [...byName.values()],
    byName,
  };
}

function ancestorsOf(
  name: string,
  byName: ReadonlyMap<string, ResolvedStage>,
  path: string[],
): Set<string> {
  const found = new Set<string>();
  for (const need of byName.get(name)?.needs ?? []) {
    if (path.includes(need)) throw new Error(`stages form a cycle: ${[...path, need].join(' → ')}`);
    found.add(need);
    for (const ancestor of ancestorsOf(need, byName, [...path, need])) found.add(ancestor);
  }
  return found;
}
