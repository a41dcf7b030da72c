/**
 * Who executes what in this process: a global limit on stage bodies and compensations running
 * at once, the AbortController of each, and the runs that found no free worker (oldest first,
 * so workers go round the runs fairly). In memory only: after a restart the database says what
 * was running, and the engine re-enters it.
 */
export class WorkerPool {
  /** Runs that had work ready but no free worker, in the order they first waited. */
  readonly starved = new Set<string>();
  private readonly limit: number;
  /** runId → (stage or `compensate:stage`) → the controller that aborts it. */
  private readonly executing = new Map<string, Map<string, AbortController>>();
  private readonly inflight = new Set<Promise<void>>();
  private busy = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`workers must be an integer >= 1, not ${limit}`);
    this.limit = limit;
  }

  get busyWorkers(): number {
    return this.busy;
  }

  /** What of `runId` executes now, keyed by stage (or `compensate:stage`). */
  executingIn(runId: string): ReadonlyMap<string, AbortController> {
    return this.executing.get(runId) ?? new Map();
  }

  /** Runs with something executing here. */
  runIds(): string[] {
    return [...this.executing.keys()];
  }

  /** Reserves a worker for `runId`, or records the run as waiting for one. */
  reserve(runId: string): boolean {
    if (this.busy >= this.limit) {
      this.starved.add(runId);
      return false;
    }
    this.busy++;
    return true;
  }

  /** Gives back a reservation that was not used. */
  unreserve(): void {
    this.busy--;
  }

  /** Runs `work` on a reserved worker; `settled` runs once it has ended, however it ended. */
  run(
    runId: string,
    key: string,
    work: (signal: AbortSignal) => Promise<void>,
    settled: () => void,
  ): void {
    const controller = new AbortController();
    let running = this.executing.get(runId);
    if (!running) this.executing.set(runId, (running = new Map()));
    running.set(key, controller);
    const job = work(controller.signal).finally(() => {
      running.delete(key);
      if (running.size === 0 && this.executing.get(runId) === running) this.executing.delete(runId);
      this.busy--;
      this.inflight.delete(job);
      settled();
    });
    this.inflight.add(job);
  }

  abort(runId: string, key: string, reason: Error): void {
    this.executing.get(runId)?.get(key)?.abort(reason);
  }

  abortAll(reason: Error): void {
    for (const running of this.executing.values())
      for (const controller of running.values()) controller.abort(reason);
  }

  /** Resolves once everything started so far has ended. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }
}
