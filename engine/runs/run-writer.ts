import type { AuditActor, AuditSink } from '../audit/audit-sink.ts';
import type { Redactor } from '../secrets/redact.ts';
import type { Db } from '../store/database.ts';
import type { Clock } from './clock.ts';
import type { RunEvent } from './run-records.ts';
import { sql } from './statements.ts';

/** Transitions the engine makes on its own are the system's; submit, cancel and replay name a person. */
export const SYSTEM_ACTOR: AuditActor = { user: 'system' };

/**
 * What a transition may do inside its transaction: write rows, append events, append audit
 * entries. Text that leaves the engine (event messages, reasons, audit meta) is redacted here,
 * once, so no transition can forget it (invariant 6).
 */
export interface Tx {
  db: Db;
  /** The transaction's timestamp, from the injected clock. */
  at: string;
  nowMs: number;
  event(
    runId: string,
    stage: string | null,
    status: string,
    percent: number | null,
    message: string,
  ): RunEvent;
  audit(actor: AuditActor, action: string, runId: string, meta: Record<string, unknown>): void;
  redact(text: string): string;
  redactValue<T>(value: T): T;
}

export interface RunWriterDeps {
  db: Db;
  audit: AuditSink;
  redactor: Redactor;
  clock: Clock;
}

/**
 * The one write path of engine/runs (invariant 2): every state change runs in one IMMEDIATE
 * transaction with its audit entries and events, and the events are handed back only after
 * the commit, so a subscriber never sees a change that was rolled back. IMMEDIATE takes the
 * write lock up front: a deferred transaction that upgrades from read to write can fail with
 * SQLITE_BUSY even with a busy timeout when another process writes.
 */
export class RunWriter {
  readonly db: Db;
  private readonly sink: AuditSink;
  private readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly nextSeq;
  private readonly insertEvent;

  constructor(deps: RunWriterDeps) {
    this.db = deps.db;
    this.sink = deps.audit;
    this.redactor = deps.redactor;
    this.clock = deps.clock;
    this.nextSeq = sql(
      this.db,
      'SELECT coalesce(max(seq), 0) + 1 AS seq FROM run_events WHERE run_id = ?',
    );
    this.insertEvent = sql(
      this.db,
      'INSERT INTO run_events (run_id, seq, stage, status, percent, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  transact<T>(write: (tx: Tx) => T): { result: T; events: RunEvent[] } {
    const events: RunEvent[] = [];
    const nowMs = this.clock.now();
    const tx: Tx = {
      db: this.db,
      at: new Date(nowMs).toISOString(),
      nowMs,
      event: (runId, stage, status, percent, message) => {
        const { seq } = this.nextSeq.get(runId) as { seq: number };
        const clean = this.redactor.redact(message);
        const rounded =
          percent === null ? null : Math.min(100, Math.max(0, Math.round(percent * 10) / 10));
        this.insertEvent.run(runId, seq, stage, status, rounded, clean, tx.at);
        const event: RunEvent = {
          runId,
          seq,
          stage,
          status,
          percent: rounded,
          message: clean,
          at: tx.at,
        };
        events.push(event);
        return event;
      },
      audit: (actor, action, runId, meta) => {
        this.sink.append(this.db, {
          actor,
          action,
          target: `run:${runId}`,
          meta: this.redactor.redactValue(meta),
        });
      },
      redact: (text) => this.redactor.redact(text),
      redactValue: (value) => this.redactor.redactValue(value),
    };
    const result = this.db.transaction(() => write(tx)).immediate();
    return { result, events };
  }
}
