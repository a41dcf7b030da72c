import type { AuditSink } from '../../audit/index.ts';
import type { Db } from '../../store/database.ts';
import { newId } from '../../store/ids.ts';

/**
 * Waivers (issue 6): a named approver accepts one rule's finding on one subject of a project
 * until an expiry. Gates consult `listActiveWaivers`; expired and revoked waivers never count.
 * Times are stored as ISO-8601 UTC (`toISOString`) so SQL string order is time order.
 */
export interface Waiver {
  id: string;
  projectId: string;
  rule: string;
  subject: string;
  reason: string;
  approver: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A waiver request refused before anything was written. */
export class WaiverError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'WaiverError';
    this.field = field;
  }
}

export interface GrantWaiverOptions {
  db: Db;
  sink: AuditSink;
  projectId: string;
  rule: string;
  subject: string;
  reason: string;
  approver: string;
  /** ISO-8601 with a zone; must lie in the future and within maxDays. */
  expiresAt: string;
  /** Who records the waiver (audit actor); defaults to the approver. */
  user?: string;
  /** Longest a waiver may run; a waiver is a deadline, not a permanent exception. */
  maxDays?: number;
  clock?: () => Date;
}

const DEFAULT_MAX_DAYS = 366;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Grants a waiver after validating every field; the row and its audit entry commit together. */
export function grantWaiver(options: GrantWaiverOptions): Waiver {
  const { db, sink } = options;
  const now = options.clock?.() ?? new Date();
  const text = (field: string, value: string, max = 512): string => {
    const v = value.trim();
    if (v.length === 0) throw new WaiverError(field, 'is required');
    if (v.length > max) throw new WaiverError(field, `is longer than ${max} characters`);
    return v;
  };
  const rule = text('rule', options.rule, 256);
  const subject = text('subject', options.subject);
  const reason = text('reason', options.reason, 2000);
  const approver = text('approver', options.approver, 256);
  const expiresAt = validExpiry(options.expiresAt, now, options.maxDays ?? DEFAULT_MAX_DAYS);
  const waiver: Waiver = {
    id: newId('wvr'),
    projectId: options.projectId,
    rule,
    subject,
    reason,
    approver,
    expiresAt,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM projects WHERE id = ?').get(waiver.projectId))
      throw new WaiverError('projectId', `no project ${waiver.projectId}`);
    db.prepare(
      `INSERT INTO waivers (id, project_id, rule, subject, reason, approver, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      waiver.id,
      waiver.projectId,
      rule,
      subject,
      reason,
      approver,
      expiresAt,
      waiver.createdAt,
    );
    sink.append(db, {
      actor: { user: options.user ?? approver },
      action: 'policy.waiver.granted',
      target: `project:${waiver.projectId}`,
      meta: { waiverId: waiver.id, rule, subject, reason, approver, expiresAt },
    });
  })();
  return waiver;
}

function validExpiry(value: string, now: Date, maxDays: number): string {
  const ms = ISO_WITH_ZONE.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new WaiverError('expiresAt', `"${value}" is not an ISO-8601 time with a zone`);
  if (ms <= now.getTime()) throw new WaiverError('expiresAt', `${value} is not in the future`);
  if (ms - now.getTime() > maxDays * 86_400_000)
    throw new WaiverError('expiresAt', `${value} is more than ${maxDays} days away`);
  return new Date(ms).toISOString();
}

export interface RevokeWaiverOptions {
  db: Db;
  sink: AuditSink;
  waiverId: string;
  user: string;
  reason?: string;
  clock?: () => Date;
}

/** Revokes a waiver; false when it was unknown or already revoked (nothing audited). */
export function revokeWaiver(options: RevokeWaiverOptions): boolean {
  const { db, sink, waiverId } = options;
  const at = (options.clock?.() ?? new Date()).toISOString();
  return db.transaction(() => {
    const row = db
      .prepare('SELECT project_id, rule, subject FROM waivers WHERE id = ? AND revoked_at IS NULL')
      .get(waiverId) as { project_id: string; rule: string; subject: string } | undefined;
    if (!row) return false;
    db.prepare('UPDATE waivers SET revoked_at = ? WHERE id = ?').run(at, waiverId);
    sink.append(db, {
      actor: { user: options.user },
      action: 'policy.waiver.revoked',
      target: `project:${row.project_id}`,
      meta: { waiverId, rule: row.rule, subject: row.subject, reason: options.reason ?? null },
    });
    return true;
  })();
}

interface WaiverRow {
  id: string;
  project_id: string;
  rule: string;
  subject: string;
  reason: string;
  approver: string;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
}

/** Waivers in force at `now` (default: the clock), oldest first; optionally for one project. */
export function listActiveWaivers(
  db: Db,
  options: { projectId?: string; now?: Date } = {},
): Waiver[] {
  const now = (options.now ?? new Date()).toISOString();
  const rows = db
    .prepare(
      `SELECT * FROM waivers WHERE revoked_at IS NULL AND expires_at > ?
       AND (? IS NULL OR project_id = ?) ORDER BY created_at, id`,
    )
    .all(now, options.projectId ?? null, options.projectId ?? null) as WaiverRow[];
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    rule: r.rule,
    subject: r.subject,
    reason: r.reason,
    approver: r.approver,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}
