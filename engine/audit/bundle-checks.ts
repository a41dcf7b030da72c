import { createHash, type KeyObject } from 'node:crypto';
import {
  artifactReferences,
  BUNDLE_FILES,
  type BundleManifest,
  type ConsistencyFile,
  type ProofLine,
} from './bundle-format.ts';
import { fail, parseJson, splitLines } from './bundle-failure.ts';
import { isHash } from './entry.ts';
import { keyIdOf, parsePublicKeyPem, verifyMessage } from './keys.ts';
import { HASH_SIZE, MerkleTree, verifyConsistency, verifyInclusion } from './merkle.ts';
import {
  introducedKeys,
  keyIdOfLine,
  mayCarrySignedMeta,
  signedAfterRotation,
  signedMetaProblem,
  unannouncedKeyWarnings,
} from './signed-meta.ts';
import { verifyTreeHeadSignature, type SignedTreeHead } from './tree-head.ts';

// The checks of an audit bundle after its entries (see bundle-verify.ts for the order). Each
// stops at the first problem by throwing through fail(), naming the file and, where there is
// one, the line and entry.

export function checkKeys(
  files: Map<string, Buffer>,
  manifest: BundleManifest,
  trusted: string[] | undefined,
): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const [name, data] of files) {
    if (!name.startsWith('keys/')) continue;
    const match = /^keys\/([0-9a-f]{64})\.pem$/.exec(name);
    if (!match) fail(name, 'unexpected file in keys/ (expected keys/<key id>.pem)');
    let key: KeyObject;
    try {
      key = parsePublicKeyPem(data.toString('ascii'));
    } catch (error) {
      return fail(name, `not an Ed25519 public key (${(error as Error).message})`);
    }
    const fingerprint = keyIdOf(key);
    if (fingerprint !== match![1])
      fail(
        name,
        `key fingerprint is ${fingerprint}, not the key id ${match![1]} it is filed under (key substituted)`,
      );
    if (!trusted || trusted.includes(fingerprint)) keys.set(fingerprint, key);
  }
  for (const key of manifest.keys ?? [])
    if (!files.has(key.file)) fail(key.file, 'listed in manifest.json but missing');
  if (!keys.has(manifest.signerKeyId))
    fail(
      BUNDLE_FILES.manifest,
      `signer ${manifest.signerKeyId} is ${trusted ? 'not a trusted key' : 'not among the bundle keys'}`,
    );
  return keys;
}

export function checkTreeHead(
  text: string,
  keys: Map<string, KeyObject>,
  manifest: BundleManifest,
  seqs: number[],
  leaves: Buffer,
): { head: SignedTreeHead; tree?: MerkleTree } {
  const file = BUNDLE_FILES.treeHead;
  const head = parseJson<SignedTreeHead>(file, text);
  if (
    !Number.isSafeInteger(head.treeSize) ||
    !isHash(head.rootHash) ||
    typeof head.timestamp !== 'string'
  )
    fail(file, 'malformed tree head');
  const key = keys.get(head.keyId);
  if (!key) fail(file, `signed by key ${head.keyId}, which is not among the known public keys`);
  if (!verifyTreeHeadSignature(head, key!))
    fail(file, `signature does not verify with key ${head.keyId}`);
  if (head.treeSize !== manifest.treeSize)
    fail(file, `tree size ${head.treeSize} disagrees with manifest.json (${manifest.treeSize})`);
  const last = seqs[seqs.length - 1] ?? 0;
  if (last > head.treeSize)
    fail(
      BUNDLE_FILES.entries,
      `entry seq ${last} is beyond the signed tree size ${head.treeSize}`,
      { seq: last },
    );
  // A bundle of the whole log lets the root be recomputed from the entries themselves.
  if (seqs.length === head.treeSize && seqs.length > 0) {
    const tree = new MerkleTree(leaves);
    const root = tree.root().toString('hex');
    if (root !== head.rootHash) {
      fail(file, `root ${head.rootHash} is not the Merkle root of the entries (${root})`);
    }
    return { head, tree };
  }
  return { head };
}

/**
 * Each proof must lead from its entry's leaf to the signed root. When the bundle holds the
 * whole log the tree is already rebuilt and checked against that root, so a proof is checked
 * by equality with the tree's own path: the same verdict for a fraction of the hashing.
 */
export function checkProofs(
  lines: string[],
  seqs: number[],
  leaves: Buffer,
  head: SignedTreeHead,
  tree: MerkleTree | undefined,
): void {
  const file = BUNDLE_FILES.proofs;
  const root = Buffer.from(head.rootHash, 'hex');
  if (lines.length !== seqs.length) fail(file, `${lines.length} proofs for ${seqs.length} entries`);
  for (let i = 0; i < seqs.length; i++) {
    const at = { line: i + 1, seq: seqs[i]! };
    const proof = parseJson<ProofLine>(file, lines[i]!, at);
    if (
      proof.seq !== seqs[i] ||
      proof.leafIndex !== seqs[i]! - 1 ||
      proof.treeSize !== head.treeSize
    )
      fail(file, 'proof is for another entry or tree', at);
    if (!Array.isArray(proof.path) || !proof.path.every(isHash))
      fail(file, 'proof path is malformed', at);
    const leaf = leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    if (tree) {
      const expected = tree.inclusionProof(proof.leafIndex);
      const same =
        expected.length === proof.path.length &&
        expected.every((node, k) => node.toString('hex') === proof.path[k]);
      if (!same) fail(file, 'inclusion proof does not lead to the signed root', at);
    } else if (
      !verifyInclusion(
        leaf,
        proof.leafIndex,
        proof.treeSize,
        proof.path.map((h) => Buffer.from(h, 'hex')),
        root,
      )
    ) {
      fail(file, 'inclusion proof does not lead to the signed root', at);
    }
  }
}

export function checkConsistency(
  text: string,
  keys: Map<string, KeyObject>,
  head: SignedTreeHead,
): void {
  const file = BUNDLE_FILES.consistency;
  const consistency = parseJson<ConsistencyFile>(file, text);
  const previous = consistency.previous;
  const key = keys.get(previous?.keyId);
  if (!previous || !key || !verifyTreeHeadSignature(previous, key))
    fail(file, 'the earlier tree head is not validly signed by a known key');
  if (
    consistency.treeSize !== head.treeSize ||
    !Array.isArray(consistency.path) ||
    !consistency.path.every(isHash)
  )
    fail(file, 'malformed consistency proof');
  const ok = verifyConsistency(
    previous.treeSize,
    head.treeSize,
    Buffer.from(previous.rootHash, 'hex'),
    Buffer.from(head.rootHash, 'hex'),
    consistency.path.map((h) => Buffer.from(h, 'hex')),
  );
  if (!ok)
    fail(
      file,
      `the log of ${previous.treeSize} entries is not a prefix of the log of ${head.treeSize} (history rewritten)`,
    );
}

/** Key rotations and artifact references: the parts of meta the verifier understands. */
export function checkEntryMeta(
  lines: string[],
  seqs: number[],
  keys: Map<string, KeyObject>,
  files: Map<string, Buffer>,
  manifest: BundleManifest,
  warnings: string[],
): void {
  const referenced = new Map<string, number>();
  const rotations = new Map<string, number>();
  const firstUse = new Map<string, number>();
  const introduced = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Cheap filter first: most entries carry neither a signed meta nor an artifact.
    const keyId = keyIdOfLine(line);
    if (!firstUse.has(keyId)) firstUse.set(keyId, seqs[i]!);
    if (
      !mayCarrySignedMeta(line) &&
      !line.includes('"sha256"') &&
      !line.includes('"action":"key.')
    ) {
      continue;
    }
    const entry = JSON.parse(line) as { action: string; meta: Record<string, unknown> };
    const problem = signedMetaProblem(entry.action, entry.meta, keys);
    if (problem) fail(BUNDLE_FILES.entries, problem, { line: i + 1, seq: seqs[i]! });
    if (entry.action === 'key.rotated') rotations.set(String(entry.meta.oldKeyId), seqs[i]!);
    for (const id of introducedKeys(entry.action, entry.meta)) {
      if (!introduced.has(id)) introduced.set(id, seqs[i]!);
    }
    for (const sha of artifactReferences(entry.meta)) {
      if (!referenced.has(sha)) referenced.set(sha, seqs[i]!);
    }
  }
  warnings.push(...unannouncedKeyWarnings(firstUse, introduced));
  if (rotations.size) {
    const late = signedAfterRotation(
      rotations,
      lines.map((line, i) => ({ seq: seqs[i]!, keyId: keyIdOfLine(line) })),
    );
    if (late)
      fail(BUNDLE_FILES.entries, late.reason, { line: seqs.indexOf(late.seq) + 1, seq: late.seq });
  }
  const listed = new Map((manifest.artifacts ?? []).map((artifact) => [artifact.file, artifact]));
  for (const [name, data] of files) {
    if (!name.startsWith('artifacts/')) continue;
    const artifact = listed.get(name);
    if (!artifact) fail(name, 'artifact is not listed in manifest.json');
    const digest = createHash('sha256').update(data).digest('hex');
    const recordedBy = referenced.get(artifact!.sha256);
    if (digest !== artifact!.sha256) {
      fail(
        name,
        `content hashes to ${digest}, not the digest ${artifact!.sha256} recorded${recordedBy ? ` by entry seq ${recordedBy}` : ''}`,
      );
    }
    if (recordedBy === undefined) fail(name, 'no entry in the bundle refers to this artifact');
  }
  const missing = new Set((manifest.missingArtifacts ?? []).map((artifact) => artifact.sha256));
  for (const [sha, seq] of referenced) {
    if (files.has(`artifacts/${sha}`)) continue;
    if (!missing.has(sha))
      fail(
        `artifacts/${sha}`,
        `referenced by entry seq ${seq} but neither included nor declared missing`,
      );
    warnings.push(`artifact ${sha} (entry seq ${seq}) was not available at export`);
  }
}

export function checkSums(
  files: Map<string, Buffer>,
  keys: Map<string, KeyObject>,
  signerKeyId: string,
): void {
  const sums = files.get(BUNDLE_FILES.sums)!;
  const listed = new Map<string, string>();
  const lines = splitLines(BUNDLE_FILES.sums, sums.toString('utf8'));
  lines.forEach((line, index) => {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match || listed.has(match[2]!))
      fail(BUNDLE_FILES.sums, 'malformed or repeated line', { line: index + 1 });
    listed.set(match![2]!, match![1]!);
  });
  for (const [name, data] of files) {
    if (name === BUNDLE_FILES.sums || name === BUNDLE_FILES.sumsSignature) continue;
    const expected = listed.get(name);
    if (!expected) fail(name, 'file is not listed in SHA256SUMS');
    if (createHash('sha256').update(data).digest('hex') !== expected)
      fail(name, 'sha256 does not match SHA256SUMS');
  }
  for (const name of listed.keys())
    if (!files.has(name)) fail(name, 'listed in SHA256SUMS but missing from the bundle');
  const signature = files.get(BUNDLE_FILES.sumsSignature)!;
  if (
    signature.length !== 64 ||
    !verifyMessage(keys.get(signerKeyId)!, sums, signature.toString('base64'))
  ) {
    fail(
      BUNDLE_FILES.sumsSignature,
      `signature over SHA256SUMS does not verify with the exporting key ${signerKeyId}`,
    );
  }
}
