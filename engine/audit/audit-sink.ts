import type { Db } from '../store/database.ts';

/** Who did something: a person (or `system`) and the key that will sign the entry. */
export interface AuditActor {
  user: string;
  keyId?: string;
}

/** One thing that happened, as callers describe it; the sink adds time, chain and signature. */
export interface AuditEvent {
  actor: AuditActor;
  /** Dotted verb, e.g. `run.stage.transition`, `policy.gate.decided`, `key.rotated`. */
  action: string;
  /** What it happened to, e.g. `run:run_…`, `project:prj_…`. */
  target: string;
  /** Details. Passed through the redactor before it is stored. */
  meta?: Record<string, unknown>;
}

/**
 * Invariant 2 (state and audit move together): a state change calls `append` inside the same
 * SQLite transaction as the change itself, so both commit or neither does.
 */
export interface AuditSink {
  append(db: Db, event: AuditEvent): { seq: number; entryHash: string };
}
