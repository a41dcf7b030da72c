import { readFile } from 'node:fs/promises';
import { BUNDLE_FILES, BUNDLE_FORMAT, fromRanges, type BundleManifest } from './bundle-format.ts';
import {
  checkConsistency,
  checkEntryMeta,
  checkKeys,
  checkProofs,
  checkSums,
  checkTreeHead,
} from './bundle-checks.ts';
import {
  BundleFailure,
  fail,
  parseJson,
  splitLines,
  type BundleProblem,
} from './bundle-failure.ts';
import type { LineTask } from './check-task.ts';
import { publicKeyPem } from './keys.ts';
import { keyIdOfLine } from './signed-meta.ts';
import {
  defaultParallelism,
  mergeRuns,
  PARALLEL_THRESHOLD,
  runLineTasks,
  splitRange,
} from './run-checks.ts';
import type { SignedTreeHead } from './tree-head.ts';
import { ArchiveError, DEFAULT_LIMITS, readTarGz, type ArchiveLimits } from './ustar.ts';

export type { BundleProblem } from './bundle-failure.ts';

export interface BundleVerifyResult {
  ok: boolean;
  /** One line a person can read: what was verified, or the first problem and where. */
  message: string;
  problem?: BundleProblem;
  entries: number;
  treeHead?: SignedTreeHead;
  /** The exporting workstation's key id (fingerprint), to compare with a known value. */
  signerKeyId?: string;
  /** Keys that signed something in the bundle. */
  signingKeyIds: string[];
  warnings: string[];
}

export interface VerifyBundleOptions {
  /** Key ids (fingerprints) the auditor trusts; when given, anything signed by another key fails. */
  trustedKeyIds?: string[];
  limits?: ArchiveLimits;
  /** Threads for signature checks; defaults to one per core for large bundles. */
  parallelism?: number;
}

/**
 * Verifies an audit bundle offline, in pure Node (node:crypto, node:zlib; no native module):
 * archive safety, keys against their fingerprints, every entry's canonical form, hash, chain
 * link and signature, the signed tree head and Merkle root, every inclusion proof, the
 * consistency proof, key rotations, artifacts against their digests, and SHA256SUMS with its
 * signature. Content is checked before the digest list, so a tampered entry is named as the
 * entry, not just as a changed file.
 */
export async function verifyAuditBundle(
  file: string,
  options: VerifyBundleOptions = {},
): Promise<BundleVerifyResult> {
  return verifyAuditBundleBytes(await readFile(file), options);
}

export async function verifyAuditBundleBytes(
  archive: Buffer,
  options: VerifyBundleOptions = {},
): Promise<BundleVerifyResult> {
  const state = { entries: 0, signing: new Set<string>(), warnings: [] as string[] };
  try {
    const result = await verify(archive, options, state);
    return result;
  } catch (error) {
    if (!(error instanceof BundleFailure)) throw error;
    const { problem } = error;
    const where = [
      problem.file,
      problem.line !== undefined ? `line ${problem.line}` : '',
      problem.seq !== undefined ? `(entry seq ${problem.seq})` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      ok: false,
      message: `${where}: ${problem.reason}`,
      problem,
      entries: state.entries,
      signingKeyIds: [...state.signing],
      warnings: state.warnings,
    };
  }
}

async function verify(
  archive: Buffer,
  options: VerifyBundleOptions,
  state: { entries: number; signing: Set<string>; warnings: string[] },
): Promise<BundleVerifyResult> {
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(archive, options.limits ?? DEFAULT_LIMITS);
  } catch (error) {
    if (error instanceof ArchiveError)
      return fail(error.member ?? 'archive', error.message.replace(`${error.member}: `, ''));
    throw error;
  }
  for (const name of [
    BUNDLE_FILES.manifest,
    BUNDLE_FILES.treeHead,
    BUNDLE_FILES.entries,
    BUNDLE_FILES.signatures,
    BUNDLE_FILES.proofs,
    BUNDLE_FILES.sums,
    BUNDLE_FILES.sumsSignature,
    BUNDLE_FILES.verify,
  ]) {
    if (!files.has(name)) fail(name, 'missing from the bundle');
  }
  const text = (name: string) => files.get(name)!.toString('utf8');
  const manifest = parseJson<BundleManifest>(BUNDLE_FILES.manifest, text(BUNDLE_FILES.manifest));
  if (manifest.format !== BUNDLE_FORMAT)
    fail(BUNDLE_FILES.manifest, `unknown bundle format ${String(manifest.format)}`);

  const keys = checkKeys(files, manifest, options.trustedKeyIds);

  // Entries, signatures, chain.
  const entryLines = splitLines(BUNDLE_FILES.entries, text(BUNDLE_FILES.entries));
  const signatureLines = splitLines(BUNDLE_FILES.signatures, text(BUNDLE_FILES.signatures));
  let expectedSeqs: number[];
  try {
    expectedSeqs = fromRanges(
      manifest.seqRanges,
      // Enough to name the first missing entry of a truncated file, never a hostile billion.
      entryLines.length + 1_000_000,
    );
  } catch (error) {
    return fail(BUNDLE_FILES.manifest, (error as Error).message);
  }
  if (expectedSeqs.length !== manifest.entryCount)
    fail(
      BUNDLE_FILES.manifest,
      `entryCount ${manifest.entryCount} disagrees with seqRanges (${expectedSeqs.length} entries)`,
    );
  const pems: Array<[string, string]> = [...keys].map(([keyId, key]) => [keyId, publicKeyPem(key)]);
  const parallelism =
    options.parallelism ?? (expectedSeqs.length >= PARALLEL_THRESHOLD ? defaultParallelism() : 1);
  const tasks: LineTask[] = splitRange(expectedSeqs.length, parallelism).map(([start, end]) => ({
    kind: 'lines',
    lines: entryLines.slice(start, end),
    signatureLines: signatureLines.slice(start, end),
    expectedSeqs: expectedSeqs.slice(start, end),
    keys: pems,
  }));
  const merged = mergeRuns(await runLineTasks(tasks, parallelism > 1));
  if (merged.problem) {
    const { index, seq, reason, part } = merged.problem;
    fail(part === 'signature' ? BUNDLE_FILES.signatures : BUNDLE_FILES.entries, reason, {
      line: index + 1,
      seq,
    });
  }
  if (entryLines.length > expectedSeqs.length)
    fail(BUNDLE_FILES.entries, 'more entries than the manifest lists', {
      line: expectedSeqs.length + 1,
    });
  if (signatureLines.length !== expectedSeqs.length)
    fail(
      BUNDLE_FILES.signatures,
      `${signatureLines.length} lines for ${expectedSeqs.length} entries`,
    );
  state.entries = merged.count;
  for (const line of entryLines) state.signing.add(keyIdOfLine(line));

  const { head, tree } = checkTreeHead(
    text(BUNDLE_FILES.treeHead),
    keys,
    manifest,
    expectedSeqs,
    merged.leafHashes,
  );
  state.signing.add(head.keyId);
  checkProofs(
    splitLines(BUNDLE_FILES.proofs, text(BUNDLE_FILES.proofs)),
    expectedSeqs,
    merged.leafHashes,
    head,
    tree,
  );
  if (files.has(BUNDLE_FILES.consistency))
    checkConsistency(text(BUNDLE_FILES.consistency), keys, head);
  checkEntryMeta(entryLines, expectedSeqs, keys, files, manifest, state.warnings);
  checkSums(files, keys, manifest.signerKeyId);
  state.signing.add(manifest.signerKeyId);

  if (!options.trustedKeyIds)
    state.warnings.push(
      `no trusted key ids were given: compare the signer fingerprint ${manifest.signerKeyId} with a known value`,
    );
  return {
    ok: true,
    message: `bundle OK: ${merged.count} entries of a log of ${head.treeSize}, root ${head.rootHash}, signed by ${manifest.signerKeyId}`,
    entries: merged.count,
    treeHead: head,
    signerKeyId: manifest.signerKeyId,
    signingKeyIds: [...state.signing],
    warnings: state.warnings,
  };
}
