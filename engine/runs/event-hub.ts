import type { Db } from '../store/database.ts';
import { getRun, readEvents, type RunEvent } from './run-records.ts';
import { isTerminal, RUN_STATUSES, type RunStatus } from './run-status.ts';

export type RunEventListener = (event: RunEvent) => void;

/**
 * Pushes committed run events to live subscribers (SSE and IPC adapters later). A subscriber
 * that joins late first replays the persisted events after its cursor; better-sqlite3 is
 * synchronous and publishing happens right after the commit, so replay and live delivery can
 * neither overlap nor leave a gap. Events broadcast state; they never drive the engine.
 */
export class EventHub {
  private readonly byRun = new Map<string, Set<RunEventListener>>();
  private readonly everything = new Set<RunEventListener>();
  private readonly db: Db;
  private readonly onListenerError: (error: unknown) => void;

  constructor(db: Db, onListenerError: (error: unknown) => void = () => {}) {
    this.db = db;
    this.onListenerError = onListenerError;
  }

  publish(events: readonly RunEvent[]): void {
    for (const event of events) {
      for (const listener of [...(this.byRun.get(event.runId) ?? []), ...this.everything]) {
        try {
          listener(event);
        } catch (error) {
          // A broken subscriber must not break the run that is being reported.
          this.onListenerError(error);
        }
      }
    }
  }

  /** Replays the run's events after `afterSeq`, then delivers live ones. Returns the unsubscribe function. */
  subscribe(runId: string, afterSeq: number, listener: RunEventListener): () => void {
    let cursor = afterSeq;
    const deliver: RunEventListener = (event) => {
      if (event.seq <= cursor) return;
      cursor = event.seq;
      listener(event);
    };
    for (
      let page = readEvents(this.db, runId, cursor);
      page.length > 0;
      page = readEvents(this.db, runId, cursor)
    ) {
      for (const event of page) deliver(event);
    }
    let listeners = this.byRun.get(runId);
    if (!listeners) this.byRun.set(runId, (listeners = new Set()));
    listeners.add(deliver);
    return () => {
      listeners.delete(deliver);
      if (listeners.size === 0 && this.byRun.get(runId) === listeners) this.byRun.delete(runId);
    };
  }

  /** Live events of every run (no replay): for dashboards and the load test's global order. */
  subscribeAll(listener: RunEventListener): () => void {
    this.everything.add(listener);
    return () => this.everything.delete(listener);
  }

  /** The run's events after `afterSeq` as an async stream that ends once the run is finished. */
  async *stream(runId: string, afterSeq = 0, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const queue: RunEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe(runId, afterSeq, (event) => {
      queue.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      let finished = isFinishedRun(this.db, runId);
      while (!signal?.aborted) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (event.stage === null && isRunStatus(event.status) && isTerminal(event.status))
            finished = true;
          continue;
        }
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function isRunStatus(status: string): status is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(status);
}

function isFinishedRun(db: Db, runId: string): boolean {
  const run = getRun(db, runId);
  return run === undefined || isTerminal(run.status);
}
