import type { KeyObject } from 'node:crypto';
import type { Db } from '../store/database.ts';
import { loadPublicKeys } from './key-registry.ts';
import { publicKeyPem } from './keys.ts';
import { MerkleTree } from './merkle.ts';
import {
  introducedKeys,
  signedAfterRotation,
  signedMetaProblem,
  unannouncedKeyWarnings,
} from './signed-meta.ts';
import type { AuditRow } from './entry-check.ts';
import { RowRangeChecker } from './row-range.ts';
import {
  defaultParallelism,
  mergeRuns,
  PARALLEL_THRESHOLD,
  streamRowRanges,
  type PageReader,
  splitRange,
} from './run-checks.ts';
import { listTreeHeads, verifyTreeHeadSignature } from './tree-head.ts';
import { PAGE, prepared } from './statements.ts';

export interface LiveProblem {
  table: 'audit_log' | 'audit_keys' | 'audit_tree_heads';
  /** audit_log seq, or audit_tree_heads tree_size. */
  seq?: number;
  keyId?: string;
  reason: string;
}

export interface LiveVerifyResult {
  ok: boolean;
  entries: number;
  treeHeadsChecked: number;
  /** Merkle root over every entry checked (hex). */
  rootHash: string;
  problem?: LiveProblem;
  /** One line a person can read: what was checked, or the first thing wrong and where. */
  message: string;
  /** Things an auditor should look at that do not by themselves break the chain. */
  warnings: string[];
}

export interface LiveVerifyOptions {
  /** Threads to verify with; 1 checks inline. Defaults to one per core for large logs. */
  parallelism?: number;
}

/**
 * Verifies the live audit log: every row's hash, signature and link to the row before, the
 * keys against their fingerprints, signatures inside meta (rotations, approvals), and every
 * stored tree head against the Merkle root recomputed from the rows. Rows are read through
 * the caller's connection (so an open transaction is respected) and, for large logs, checked
 * in worker threads, one contiguous seq range each.
 */
export async function verifyLiveChain(
  db: Db,
  options: LiveVerifyOptions = {},
): Promise<LiveVerifyResult> {
  const { keys, mismatched } = loadPublicKeys(db);
  if (mismatched.length)
    return fail(0, {
      table: 'audit_keys',
      keyId: mismatched[0]!,
      reason: `public key of ${mismatched[0]!} does not match its key id (fingerprint)`,
    });

  const { last } = prepared(db, 'SELECT coalesce(max(seq), 0) AS last FROM audit_log').get() as {
    last: number;
  };
  const pems: Array<[string, string]> = [...keys].map(([keyId, key]) => [keyId, publicKeyPem(key)]);
  const parallelism =
    options.parallelism ?? (last >= PARALLEL_THRESHOLD ? defaultParallelism() : 1);
  const page = prepared(
    db,
    'SELECT * FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  const readPage = (from: number, to: number, limit: number) =>
    page.all(from, to, limit) as AuditRow[];
  const ranges = splitRange(last, parallelism).map(([start, end]): [number, number] => [
    start + 1,
    end,
  ]);
  const runs =
    parallelism > 1 && last > 0
      ? await streamRowRanges(ranges, pems, readPage, PAGE)
      : [checkInline(keys, last, readPage)];
  const merged = mergeRuns(runs);
  if (merged.problem)
    return fail(merged.count, {
      table: 'audit_log',
      seq: merged.problem.seq,
      reason: merged.problem.reason,
    });

  const rotation = checkSignedMeta(db, keys, last);
  if (rotation) return fail(merged.count, rotation);

  const tree = new MerkleTree(merged.leafHashes);
  const heads = listTreeHeads(db);
  // Read after the heads: a head beyond what was checked is either newer than the check (the
  // log grew meanwhile, and it is left for the next run) or proof that rows were removed.
  const { now } = prepared(db, 'SELECT coalesce(max(seq), 0) AS now FROM audit_log').get() as {
    now: number;
  };
  let checkedHeads = 0;
  for (const head of heads) {
    const where = { table: 'audit_tree_heads' as const, seq: head.treeSize };
    if (head.treeSize > tree.size && now < head.treeSize)
      return fail(merged.count, {
        ...where,
        reason: `tree head covers ${head.treeSize} entries but the log has ${now} (entries were removed)`,
      });
    if (head.treeSize > tree.size) continue;
    checkedHeads++;
    const key = keys.get(head.keyId);
    if (!key || !verifyTreeHeadSignature(head, key))
      return fail(merged.count, {
        ...where,
        reason: `tree head signature does not verify with key ${head.keyId}`,
      });
    const root = tree.root(head.treeSize).toString('hex');
    if (root !== head.rootHash)
      return fail(merged.count, {
        ...where,
        reason: `signed root ${head.rootHash} differs from the root of the stored entries ${root} (history was rewritten)`,
      });
  }
  const rootHash = tree.root().toString('hex');
  return {
    ok: true,
    entries: tree.size,
    treeHeadsChecked: checkedHeads,
    rootHash,
    message: `audit log OK: ${tree.size} entries, ${checkedHeads} signed tree heads, root ${rootHash}`,
    warnings: keyWarnings(db, last),
  };
}

function checkInline(keys: Map<string, KeyObject>, last: number, readPage: PageReader) {
  const checker = new RowRangeChecker(keys, 1, last);
  for (let from = 1; from <= last;) {
    const rows = readPage(from, last, PAGE);
    if (rows.length === 0 || !checker.addRows(rows) || rows.length < PAGE) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  return checker.finish();
}

/** Keys that signed before any key.* entry introduced them (see signed-meta.ts). */
function keyWarnings(db: Db, last: number): string[] {
  const firstUse = prepared(
    db,
    'SELECT actor_key_id AS keyId, min(seq) AS seq FROM audit_log WHERE seq <= ? GROUP BY actor_key_id',
  ).all(last) as Array<{ keyId: string; seq: number }>;
  const keyRows = prepared(
    db,
    `SELECT seq, action, meta FROM audit_log WHERE seq <= ? AND action LIKE 'key.%' ORDER BY seq`,
  ).all(last) as Array<{ seq: number; action: string; meta: string }>;
  const introduced = new Map<string, number>();
  for (const row of keyRows) {
    for (const id of introducedKeys(row.action, JSON.parse(row.meta) as Record<string, unknown>)) {
      if (!introduced.has(id)) introduced.set(id, row.seq);
    }
  }
  return unannouncedKeyWarnings(new Map(firstUse.map((row) => [row.keyId, row.seq])), introduced);
}

/** Signatures inside meta (rotations, approvals); see signed-meta.ts. */
function checkSignedMeta(
  db: Db,
  keys: Map<string, KeyObject>,
  last: number,
): LiveProblem | undefined {
  const rows = prepared(
    db,
    `SELECT seq, action, meta FROM audit_log
     WHERE seq <= ? AND (action = 'key.rotated' OR meta LIKE '%"approval"%') ORDER BY seq`,
  ).all(last) as Array<{ seq: number; action: string; meta: string }>;
  const rotations = new Map<string, number>();
  for (const row of rows) {
    const meta = JSON.parse(row.meta) as Record<string, unknown>;
    const reason = signedMetaProblem(row.action, meta, keys);
    if (reason) return { table: 'audit_log', seq: row.seq, reason };
    if (row.action === 'key.rotated') rotations.set(String(meta.oldKeyId), row.seq);
  }
  const signedLate = prepared(
    db,
    'SELECT seq, actor_key_id AS keyId FROM audit_log WHERE seq > ? AND seq <= ? AND actor_key_id = ? ORDER BY seq LIMIT 1',
  );
  const late = [...rotations].flatMap(
    ([keyId, rotatedAt]) =>
      signedLate.all(rotatedAt, last, keyId) as Array<{ seq: number; keyId: string }>,
  );
  const problem = signedAfterRotation(
    rotations,
    late.sort((a, b) => a.seq - b.seq),
  );
  return problem && { table: 'audit_log', ...problem };
}

function fail(entries: number, problem: LiveProblem): LiveVerifyResult {
  const where =
    problem.table === 'audit_log'
      ? `audit_log seq ${problem.seq}`
      : problem.table === 'audit_tree_heads'
        ? `audit_tree_heads tree_size ${problem.seq}`
        : `audit_keys ${problem.keyId}`;
  return {
    ok: false,
    entries,
    treeHeadsChecked: 0,
    rootHash: '',
    problem,
    message: `${where}: ${problem.reason}`,
    warnings: [],
  };
}
