/**
 * What an approval signs (issue 10): the subject and its hash, who approved and when, in one
 * newline-separated message with a version tag, signed with the workstation's Ed25519 key. The
 * apply run starts only after the signature verifies against the key the audit chain announced,
 * so an approval row edited behind the app's back does not start anything (invariant 3).
 */
import type { KeyObject } from 'node:crypto';
import { signMessage, verifyMessage } from '../../audit/keys.ts';

export interface ApprovalSubject {
  subjectKind: 'blueprint' | 'release' | 'waiver';
  subjectId: string;
  subjectHash: string;
  approver: string;
  at: string;
}

export function approvalMessage(subject: ApprovalSubject): Uint8Array {
  return new TextEncoder().encode(
    [
      'prodsprint-approval/v1',
      subject.subjectKind,
      subject.subjectId,
      subject.subjectHash,
      subject.approver,
      subject.at,
    ].join('\n'),
  );
}

export function signApproval(privateKey: KeyObject, subject: ApprovalSubject): string {
  return signMessage(privateKey, approvalMessage(subject));
}

export function verifyApproval(
  publicKey: KeyObject,
  subject: ApprovalSubject,
  signature: string,
): boolean {
  return verifyMessage(publicKey, approvalMessage(subject), signature);
}
