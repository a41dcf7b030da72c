import type { AuditSink } from '../../audit/index.ts';
import type { Db } from '../../store/database.ts';
import { BundleError } from './errors.ts';
import { getPack } from './pack-store.ts';

export interface ActivationOptions {
  db: Db;
  sink: AuditSink;
  workspaceId: string;
  packId: string;
  user: string;
  clock?: () => Date;
}

/**
 * Activates a pack revision in a workspace (issue 6: an audited event). A workspace runs one
 * revision per pack name, so another active revision of the same name is replaced in the same
 * transaction. Returns false when it was already active (no change, no audit entry).
 */
export function activatePack(options: ActivationOptions): boolean {
  const { db, sink, workspaceId, packId } = options;
  const pack = getPack(db, packId);
  if (!pack) throw new BundleError('not_found', `no imported policy pack ${packId}`);
  const at = (options.clock?.() ?? new Date()).toISOString();
  return db.transaction(() => {
    const active = db
      .prepare(
        `SELECT p.id, p.revision FROM policy_activations a JOIN policy_packs p ON p.id = a.pack_id
         WHERE a.workspace_id = ? AND p.name = ?`,
      )
      .all(workspaceId, pack.name) as { id: string; revision: string }[];
    if (active.some((a) => a.id === packId)) return false;
    const replaced = active.map((a) => a.revision);
    db.prepare(
      `DELETE FROM policy_activations WHERE workspace_id = ?
       AND pack_id IN (SELECT id FROM policy_packs WHERE name = ?)`,
    ).run(workspaceId, pack.name);
    db.prepare(
      'INSERT INTO policy_activations (workspace_id, pack_id, activated_at, activated_by) VALUES (?, ?, ?, ?)',
    ).run(workspaceId, packId, at, options.user);
    sink.append(db, {
      actor: { user: options.user },
      action: 'policy.pack.activated',
      target: `workspace:${workspaceId}`,
      meta: { packId, name: pack.name, revision: pack.revision, digest: pack.digest, replaced },
    });
    return true;
  })();
}

/** Deactivates a pack in a workspace; false when it was not active (nothing audited). */
export function deactivatePack(options: Omit<ActivationOptions, 'clock'>): boolean {
  const { db, sink, workspaceId, packId } = options;
  return db.transaction(() => {
    const { changes } = db
      .prepare('DELETE FROM policy_activations WHERE workspace_id = ? AND pack_id = ?')
      .run(workspaceId, packId);
    if (changes === 0) return false;
    const pack = getPack(db, packId);
    sink.append(db, {
      actor: { user: options.user },
      action: 'policy.pack.deactivated',
      target: `workspace:${workspaceId}`,
      meta: { packId, name: pack?.name, revision: pack?.revision },
    });
    return true;
  })();
}
