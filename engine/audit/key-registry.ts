import type { KeyObject } from 'node:crypto';
import type { Db } from '../store/database.ts';
import { keyIdOf, parsePublicKeyPem, publicKeyPem } from './keys.ts';
import { prepared } from './statements.ts';

export type AuditKeyRole = 'workstation' | 'operator';

export interface AuditKeyRecord {
  keyId: string;
  publicKeyPem: string;
  role: AuditKeyRole;
  owner: string;
  createdAt: string;
  retiredAt: string | null;
  replacedBy: string | null;
}

interface KeyRow {
  key_id: string;
  public_key: string;
  role: AuditKeyRole;
  owner: string;
  created_at: string;
  retired_at: string | null;
  replaced_by: string | null;
}

/** Records a public key (idempotent: a key already known is left as it is). */
export function registerPublicKey(
  db: Db,
  key: KeyObject,
  role: AuditKeyRole,
  owner: string,
  at: string,
): string {
  const keyId = keyIdOf(key);
  prepared(
    db,
    `INSERT INTO audit_keys (key_id, public_key, role, owner, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key_id) DO NOTHING`,
  ).run(keyId, publicKeyPem(key), role, owner, at);
  return keyId;
}

export function retireKey(db: Db, keyId: string, replacedBy: string, at: string): void {
  prepared(
    db,
    'UPDATE audit_keys SET retired_at = ?, replaced_by = ? WHERE key_id = ? AND retired_at IS NULL',
  ).run(at, replacedBy, keyId);
}

export function listAuditKeys(db: Db): AuditKeyRecord[] {
  const rows = prepared(
    db,
    'SELECT * FROM audit_keys ORDER BY created_at, key_id',
  ).all() as KeyRow[];
  return rows.map((row) => ({
    keyId: row.key_id,
    publicKeyPem: row.public_key,
    role: row.role,
    owner: row.owner,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    replacedBy: row.replaced_by,
  }));
}

/**
 * Public keys by id, each checked against its own fingerprint; a row whose key was swapped
 * behind the app's back is reported by id rather than trusted.
 */
export function loadPublicKeys(db: Db): { keys: Map<string, KeyObject>; mismatched: string[] } {
  const keys = new Map<string, KeyObject>();
  const mismatched: string[] = [];
  for (const record of listAuditKeys(db)) {
    try {
      const key = parsePublicKeyPem(record.publicKeyPem);
      if (keyIdOf(key) === record.keyId) keys.set(record.keyId, key);
      else mismatched.push(record.keyId);
    } catch {
      mismatched.push(record.keyId);
    }
  }
  return { keys, mismatched };
}
