import type { KeyObject } from 'node:crypto';
import {
  canonicalEntry,
  canonicalEntryText,
  entrySigningMessage,
  GENESIS_PREV_HASH,
  isHash,
  sha256Hex,
  type AuditEntry,
} from './entry.ts';
import { verifyMessage } from './keys.ts';
import { HASH_SIZE } from './merkle.ts';
import { entryLeafHash } from './tree-head.ts';

/**
 * Checking one run of consecutive entries: content against hash, hash against signature,
 * prev_hash against the entry before, seq against the expected position. Pure (no I/O) so the
 * same code runs inline, in worker threads, on the live database and on a bundle.
 */

/** Where the first problem is, and why. `seq` is the position that was expected there. */
export interface EntryProblem {
  seq: number;
  /** 0-based index of the record in the run being checked. */
  index: number;
  reason: string;
  /** Whether the entry itself or its signature record is at fault (a bundle keeps them in two files). */
  part: 'entry' | 'signature';
}

export interface CandidateProblem {
  problem: string;
  part?: EntryProblem['part'];
}

/** One entry as a source presents it, before any of it is trusted. */
export interface EntryCandidate {
  seq: number;
  prevHash: string;
  /** The key the entry says signed it (actor.keyId). */
  keyId: string;
  /** The bytes that are hashed: the entry's RFC 8785 canonical JSON. */
  canonical: string;
  /** The entry hash the source claims (stored column, or signatures.jsonl). */
  claimedHash: string;
  signature: string;
}

export interface RunResult {
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstPrevHash: string | null;
  lastEntryHash: string | null;
  /** Merkle leaf hashes (RFC 9162 0x00 prefix over the entry hash) of the checked entries. */
  leafHashes: Buffer;
  problem?: EntryProblem;
}

export class RunChecker {
  private readonly keys: Map<string, KeyObject>;
  private readonly leaves: Buffer;
  private count = 0;
  private previous: { seq: number; entryHash: string } | null = null;
  private first: { seq: number; prevHash: string } | null = null;
  problem: EntryProblem | undefined;

  constructor(keys: Map<string, KeyObject>, capacity: number) {
    this.keys = keys;
    this.leaves = Buffer.allocUnsafe(capacity * HASH_SIZE);
  }

  /** Checks the next entry against `expectedSeq`; returns false (and keeps the problem) at the first failure. */
  add(expectedSeq: number, candidate: EntryCandidate | CandidateProblem): boolean {
    if (this.problem) return false;
    const index = this.count;
    const fail = (reason: string, part: EntryProblem['part'] = 'entry') => {
      this.problem = { seq: expectedSeq, index, reason, part };
      return false;
    };
    if ('problem' in candidate) return fail(candidate.problem, candidate.part);
    const entry = candidate;
    const { canonical, claimedHash, signature } = candidate;
    if (entry.seq !== expectedSeq)
      return fail(
        `found seq ${entry.seq} where seq ${expectedSeq} should be (an entry is missing or out of order)`,
      );
    const entryHash = sha256Hex(canonical);
    if (entryHash !== claimedHash)
      return fail(
        `content does not match its entry hash (recorded ${claimedHash}, content hashes to ${entryHash})`,
      );
    if (
      this.previous &&
      this.previous.seq === entry.seq - 1 &&
      entry.prevHash !== this.previous.entryHash
    ) {
      return fail(
        `prev_hash ${entry.prevHash} is not the hash of entry seq ${this.previous.seq} (${this.previous.entryHash})`,
      );
    }
    if (entry.seq === 1 && entry.prevHash !== GENESIS_PREV_HASH)
      return fail('entry seq 1 must have the genesis prev_hash (64 zeros)');
    const key = this.keys.get(entry.keyId);
    if (!key) return fail(`signed by key ${entry.keyId}, which is not among the known public keys`);
    if (!verifyMessage(key, entrySigningMessage(entryHash), signature))
      return fail(`signature does not verify with key ${entry.keyId}`, 'signature');
    entryLeafHash(entryHash).copy(this.leaves, index * HASH_SIZE);
    if (!this.first) this.first = { seq: entry.seq, prevHash: entry.prevHash };
    this.previous = { seq: entry.seq, entryHash };
    this.count++;
    return true;
  }

  result(): RunResult {
    return {
      count: this.count,
      firstSeq: this.first?.seq ?? null,
      lastSeq: this.previous?.seq ?? null,
      firstPrevHash: this.first?.prevHash ?? null,
      lastEntryHash: this.previous?.entryHash ?? null,
      leafHashes: this.leaves.subarray(0, this.count * HASH_SIZE),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }
}

/** A row of audit_log as SQLite returns it. */
export interface AuditRow {
  seq: number;
  at: string;
  actor_user: string;
  actor_key_id: string;
  action: string;
  target: string;
  meta: string;
  prev_hash: string;
  entry_hash: string;
  signature: string;
}

/**
 * Rebuilds the hashed bytes of a stored row (see canonicalEntryText). If meta was rewritten,
 * even into equivalent JSON, the bytes change and so does the hash.
 */
export function candidateFromRow(row: AuditRow): EntryCandidate {
  const canonical = canonicalEntryText({
    seq: row.seq,
    at: row.at,
    user: row.actor_user,
    keyId: row.actor_key_id,
    action: row.action,
    target: row.target,
    metaText: row.meta,
    prevHash: row.prev_hash,
  });
  return {
    seq: row.seq,
    prevHash: row.prev_hash,
    keyId: row.actor_key_id,
    canonical,
    claimedHash: row.entry_hash,
    signature: row.signature,
  };
}

/** The entry a row holds, parsed (meta included); for callers that need its content. */
export function entryFromRow(row: AuditRow): AuditEntry {
  return {
    v: 1,
    seq: row.seq,
    at: row.at,
    actor: { user: row.actor_user, keyId: row.actor_key_id },
    action: row.action,
    target: row.target,
    meta: JSON.parse(row.meta) as Record<string, unknown>,
    prevHash: row.prev_hash,
  };
}

/** One line of a bundle's signatures.jsonl. */
export interface SignatureLine {
  seq: number;
  entryHash: string;
  signature: string;
}

/** Parses one entries.jsonl line, which must be byte for byte the canonical form that was hashed. */
export function candidateFromLine(
  line: string,
  signatureLine: string | undefined,
): EntryCandidate | CandidateProblem {
  let entry: AuditEntry;
  try {
    entry = JSON.parse(line) as AuditEntry;
  } catch {
    return { problem: 'line is not JSON' };
  }
  const shape = entryShapeProblem(entry);
  if (shape) return { problem: shape };
  if (canonicalEntry(entry) !== line)
    return { problem: 'line is not the RFC 8785 canonical form of the entry' };
  const part = 'signature' as const;
  if (signatureLine === undefined) return { problem: 'no signature line for this entry', part };
  let signed: SignatureLine;
  try {
    signed = JSON.parse(signatureLine) as SignatureLine;
  } catch {
    return { problem: 'line is not JSON', part };
  }
  if (typeof signed !== 'object' || signed === null)
    return { problem: 'line is not a JSON object', part };
  if (signed.seq !== entry.seq)
    return {
      problem: `line is for seq ${String(signed.seq)}, but the entry on the same line is seq ${entry.seq}`,
      part,
    };
  if (!isHash(signed.entryHash) || typeof signed.signature !== 'string')
    return { problem: 'line is malformed', part };
  return {
    seq: entry.seq,
    prevHash: entry.prevHash,
    keyId: entry.actor.keyId,
    canonical: line,
    claimedHash: signed.entryHash,
    signature: signed.signature,
  };
}

function entryShapeProblem(entry: AuditEntry): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return 'line is not a JSON object';
  if (entry.v !== 1) return `unknown entry version ${String(entry.v)}`;
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) return 'seq is not a positive integer';
  if (
    typeof entry.at !== 'string' ||
    typeof entry.action !== 'string' ||
    typeof entry.target !== 'string'
  )
    return 'at, action or target is missing';
  if (
    typeof entry.actor !== 'object' ||
    entry.actor === null ||
    typeof entry.actor.user !== 'string' ||
    !isHash(entry.actor.keyId)
  ) {
    return 'actor is malformed';
  }
  if (typeof entry.meta !== 'object' || entry.meta === null || Array.isArray(entry.meta))
    return 'meta is not an object';
  if (!isHash(entry.prevHash)) return 'prevHash is not a SHA-256 hex digest';
  const extra = Object.keys(entry).filter(
    (key) => !['v', 'seq', 'at', 'actor', 'action', 'target', 'meta', 'prevHash'].includes(key),
  );
  if (extra.length) return `unexpected field(s) ${extra.join(', ')}`;
  return undefined;
}
