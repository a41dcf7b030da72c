import { renameSync, rmSync } from 'node:fs';
import type { Db } from '../store/database.ts';
import { retireKey, registerPublicKey } from './key-registry.ts';
import { writeKeyFile, type KeyProtection } from './key-file.ts';
import {
  generateAuditKey,
  publicKeyPem,
  signMessage,
  verifyMessage,
  type AuditKeyPair,
} from './keys.ts';
import type { SignedAuditSink } from './signed-audit-sink.ts';
import type { KeyObject } from 'node:crypto';

export const ROTATION_SIGNATURE_DOMAIN = 'prodsprint.audit.key-rotation.v1';

/** `prodsprint.audit.key-rotation.v1:<oldKeyId>:<newKeyId>`: what both keys sign. */
export function rotationMessage(oldKeyId: string, newKeyId: string): Buffer {
  return Buffer.from(`${ROTATION_SIGNATURE_DOMAIN}:${oldKeyId}:${newKeyId}`, 'ascii');
}

export interface RotateOptions extends KeyProtection {
  db: Db;
  sink: SignedAuditSink;
  /** Where the new key is written (the workstation key file); the old file is kept beside it. */
  keyFile: string;
  actor: string;
  now?: Date;
}

/**
 * Replaces the workstation key. The `key.rotated` entry is signed by the OLD key and carries
 * both keys' signatures over the hand-over, so the chain proves the old key passed authority
 * to the new one (and that whoever holds the new key accepted it). Later entries sign with the
 * new key; the old one is retired.
 */
export function rotateWorkstationKey(options: RotateOptions): {
  oldKeyId: string;
  newKey: AuditKeyPair;
  seq: number;
} {
  const now = options.now ?? new Date();
  const oldKeyId = options.sink.keyId;
  const newKey = generateAuditKey();
  const message = rotationMessage(oldKeyId, newKey.keyId);
  // The new key is on disk before the chain names it, and replaces the old file only after
  // the chain committed: no failure in between leaves a chain whose active key is lost.
  const pending = `${options.keyFile}.next`;
  writeKeyFile(pending, newKey, options, now);
  let seq: number;
  try {
    ({ seq } = options.db
      .transaction(() => {
        registerPublicKey(
          options.db,
          newKey.publicKey,
          'workstation',
          options.actor,
          now.toISOString(),
        );
        const appended = options.sink.append(options.db, {
          actor: { user: options.actor, keyId: oldKeyId },
          action: 'key.rotated',
          target: `key:${oldKeyId}`,
          meta: {
            oldKeyId,
            newKeyId: newKey.keyId,
            newPublicKey: publicKeyPem(newKey.publicKey),
            oldKeySignature: signMessage(options.sink.signerKey(oldKeyId).privateKey, message),
            newKeySignature: signMessage(newKey.privateKey, message),
          },
        });
        retireKey(options.db, oldKeyId, newKey.keyId, now.toISOString());
        return appended;
      })
      .immediate());
  } catch (error) {
    rmSync(pending, { force: true });
    throw error;
  }
  renameSync(pending, options.keyFile);
  options.sink.useSigner(newKey);
  return { oldKeyId, newKey, seq };
}

/** Checks a `key.rotated` entry's meta against the two public keys it names. */
export function verifyRotation(
  meta: Record<string, unknown>,
  oldKey: KeyObject,
  newKey: KeyObject,
): boolean {
  const { oldKeyId, newKeyId, oldKeySignature, newKeySignature } = meta;
  if (typeof oldKeyId !== 'string' || typeof newKeyId !== 'string') return false;
  if (typeof oldKeySignature !== 'string' || typeof newKeySignature !== 'string') return false;
  const message = rotationMessage(oldKeyId, newKeyId);
  return (
    verifyMessage(oldKey, message, oldKeySignature) &&
    verifyMessage(newKey, message, newKeySignature)
  );
}
