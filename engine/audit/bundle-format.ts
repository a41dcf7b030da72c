import type { SignedTreeHead } from './tree-head.ts';

/**
 * What an audit bundle holds. Every file is plain text an auditor can read with jq, except
 * SHA256SUMS.sig (a raw 64-byte Ed25519 signature, what `openssl pkeyutl -sigfile` takes) and
 * the artifacts, which are kept byte for byte.
 */
export const BUNDLE_FORMAT = 'prodsprint-audit-bundle/1';

export const BUNDLE_FILES = {
  verify: 'VERIFY.md',
  manifest: 'manifest.json',
  treeHead: 'tree-head.json',
  consistency: 'consistency.json',
  entries: 'entries.jsonl',
  signatures: 'signatures.jsonl',
  proofs: 'proofs.jsonl',
  sums: 'SHA256SUMS',
  sumsSignature: 'SHA256SUMS.sig',
} as const;

export const keyFile = (keyId: string) => `keys/${keyId}.pem`;
export const artifactFile = (sha256: string) => `artifacts/${sha256}`;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  selection: { projectId: string | null; from: string | null; to: string | null };
  /** The key that signed SHA256SUMS and the tree head: the exporting workstation. */
  signerKeyId: string;
  entryCount: number;
  /** Seqs in entries.jsonl, as inclusive [first, last] runs; a full export is [[1, treeSize]]. */
  seqRanges: Array<[number, number]>;
  treeSize: number;
  keys: Array<{
    keyId: string;
    file: string;
    role: string;
    owner: string;
    retiredAt: string | null;
  }>;
  artifacts: Array<{
    sha256: string;
    file: string;
    size: number;
    kind: string | null;
    mediaType: string | null;
    referencedBy: number[];
  }>;
  /** Artifacts entries refer to that could not be included, and why. */
  missingArtifacts: Array<{ sha256: string; referencedBy: number[]; reason: string }>;
}

/** One line of proofs.jsonl: RFC 9162 inclusion proof of entry `seq` (leaf seq-1) in the tree head. */
export interface ProofLine {
  seq: number;
  leafIndex: number;
  treeSize: number;
  path: string[];
}

/** consistency.json: the log at an earlier signed tree head is a prefix of the log now. */
export interface ConsistencyFile {
  previous: SignedTreeHead;
  treeSize: number;
  path: string[];
}

/** Turns a sorted list of seqs into inclusive runs. */
export function toRanges(seqs: number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const seq of seqs) {
    const last = ranges[ranges.length - 1];
    if (last && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return ranges;
}

export function fromRanges(ranges: Array<[number, number]>, limit: number): number[] {
  const seqs: number[] = [];
  for (const [first, last] of ranges) {
    if (
      !Number.isSafeInteger(first) ||
      !Number.isSafeInteger(last) ||
      first > last ||
      last - first + seqs.length > limit
    ) {
      throw new RangeError('seqRanges is malformed or larger than the bundle');
    }
    for (let seq = first; seq <= last; seq++) seqs.push(seq);
  }
  return seqs;
}

/** Collects the artifact digests an entry's meta refers to (`meta.artifact.sha256`, `meta.artifacts[].sha256`). */
export function artifactReferences(meta: Record<string, unknown>): string[] {
  const refs: string[] = [];
  const take = (value: unknown) => {
    const sha = (value as { sha256?: unknown } | null)?.sha256;
    if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha)) refs.push(sha);
  };
  take(meta.artifact);
  if (Array.isArray(meta.artifacts)) meta.artifacts.forEach(take);
  return refs;
}
