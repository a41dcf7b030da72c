import type { Db } from '../database.ts';

/** A signed approval of a blueprint's plan hash, a release, or a waiver (migration 0002). */
export interface ApprovalRecord {
  id: string;
  projectId: string;
  subjectKind: 'blueprint' | 'release' | 'waiver';
  subjectId: string;
  subjectHash: string;
  approver: string;
  keyId: string;
  signature: string;
  environment: string | null;
  role: string;
  /** The approver approved their own change. */
  selfApproval: boolean;
  createdAt: string;
}

interface ApprovalRow {
  id: string;
  project_id: string;
  subject_kind: ApprovalRecord['subjectKind'];
  subject_id: string;
  subject_hash: string;
  approver: string;
  key_id: string;
  signature: string;
  environment: string | null;
  role: string;
  self_approval: number;
  created_at: string;
}

const fromRow = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  projectId: row.project_id,
  subjectKind: row.subject_kind,
  subjectId: row.subject_id,
  subjectHash: row.subject_hash,
  approver: row.approver,
  keyId: row.key_id,
  signature: row.signature,
  environment: row.environment,
  role: row.role,
  selfApproval: row.self_approval === 1,
  createdAt: row.created_at,
});

export function insertApproval(db: Db, approval: ApprovalRecord): void {
  db.prepare(
    `INSERT INTO approvals (id, project_id, subject_kind, subject_id, subject_hash, approver, key_id, signature, environment, role, self_approval, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    approval.id,
    approval.projectId,
    approval.subjectKind,
    approval.subjectId,
    approval.subjectHash,
    approval.approver,
    approval.keyId,
    approval.signature,
    approval.environment,
    approval.role,
    approval.selfApproval ? 1 : 0,
    approval.createdAt,
  );
}

export function getApproval(db: Db, id: string): ApprovalRecord | undefined {
  const row = db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function markBlueprintApproved(db: Db, blueprintId: string, at: string): void {
  db.prepare(
    `UPDATE blueprints SET status = 'approved', approved_at = ? WHERE id = ? AND status = 'draft'`,
  ).run(at, blueprintId);
}

/**
 * The newest approval of a blueprint of this project at `minVersion` or later that signs the
 * blueprint's current plan hash: what a waiting sprint accepts (its own plan, or a newer one a
 * person made by answering its questions).
 */
export function latestBlueprintApproval(
  db: Db,
  projectId: string,
  minVersion: number,
): ApprovalRecord | undefined {
  const row = db
    .prepare(
      `SELECT a.* FROM approvals a JOIN blueprints b ON b.id = a.subject_id
        WHERE a.subject_kind = 'blueprint' AND a.project_id = ? AND b.version >= ?
          AND a.subject_hash = b.plan_hash
        ORDER BY b.version DESC, a.created_at DESC LIMIT 1`,
    )
    .get(projectId, minVersion) as ApprovalRow | undefined;
  return row ? fromRow(row) : undefined;
}
