import type { AuditActor } from '../audit/audit-sink.ts';
import type { Db } from '../store/database.ts';
import { systemClock, type Clock, type TimerHandle } from './clock.ts';
import type { RunEngineOptions, SubmitRequest } from './run-engine-options.ts';
import { RetryAfterEstimator } from './retry-after.ts';
import { DriverLock } from './driver-lock.ts';
import { PassQueue, type Admission } from './pass-queue.ts';
import { WakeTimers } from './wake-timers.ts';
import { WorkerPool } from './worker-pool.ts';
import { replayDeadLetter } from './dead-letters.ts';
import { EventHub, type RunEventListener } from './event-hub.ts';
import { planRun } from './run-plan.ts';
import { RunsError } from './run-errors.ts';
import { showRun, type RunInfo } from './run-info.ts';
import {
  admissibleRunIds,
  getRun,
  getStages,
  runningRunIds,
  runsOwingCompensation,
  type Run,
  type Stage,
} from './run-records.ts';
import { isTerminal, type RunKind } from './run-status.ts';
import { admitRun, cancelRun, finishRun, submitRun } from './run-transitions.ts';
import { RunWriter, type Tx } from './run-writer.ts';
import { defineRun, type ResolvedRunDefinition, type ResolvedStage } from './stage-definition.ts';
import { StageAbortedError } from './stage-errors.ts';
import { executeCompensation, executeStage, type StageRunnerDeps } from './stage-runner.ts';
import { resumeStage, startStage, wakeStages } from './stage-transitions.ts';

const RECONCILE_RETRY_MS = 1000;
/** The wake-timer key of a failed admission pass (run ids never look like this). */
const ADMISSION = '*admission*';

/**
 * The durable run engine. It keeps no state a crash could lose: each pass reads the run from
 * SQLite, plans with the pure `planRun`, commits each step in its own transaction, and
 * re-schedules itself (after a commit, a finished stage, or a timer) instead of waiting.
 * One engine per data dir drives the runs: the one that called start(). Engines that are not
 * started (the CLI's) only record submissions, cancels and replays for it to act on.
 */
export class RunEngine {
  readonly events: EventHub;
  private readonly db: Db;
  private readonly writer: RunWriter;
  /** Each kind's definitions by version: the newest takes submissions, older ones finish their runs. */
  private readonly definitions = new Map<RunKind, Map<number, ResolvedRunDefinition>>();
  private readonly clock: Clock;
  private readonly queueCapacity: number;
  private readonly onError: (error: unknown) => void;
  private readonly runner: StageRunnerDeps;
  private readonly retryAfter: RetryAfterEstimator;
  private readonly pool: WorkerPool;
  private readonly timers: WakeTimers;
  private readonly passes: PassQueue;
  private readonly resyncMs: number;
  private resyncTimer: TimerHandle | undefined;
  private readonly lock: DriverLock | null;
  private stopping = false;
  private started = false;

  constructor(options: RunEngineOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock();
    this.pool = new WorkerPool(options.workers ?? 4);
    this.passes = new PassQueue(
      (admission, runIds) => this.pass(admission, runIds),
      () => this.pool.busyWorkers > 0 || this.pool.starved.size > 0,
    );
    this.timers = new WakeTimers(this.clock, (key) =>
      key === ADMISSION ? this.passes.admit() : this.passes.run(key),
    );
    this.queueCapacity = options.queueCapacity ?? 100;
    this.retryAfter = new RetryAfterEstimator(options.retryAfterMs);
    this.onError = options.onError ?? ((error) => console.error('run engine:', error));
    this.writer = new RunWriter({
      db: this.db,
      audit: options.audit,
      redactor: options.redactor,
      clock: this.clock,
    });
    this.events = new EventHub(this.db, this.onError);
    this.runner = {
      writer: this.writer,
      hub: this.events,
      clock: this.clock,
      random: options.random ?? Math.random,
      stopping: () => this.stopping,
    };
    this.resyncMs = options.resyncMs ?? 2000;
    this.lock = this.db.memory ? null : new DriverLock(this.db.name);
    for (const definition of options.definitions) {
      const resolved = defineRun(definition);
      const versions = this.definitions.get(resolved.kind) ?? new Map();
      if (versions.has(resolved.version))
        throw new Error(
          `two run definitions for kind ${resolved.kind} version ${resolved.version}`,
        );
      versions.set(resolved.version, resolved);
      this.definitions.set(resolved.kind, versions);
    }
  }

  /**
   * Makes this engine the one that drives runs in its data dir, picking up where the database
   * says we were: queued runs, running ones, owed compensations. An engine that is never
   * started only records (submit, cancel, replay) for the driving one to act on, which is what
   * a second process such as the CLI wants. Throws RunsError('conflict') while another live
   * process drives this data dir.
   */
  start(): void {
    if (this.started) return;
    this.lock?.acquire();
    this.started = true;
    for (const runId of runsOwingCompensation(this.db)) this.passes.run(runId);
    this.passes.start();
    this.resync();
  }

  /** Queues a run; throws RunCapacityError past capacity, RunsError for an unknown kind, project or bad input. */
  submit(request: SubmitRequest): RunInfo {
    const definition = this.newest(request.kind);
    if (!definition)
      throw new RunsError('invalid-input', `no run definition for kind ${request.kind}`);
    const parsed = definition.input?.safeParse(request.input ?? {});
    if (parsed && !parsed.success) {
      const issues = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw new RunsError('invalid-input', `run input is invalid: ${issues}`);
    }
    const input: unknown = parsed ? parsed.data : (request.input ?? {});
    const runId = this.commit((tx) =>
      submitRun(tx, {
        projectId: request.projectId,
        kind: request.kind,
        input,
        actor: request.actor,
        stages: definition.stages.map((stage) => ({ name: stage.name, position: stage.position })),
        definitionVersion: definition.version,
        capacity: this.queueCapacity,
        retryAfterMs: this.retryAfter.estimateMs(),
      }),
    );
    this.passes.admit({ projectId: request.projectId, kind: request.kind });
    return showRun(this.db, runId);
  }

  /** Cancels a queued or running run; running stages get their AbortSignal fired. */
  cancel(runId: string, actor: AuditActor, reason = 'cancelled'): RunInfo {
    const definition = this.definitionOf(runId);
    const running = this.commit((tx) =>
      cancelRun(tx, runId, actor, reason, (stage) => !!definition?.byName.get(stage)?.compensate),
    );
    for (const stage of running)
      this.pool.abort(runId, stage, new StageAbortedError(`run cancelled: ${reason}`));
    this.timers.clear(runId);
    const info = showRun(this.db, runId);
    this.passes.admit(info);
    this.passes.run(runId);
    return info;
  }

  /**
   * Wakes the run's waiting stages now (an approval was recorded, a person pressed a control)
   * instead of at the time they asked for. Written to the database, so a driving engine in
   * another process sees it at its next resync.
   */
  wake(runId: string): void {
    const woken = this.commit((tx) => wakeStages(tx, runId));
    if (woken > 0) this.passes.run(runId);
  }

  /** Re-queues the dead-lettered stage's run with a fresh retry budget. */
  replay(deadLetterId: string, actor: AuditActor): RunInfo {
    const runId = this.commit((tx) =>
      replayDeadLetter(tx, deadLetterId, actor, this.queueCapacity, this.retryAfter.estimateMs()),
    );
    const info = showRun(this.db, runId);
    this.passes.admit(info);
    return info;
  }

  /** Persisted events after `afterSeq`, then live ones; returns the unsubscribe function. */
  subscribe(runId: string, afterSeq: number, listener: RunEventListener): () => void {
    return this.events.subscribe(runId, afterSeq, listener);
  }

  /** Resolves when nothing is executing or scheduled to run now (timers may still be pending). */
  whenIdle(): Promise<void> {
    return this.passes.whenIdle();
  }

  /** Stops without recording anything more: running stages stay `running` and are re-entered by the next start(). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.passes.stop();
    this.pool.abortAll(new StageAbortedError('engine stopping'));
    this.timers.clearAll();
    if (this.resyncTimer) this.clock.clearTimer(this.resyncTimer);
    await this.pool.drain();
    if (this.started) this.lock?.release();
  }

  private commit<T>(write: (tx: Tx) => T): T {
    const { result, events } = this.writer.transact(write);
    this.events.publish(events);
    return result;
  }

  /**
   * A pass over everything the database says is in flight, then again every `resyncMs`: this is
   * how submissions and cancellations written by another process reach this engine.
   */
  private resync(): void {
    this.passes.admit();
    for (const runId of runningRunIds(this.db)) this.passes.run(runId);
    // A run cancelled elsewhere is no longer running, but its bodies here still need aborting.
    for (const runId of this.pool.runIds()) this.passes.run(runId);
    if (this.resyncMs > 0 && !this.stopping) {
      this.resyncTimer = this.clock.setTimer(this.resyncMs, () => this.resync());
    }
  }

  /** Runs that waited for a worker go first, oldest first, so workers go round fairly. */
  private pass(admission: Admission, runIds: readonly string[]): void {
    if (admission) this.guard(ADMISSION, () => this.admitPending(admission));
    const order = new Set([...this.pool.starved, ...runIds]);
    this.pool.starved.clear();
    for (const runId of order) this.guard(runId, () => this.reconcile(runId));
  }

  /** A failing pass (database, audit sink) is reported and tried again later, never dropped. */
  private guard(key: string, pass: () => void): void {
    try {
      pass();
    } catch (error) {
      this.onError(error);
      this.timers.wakeAt(key, this.clock.now() + RECONCILE_RETRY_MS);
    }
  }

  /** FIFO per (project, kind): a queued run starts once no run of its project and kind is running. */
  private admitPending(admission: Exclude<Admission, null>): void {
    const runIds =
      admission === 'all'
        ? admissibleRunIds(this.db)
        : admission.flatMap((slot) => admissibleRunIds(this.db, slot));
    for (const runId of runIds)
      if (this.commit((tx) => admitRun(tx, runId))) this.passes.run(runId);
  }

  private reconcile(runId: string): void {
    const run = getRun(this.db, runId);
    if (!run) return;
    const stages = getStages(this.db, runId);
    const definition = this.definitions.get(run.kind)?.get(run.definitionVersion);
    if (!definition) {
      // Fail closed: a run nobody here knows how to drive must not sit "running" forever.
      const known = [...(this.definitions.get(run.kind)?.keys() ?? [])];
      const reason =
        known.length === 0
          ? `this engine has no definition for ${run.kind} runs`
          : `this build has no version ${run.definitionVersion} of the ${run.kind} run definition (it has ${known.join(', ')}), so it cannot finish a run started by another build: finish it with that build, or start it again`;
      const skip = stages.filter((stage) => stage.status === 'pending').map((stage) => stage.name);
      if (run.status === 'running') {
        this.commit((tx) =>
          finishRun(tx, runId, { status: 'error', stage: null, reason, output: null, skip }),
        );
        this.passes.admit(run);
      }
      return;
    }
    const executing = this.pool.executingIn(runId);
    if (isTerminal(run.status)) {
      // Cancelled by another process: deliver the AbortSignal here, where the body runs.
      for (const key of executing.keys()) {
        if (!key.startsWith('compensate:'))
          this.pool.abort(runId, key, new StageAbortedError(`run ${run.status}`));
      }
    }
    if (!this.startCompensations(run, definition, stages, executing)) return;
    if (run.status !== 'running') return;

    const plan = planRun({
      definition,
      stages,
      executing: new Set(executing.keys()),
      nowMs: this.clock.now(),
    });
    if (plan.action === 'finish') {
      if (this.commit((tx) => finishRun(tx, runId, plan.outcome))) {
        this.retryAfter.record(this.clock.now() - Date.parse(run.createdAt));
      }
      this.timers.clear(runId);
      this.passes.admit(run);
      return;
    }
    const reentering = new Set(plan.reenter);
    for (const name of [...plan.reenter, ...plan.start]) {
      const stage = definition.byName.get(name);
      if (!stage) continue;
      if (!this.pool.reserve(runId)) break;
      let attempt: number | null = null;
      try {
        attempt = this.commit((tx) =>
          reentering.has(name) ? resumeStage(tx, runId, name) : startStage(tx, runId, name),
        );
      } finally {
        if (attempt === null) this.pool.unreserve();
      }
      if (attempt === null) continue;
      const state = stages.find((candidate) => candidate.name === name);
      this.launch(run, stage, attempt, state?.attemptBase ?? 0, stages, name, executeStage);
    }
    if (plan.wakeAtMs !== null) this.timers.wakeAt(runId, plan.wakeAtMs);
  }

  /** Starts owed compensations once the stage body has settled; false when a worker was missing. */
  private startCompensations(
    run: Run,
    definition: ResolvedRunDefinition,
    stages: readonly Stage[],
    executing: ReadonlyMap<string, AbortController>,
  ): boolean {
    for (const state of stages) {
      const key = `compensate:${state.name}`;
      const stage = definition.byName.get(state.name);
      if (
        state.compensation !== 'pending' ||
        !stage ||
        executing.has(state.name) ||
        executing.has(key)
      )
        continue;
      if (!this.pool.reserve(run.id)) return false;
      this.launch(run, stage, state.attempt, state.attemptBase, stages, key, executeCompensation);
    }
    return true;
  }

  /** Executes a stage body or compensation on the worker reserved for it. */
  private launch(
    run: Run,
    stage: ResolvedStage,
    attempt: number,
    attemptBase: number,
    stages: readonly Stage[],
    key: string,
    execute: typeof executeStage,
  ): void {
    const upstream = Object.fromEntries(
      stage.inputs.map((name) => [name, stages.find((s) => s.name === name)?.output ?? null]),
    );
    const work = (signal: AbortSignal) =>
      execute(this.runner, { run, stage, attempt, attemptBase, upstream, signal }).catch(
        (error: unknown) => {
          // The commit itself failed (database, audit sink): the stage stays as persisted and
          // a later pass re-enters it.
          this.onError(error);
          this.timers.wakeAt(run.id, this.clock.now() + RECONCILE_RETRY_MS);
        },
      );
    this.pool.run(run.id, key, work, () => this.passes.run(run.id));
  }

  private definitionOf(runId: string): ResolvedRunDefinition | undefined {
    const run = getRun(this.db, runId);
    return run && this.definitions.get(run.kind)?.get(run.definitionVersion);
  }

  private newest(kind: RunKind): ResolvedRunDefinition | undefined {
    const versions = this.definitions.get(kind);
    if (!versions) return undefined;
    return versions.get(Math.max(...versions.keys()));
  }
}
