import type { AuditActor, AuditSink } from '../audit/audit-sink.ts';
import type { Redactor } from '../secrets/redact.ts';
import type { Db } from '../store/database.ts';
import type { RandomSource } from './backoff.ts';
import type { Clock } from './clock.ts';
import type { RunKind } from './run-status.ts';
import type { RunDefinition } from './stage-definition.ts';

/** How a RunEngine is wired: its store, its definitions, its audit sink and its limits. */
export interface RunEngineOptions {
  db: Db;
  definitions: readonly RunDefinition[];
  audit: AuditSink;
  redactor: Redactor;
  clock?: Clock;
  /** Jitter source for retry backoff; default Math.random. */
  random?: RandomSource;
  /** Stage bodies (and compensations) executing at once, across all runs. Default 4. */
  workers?: number;
  /** Runs queued or running at once; past it, submit throws RunCapacityError. Default 100. */
  queueCapacity?: number;
  /** Retry-After hint for refused submissions; default: the mean duration of recent runs, at least 1 s. */
  retryAfterMs?: number;
  /** Failures of the engine itself (the database, the audit sink), which it retries after a pause. */
  onError?: (error: unknown) => void;
  /**
   * How often a started engine re-reads what is in flight, to pick up submissions and
   * cancellations made by other processes; 0 turns it off. Default 2000 ms.
   */
  resyncMs?: number;
}

export interface SubmitRequest {
  projectId: string;
  kind: RunKind;
  input?: unknown;
  actor: AuditActor;
}
