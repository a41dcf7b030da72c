import type { Db } from '../../store/database.ts';
import type { PackManifest } from './manifest.ts';

/** A row of policy_packs as the engine uses it. */
export interface PackRecord {
  id: string;
  name: string;
  revision: string;
  digest: string;
  signerKeyId: string | null;
  manifest: PackManifest;
  path: string;
  importedAt: string;
}

interface PackRow {
  id: string;
  name: string;
  revision: string;
  digest: string;
  signer_key_id: string | null;
  manifest: string;
  path: string;
  imported_at: string;
}

const toRecord = (row: PackRow): PackRecord => ({
  id: row.id,
  name: row.name,
  revision: row.revision,
  digest: row.digest,
  signerKeyId: row.signer_key_id,
  manifest: JSON.parse(row.manifest) as PackManifest,
  path: row.path,
  importedAt: row.imported_at,
});

/** One imported pack by id. */
export function getPack(db: Db, id: string): PackRecord | undefined {
  const row = db.prepare('SELECT * FROM policy_packs WHERE id = ?').get(id) as PackRow | undefined;
  return row ? toRecord(row) : undefined;
}

/** Every imported pack, by name then import time (`prodsprint policy list`). */
export function listPacks(db: Db): PackRecord[] {
  const rows = db
    .prepare('SELECT * FROM policy_packs ORDER BY name, imported_at, revision')
    .all() as PackRow[];
  return rows.map(toRecord);
}

/** Packs active in a workspace. */
export function listActivePacks(db: Db, workspaceId: string): PackRecord[] {
  const rows = db
    .prepare(
      `SELECT p.* FROM policy_packs p JOIN policy_activations a ON a.pack_id = p.id
       WHERE a.workspace_id = ? ORDER BY p.name`,
    )
    .all(workspaceId) as PackRow[];
  return rows.map(toRecord);
}
