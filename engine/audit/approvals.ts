import type { KeyObject } from 'node:crypto';
import { isHash } from './entry.ts';
import { signMessage, verifyMessage, type AuditKeyPair } from './keys.ts';

export const APPROVAL_SIGNATURE_DOMAIN = 'prodsprint.approval.v1';

/** An operator's approval of a plan: an Ed25519 signature over the plan hash (invariant 3). */
export interface PlanApproval {
  planHash: string;
  approver: string;
  keyId: string;
  signature: string;
}

/** `prodsprint.approval.v1:<planHash>`: the domain keeps an approval from passing for any other signature. */
export function approvalMessage(planHash: string): Buffer {
  return Buffer.from(`${APPROVAL_SIGNATURE_DOMAIN}:${planHash}`, 'ascii');
}

export function signApproval(
  planHash: string,
  approver: string,
  operatorKey: AuditKeyPair,
): PlanApproval {
  if (!isHash(planHash)) throw new TypeError('plan hash must be 64 lowercase hex digits (SHA-256)');
  return {
    planHash,
    approver,
    keyId: operatorKey.keyId,
    signature: signMessage(operatorKey.privateKey, approvalMessage(planHash)),
  };
}

export function verifyApproval(approval: PlanApproval, operatorPublicKey: KeyObject): boolean {
  return (
    isHash(approval.planHash) &&
    verifyMessage(operatorPublicKey, approvalMessage(approval.planHash), approval.signature)
  );
}
