import { hash } from 'node:crypto';
import { canonicalize } from './jcs.ts';

/**
 * The audit entry as it is hashed. entry_hash = SHA-256 over the RFC 8785 (JCS) canonical JSON
 * of this object (https://www.rfc-editor.org/rfc/rfc8785), so any JCS implementation, in any
 * language, reproduces the exact bytes; prevHash inside it is what chains the entries.
 */
export interface AuditEntry {
  /** Format version of the hashed object, so a later format can be told apart. */
  v: 1;
  seq: number;
  /** ISO-8601 UTC. */
  at: string;
  actor: { user: string; keyId: string };
  action: string;
  target: string;
  meta: Record<string, unknown>;
  prevHash: string;
}

/** An entry with its hash and Ed25519 signature (base64), as stored and exported. */
export interface SignedAuditEntry {
  entry: AuditEntry;
  entryHash: string;
  signature: string;
}

/**
 * prev_hash of entry 1: 64 zero hex digits. A fixed, documented value rather than a random
 * nonce, so a verifier needs nothing but the entries to check the start of the chain.
 */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** Domain-separation prefixes: a signature made for one purpose never verifies for another. */
export const ENTRY_SIGNATURE_DOMAIN = 'prodsprint.audit.entry.v1';

const HEX64 = /^[0-9a-f]{64}$/;

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

/** The exact bytes that are hashed: RFC 8785 canonical JSON of the entry. */
export function canonicalEntry(entry: AuditEntry): string {
  const text = canonicalize(entry);
  if (text === undefined) throw new TypeError('audit entry cannot be serialised as JSON');
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/**
 * The same canonical bytes as canonicalEntry(), assembled directly from stored fields: the
 * keys in their fixed RFC 8785 order, strings through JSON.stringify (the serialisation
 * RFC 8785 §3.2.2.2 prescribes) and meta as its canonical text. Writing and verifying a
 * million entries cannot afford re-canonicalising each; a test pins the two forms together.
 */
export function canonicalEntryText(fields: {
  seq: number;
  at: string;
  user: string;
  keyId: string;
  action: string;
  target: string;
  metaText: string;
  prevHash: string;
}): string {
  return (
    `{"action":${JSON.stringify(fields.action)},"actor":{"keyId":${JSON.stringify(fields.keyId)},"user":${JSON.stringify(fields.user)}},` +
    `"at":${JSON.stringify(fields.at)},"meta":${fields.metaText},"prevHash":${JSON.stringify(fields.prevHash)},"seq":${fields.seq},` +
    `"target":${JSON.stringify(fields.target)},"v":1}`
  );
}

/** The message an entry signature covers: the domain, then the entry hash in hex. */
export function entrySigningMessage(entryHash: string): Buffer {
  return Buffer.from(`${ENTRY_SIGNATURE_DOMAIN}:${entryHash}`, 'ascii');
}

/**
 * Meta as it will be stored: a plain JSON object (dates become strings, undefined disappears),
 * so the stored text parses back to exactly what was hashed.
 */
export function normaliseMeta(meta: unknown): Record<string, unknown> {
  if (meta === undefined || meta === null) return {};
  const plain: unknown = JSON.parse(JSON.stringify(meta));
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new TypeError('audit meta must be a JSON object');
  return plain as Record<string, unknown>;
}

/** Canonical JSON of meta, the form kept in audit_log.meta. */
export function canonicalMeta(meta: Record<string, unknown>): string {
  const text = canonicalize(meta);
  if (text === undefined) throw new TypeError('audit meta cannot be serialised as JSON');
  return text;
}
