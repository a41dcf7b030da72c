import type { AuditEvent, AuditSink } from '../../audit/audit-sink.ts';
import type { Db } from '../../store/database.ts';
import { sql } from '../statements.ts';

export interface RecordedAudit {
  seq: number;
  action: string;
  target: string;
  actor: string;
  meta: Record<string, unknown>;
}

/**
 * A stand-in for the signed audit chain in tests and benches. It writes to a TEMP table of
 * the connection, never to audit_log (whose rows must be chained and signed), and a TEMP table
 * takes part in the caller's transaction, so a rolled-back transition leaves no entry here
 * either: the tests can check invariant 2 against it. `failNext` makes the next append throw.
 */
export class RecordingAuditSink implements AuditSink {
  private readonly prepared = new WeakSet<Db>();
  private failures = 0;

  failNext(count = 1): void {
    this.failures = count;
  }

  append(db: Db, event: AuditEvent): { seq: number; entryHash: string } {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('audit sink unavailable (injected)');
    }
    this.ensureTable(db);
    const result = sql(
      db,
      'INSERT INTO temp.recorded_audit (action, target, actor, meta) VALUES (?, ?, ?, ?)',
    ).run(event.action, event.target, event.actor.user, JSON.stringify(event.meta ?? {}));
    return { seq: Number(result.lastInsertRowid), entryHash: `recorded-${result.lastInsertRowid}` };
  }

  entries(db: Db, target?: string): RecordedAudit[] {
    this.ensureTable(db);
    const rows = sql(
      db,
      'SELECT seq, action, target, actor, meta FROM temp.recorded_audit WHERE (? IS NULL OR target = ?) ORDER BY seq',
    ).all(target ?? null, target ?? null) as Array<Omit<RecordedAudit, 'meta'> & { meta: string }>;
    return rows.map((row) => ({ ...row, meta: JSON.parse(row.meta) as Record<string, unknown> }));
  }

  private ensureTable(db: Db): void {
    if (this.prepared.has(db)) return;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS recorded_audit (
      seq INTEGER PRIMARY KEY, action TEXT NOT NULL, target TEXT NOT NULL, actor TEXT NOT NULL, meta TEXT NOT NULL)`);
    this.prepared.add(db);
  }
}
