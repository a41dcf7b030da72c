/**
 * When reconcile passes run. Requests are coalesced onto one setImmediate turn, so a burst of
 * commits costs one pass per run, and nothing runs before the engine is started (an engine
 * that is never started only records). Passes are requested, never awaited in a loop.
 */
/** Which queued runs an admission pass looks at: all, or those of some (project, kind) slots. */
export type Admission = 'all' | ReadonlyArray<{ projectId: string; kind: string }> | null;

export class PassQueue {
  private readonly dirty = new Set<string>();
  private readonly pass: (admission: Admission, runIds: readonly string[]) => void;
  private readonly busy: () => boolean;
  private admitAll = false;
  private readonly admitSlots = new Map<string, { projectId: string; kind: string }>();
  private scheduled = false;
  private open = false;
  private waiters: Array<() => void> = [];

  /** `pass` runs the requested work; `busy` says whether work is still executing elsewhere. */
  constructor(
    pass: (admission: Admission, runIds: readonly string[]) => void,
    busy: () => boolean,
  ) {
    this.pass = pass;
    this.busy = busy;
  }

  start(): void {
    this.open = true;
    this.schedule();
  }

  stop(): void {
    this.open = false;
  }

  /** Asks for a reconcile pass over `runId`. */
  run(runId: string): void {
    this.dirty.add(runId);
    this.schedule();
  }

  /**
   * Asks for an admission pass over the queued runs of one (project, kind) slot, the only one a
   * submission or a finished run can change, or over all of them (start, resync, a failed pass).
   */
  admit(slot?: { projectId: string; kind: string }): void {
    if (slot) this.admitSlots.set(`${slot.projectId}\u0000${slot.kind}`, slot);
    else this.admitAll = true;
    this.schedule();
  }

  /**
   * Resolves when no pass is due and nothing executes (timers may still be pending). Passes
   * requested before start() wait for it and do not count.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Re-checks idleness after work that ran outside a pass has ended. */
  settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(): void {
    if (this.scheduled || !this.open) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.open) return;
    const admission: Admission = this.admitAll
      ? 'all'
      : this.admitSlots.size
        ? [...this.admitSlots.values()]
        : null;
    const runIds = [...this.dirty];
    this.admitAll = false;
    this.admitSlots.clear();
    this.dirty.clear();
    this.pass(admission, runIds);
    this.settle();
  }

  private isIdle(): boolean {
    if (!this.open) return !this.busy();
    const admissionDue = this.admitAll || this.admitSlots.size > 0;
    return !this.scheduled && !admissionDue && this.dirty.size === 0 && !this.busy();
  }
}
