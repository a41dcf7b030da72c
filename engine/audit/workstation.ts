import { existsSync, renameSync, rmSync } from 'node:fs';
import { dataDirLayout } from '../store/data-dir.ts';
import type { Db } from '../store/database.ts';
import type { Redactor } from '../secrets/redact.ts';
import {
  KeyFileError,
  readKeyFile,
  workstationKeyFile,
  writeKeyFile,
  keyFileExists,
  type KeyProtection,
} from './key-file.ts';
import { publicKeyPem, generateAuditKey, type AuditKeyPair } from './keys.ts';
import { SignedAuditSink } from './signed-audit-sink.ts';
import { listAuditKeys, retireKey } from './key-registry.ts';
import { prepared } from './statements.ts';

export interface OpenAuditLogOptions extends KeyProtection {
  db: Db;
  dataDir: string;
  redactor: Redactor;
  clock?: () => Date;
  /**
   * Start a new workstation key although the chain has an active one whose key file is gone.
   * Off by default (fail closed): a silently replaced key is exactly what an auditor must see.
   */
  replaceLostKey?: boolean;
}

export interface AuditLog {
  sink: SignedAuditSink;
  workstationKey: AuditKeyPair;
  /** True when this call made the workstation key (first run). */
  createdKey: boolean;
}

/**
 * Loads this workstation's signing key, making it on first run, and returns the sink that
 * signs with it. A new key is announced in the chain (`key.created`), so the log itself says
 * from which entry on a key may sign.
 */
export function openAuditLog(options: OpenAuditLogOptions): AuditLog {
  const file = workstationKeyFile(dataDirLayout(options.dataDir).keys);
  const clock = options.clock ?? (() => new Date());
  let workstationKey: AuditKeyPair;
  finishInterruptedRotation(options.db, file, options);
  let createdKey = false;
  let lostKeyId: string | undefined;
  if (keyFileExists(file)) {
    workstationKey = readKeyFile(file, options);
  } else {
    const active = listAuditKeys(options.db).find(
      (key) => key.role === 'workstation' && key.retiredAt === null,
    );
    if (active && !options.replaceLostKey) {
      throw new KeyFileError(
        file,
        `workstation key file is missing, but the audit chain is signed by key ${active.keyId}; restore the key file (or start a new key explicitly, which the chain will record)`,
      );
    }
    lostKeyId = active?.keyId;
    workstationKey = generateAuditKey();
    writeKeyFile(file, workstationKey, options, clock());
    createdKey = true;
  }
  const sink = new SignedAuditSink({ signer: workstationKey, redactor: options.redactor, clock });
  const announced =
    prepared(options.db, `SELECT 1 FROM audit_log WHERE actor_key_id = ? LIMIT 1`).get(
      workstationKey.keyId,
    ) !== undefined;
  if (!announced) {
    options.db
      .transaction(() => {
        sink.append(options.db, {
          actor: { user: 'system' },
          action: 'key.created',
          target: `key:${workstationKey.keyId}`,
          meta: {
            role: 'workstation',
            keyId: workstationKey.keyId,
            publicKey: publicKeyPem(workstationKey.publicKey),
            ...(lostKeyId ? { replacesLostKey: lostKeyId } : {}),
          },
        });
        if (lostKeyId)
          retireKey(options.db, lostKeyId, workstationKey.keyId, clock().toISOString());
      })
      .immediate();
  }
  return { sink, workstationKey, createdKey };
}

/**
 * A rotation writes the new key to `<file>.next` first and renames it after the chain commits
 * (key-rotation.ts). If the process died in between, the chain decides: a committed rotation
 * is completed, an uncommitted one is discarded.
 */
function finishInterruptedRotation(db: Db, file: string, protection: KeyProtection): void {
  const pending = `${file}.next`;
  if (!existsSync(pending)) return;
  const next = readKeyFile(pending, protection);
  const committed = listAuditKeys(db).some((key) => key.replacedBy === next.keyId);
  if (committed) renameSync(pending, file);
  else rmSync(pending);
}
