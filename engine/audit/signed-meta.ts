import type { KeyObject } from 'node:crypto';
import { verifyApproval, type PlanApproval } from './approvals.ts';
import { verifyRotation } from './key-rotation.ts';

/** Cheap test on the raw text: only entries that may carry a signature inside meta are parsed. */
export function mayCarrySignedMeta(text: string): boolean {
  return text.includes('key.rotated') || text.includes('"approval"');
}

/**
 * Signatures carried inside an entry's meta, checked against the known public keys: a key
 * rotation must be endorsed by both keys, and an approval (`meta.approval`) must be the named
 * operator key's signature over the plan hash. Returns why not, or undefined when all hold.
 */
export function signedMetaProblem(
  action: string,
  meta: Record<string, unknown>,
  keys: Map<string, KeyObject>,
): string | undefined {
  if (action === 'key.rotated') {
    const oldKey = keys.get(String(meta.oldKeyId));
    const newKey = keys.get(String(meta.newKeyId));
    if (!oldKey || !newKey || !verifyRotation(meta, oldKey, newKey))
      return 'key rotation is not signed by both the old and the new key';
  }
  const approval = meta.approval as PlanApproval | undefined;
  if (approval !== undefined) {
    const key =
      typeof approval === 'object' && approval !== null
        ? keys.get(String(approval.keyId))
        : undefined;
    if (!key) return 'approval names an operator key that is not known';
    if (!verifyApproval(approval, key))
      return `approval signature over plan ${String(approval.planHash)} does not verify`;
  }
  return undefined;
}

const ACTOR_KEY = '"actor":{"keyId":"';

/**
 * The signing key id of a canonical entry line, read without parsing: in RFC 8785 form the
 * actor object always starts with exactly this text, and nothing before it can contain it
 * unescaped.
 */
export function keyIdOfLine(line: string): string {
  const at = line.indexOf(ACTOR_KEY) + ACTOR_KEY.length;
  return line.slice(at, at + 64);
}

/**
 * Where a rotated-out key signed again: the first seq after its `key.rotated` entry that it
 * signed. A stolen old key must not be able to extend the log.
 */
export function signedAfterRotation(
  rotations: Map<string, number>,
  entries: Iterable<{ seq: number; keyId: string }>,
): { seq: number; reason: string } | undefined {
  for (const { seq, keyId } of entries) {
    const rotatedAt = rotations.get(keyId);
    if (rotatedAt !== undefined && seq > rotatedAt) {
      return { seq, reason: `signed by key ${keyId}, which was rotated out at seq ${rotatedAt}` };
    }
  }
  return undefined;
}

/** Key ids an entry introduces: its own new key (`key.created`), a rotation's new key, an operator key. */
export function introducedKeys(action: string, meta: Record<string, unknown>): string[] {
  if (action === 'key.created' || action === 'key.registered') return [String(meta.keyId)];
  if (action === 'key.rotated') return [String(meta.newKeyId)];
  return [];
}

/**
 * Keys that signed before the chain introduced them. Not a failure on its own (a sink used
 * without openAuditLog never announces its key), but an auditor should see it: a key that
 * appears from nowhere is how an injected signer would look.
 */
export function unannouncedKeyWarnings(
  firstUse: Map<string, number>,
  introduced: Map<string, number>,
): string[] {
  const warnings: string[] = [];
  for (const [keyId, seq] of firstUse) {
    const at = introduced.get(keyId);
    if (at === undefined || at > seq) {
      warnings.push(`key ${keyId} signs from seq ${seq} but no earlier key.* entry introduces it`);
    }
  }
  return warnings;
}
