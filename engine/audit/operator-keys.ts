import type { Db } from '../store/database.ts';
import type { PlanApproval } from './approvals.ts';
import { signApproval } from './approvals.ts';
import { writeKeyFile, type KeyProtection } from './key-file.ts';
import { registerPublicKey } from './key-registry.ts';
import { generateAuditKey, publicKeyPem, type AuditKeyPair } from './keys.ts';
import type { SignedAuditSink } from './signed-audit-sink.ts';

export interface CreateOperatorKeyOptions extends KeyProtection {
  db: Db;
  sink: SignedAuditSink;
  /** The person the key belongs to (email or user id). */
  owner: string;
  /** Where the operator's private key is written (sealed with the passphrase, or 0600). */
  keyFile: string;
}

/**
 * Makes an operator's approval key. The public key is registered and announced in the chain
 * (`key.registered`, signed by the workstation), so a verifier knows which key may approve
 * before it sees any approval made with it.
 */
export function createOperatorKey(options: CreateOperatorKeyOptions): AuditKeyPair {
  const key = generateAuditKey();
  writeKeyFile(options.keyFile, key, options);
  options.db
    .transaction(() => {
      registerPublicKey(
        options.db,
        key.publicKey,
        'operator',
        options.owner,
        new Date().toISOString(),
      );
      options.sink.append(options.db, {
        actor: { user: options.owner },
        action: 'key.registered',
        target: `key:${key.keyId}`,
        meta: {
          role: 'operator',
          owner: options.owner,
          keyId: key.keyId,
          publicKey: publicKeyPem(key.publicKey),
        },
      });
    })
    .immediate();
  return key;
}

/**
 * Records an approval in the chain: the operator signs the plan hash with their key, and the
 * entry carries that signature (`meta.approval`), which both verifiers check against the
 * operator's registered public key. Call it inside the transaction that marks the plan approved.
 */
export function recordApproval(
  db: Db,
  sink: SignedAuditSink,
  operatorKey: AuditKeyPair,
  approval: { planHash: string; approver: string; target: string },
): { seq: number; approval: PlanApproval } {
  const signed = signApproval(approval.planHash, approval.approver, operatorKey);
  const { seq } = sink.append(db, {
    actor: { user: approval.approver },
    action: 'plan.approved',
    target: approval.target,
    meta: { approval: { ...signed } },
  });
  return { seq, approval: signed };
}
