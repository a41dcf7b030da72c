import type { KeyObject } from 'node:crypto';
import type { Db } from '../store/database.ts';
import { isHash } from './entry.ts';
import { signMessage, verifyMessage, type AuditKeyPair } from './keys.ts';
import { MerkleRootBuilder, MerkleTree, leafHash } from './merkle.ts';
import { PAGE, prepared } from './statements.ts';

/** A signed tree head (RFC 9162 §4.10, in our own encoding): the log's size and root, signed. */
export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  /** Ed25519 over treeHeadMessage(), base64. */
  signature: string;
}

export const TREE_HEAD_SIGNATURE_DOMAIN = 'prodsprint.audit.tree-head.v1';

/** `prodsprint.audit.tree-head.v1:<treeSize>:<rootHash>:<timestamp>`, ASCII: easy to rebuild with printf. */
export function treeHeadMessage(
  head: Pick<SignedTreeHead, 'treeSize' | 'rootHash' | 'timestamp'>,
): Buffer {
  return Buffer.from(
    `${TREE_HEAD_SIGNATURE_DOMAIN}:${head.treeSize}:${head.rootHash}:${head.timestamp}`,
    'ascii',
  );
}

/** The Merkle leaf of an entry: the leaf input is the 32 raw bytes of its entry hash. */
export function entryLeafHash(entryHash: string): Buffer {
  return leafHash(Buffer.from(entryHash, 'hex'));
}

export function verifyTreeHeadSignature(head: SignedTreeHead, publicKey: KeyObject): boolean {
  return (
    isHash(head.rootHash) &&
    Number.isSafeInteger(head.treeSize) &&
    verifyMessage(publicKey, treeHeadMessage(head), head.signature)
  );
}

/** Leaf hashes of the first `size` entries (all of them by default), concatenated. */
export function readLeafHashes(db: Db, size?: number): Buffer {
  const chunks: Buffer[] = [];
  forEachEntryHash(db, size ?? Number.MAX_SAFE_INTEGER, (entryHash) =>
    chunks.push(entryLeafHash(entryHash)),
  );
  return Buffer.concat(chunks);
}

/** Calls `visit` with each entry hash up to seq `size`, in seq order, a page at a time. */
function forEachEntryHash(db: Db, size: number, visit: (entryHash: string) => void): void {
  const page = prepared(
    db,
    'SELECT seq, entry_hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  let after = 0;
  while (true) {
    const rows = page.all(after, size, PAGE) as Array<{ seq: number; entry_hash: string }>;
    for (const row of rows) visit(row.entry_hash);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export function buildTree(db: Db, size?: number): MerkleTree {
  return new MerkleTree(readLeafHashes(db, size));
}

/** Computes the root over every entry, signs it and stores it. Call it inside a transaction to pin the size. */
export function signTreeHead(db: Db, signer: AuditKeyPair, now: Date = new Date()): SignedTreeHead {
  return db
    .transaction(() => {
      const builder = new MerkleRootBuilder();
      forEachEntryHash(db, Number.MAX_SAFE_INTEGER, (entryHash) =>
        builder.push(entryLeafHash(entryHash)),
      );
      const body = {
        treeSize: builder.size,
        rootHash: builder.root().toString('hex'),
        timestamp: now.toISOString(),
      };
      const head: SignedTreeHead = {
        ...body,
        keyId: signer.keyId,
        signature: signMessage(signer.privateKey, treeHeadMessage(body)),
      };
      prepared(
        db,
        `INSERT INTO audit_tree_heads (tree_size, root_hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tree_size) DO NOTHING`,
      ).run(head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature);
      return storedTreeHead(db, head.treeSize) ?? head;
    })
    .immediate();
}

export function storedTreeHead(db: Db, treeSize: number): SignedTreeHead | undefined {
  const row = prepared(db, 'SELECT * FROM audit_tree_heads WHERE tree_size = ?').get(treeSize) as
    TreeHeadRow | undefined;
  return row && fromRow(row);
}

/** Stored tree heads, smallest first. */
export function listTreeHeads(db: Db): SignedTreeHead[] {
  return (
    prepared(db, 'SELECT * FROM audit_tree_heads ORDER BY tree_size').all() as TreeHeadRow[]
  ).map(fromRow);
}

interface TreeHeadRow {
  tree_size: number;
  root_hash: string;
  at: string;
  key_id: string;
  signature: string;
}

function fromRow(row: TreeHeadRow): SignedTreeHead {
  return {
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    timestamp: row.at,
    keyId: row.key_id,
    signature: row.signature,
  };
}
