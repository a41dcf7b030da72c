import { createHash, hash } from 'node:crypto';

/**
 * Merkle tree hashing, proofs and proof verification exactly as RFC 9162 §2.1
 * (https://www.rfc-editor.org/rfc/rfc9162#section-2.1): leaves hashed with a 0x00 prefix,
 * interior nodes with 0x01, and a tree of n leaves split at the largest power of two below n.
 * Keeping to the RFC lets an auditor check our roots and proofs with any CT-style verifier.
 */

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

// One-shot crypto.hash over a reused buffer is several times faster than createHash with
// three updates, and a million-entry tree hashes two million nodes.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

export function leafHash(leafInput: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + leafInput.length);
  input[0] = 0x00;
  input.set(leafInput, 1);
  return hash('sha256', input, 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256')
      .update(Buffer.from([0x01]))
      .update(left)
      .update(right)
      .digest();
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** The largest power of two strictly smaller than n (n >= 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A tree over fixed leaf hashes. Perfect, aligned subtrees are kept level by level so the
 * root and any proof cost O(log n) hashes after one O(n) build — enough for a million entries.
 */
export class MerkleTree {
  readonly size: number;
  /** levels[h] holds the hashes of the perfect subtrees of 2^h leaves, concatenated. */
  private readonly levels: Buffer[];

  constructor(leafHashes: Buffer) {
    if (leafHashes.length % HASH_SIZE !== 0)
      throw new TypeError('leaf hashes must be a multiple of 32 bytes');
    this.size = leafHashes.length / HASH_SIZE;
    this.levels = [leafHashes];
    let level = leafHashes;
    while (level.length >= 2 * HASH_SIZE) {
      const count = Math.floor(level.length / HASH_SIZE / 2);
      const next = Buffer.allocUnsafe(count * HASH_SIZE);
      for (let i = 0; i < count; i++) {
        const left = level.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE);
        const right = level.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE);
        nodeHash(left, right).copy(next, i * HASH_SIZE);
      }
      this.levels.push(next);
      level = next;
    }
  }

  static fromLeafHashes(hashes: readonly Uint8Array[]): MerkleTree {
    return new MerkleTree(Buffer.concat(hashes.map((hash) => Buffer.from(hash))));
  }

  leaf(index: number): Buffer {
    return this.levels[0]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** MTH(D[0:n]) for n <= size: the root of an earlier version of the log. */
  root(n: number = this.size): Buffer {
    if (n < 0 || n > this.size) throw new RangeError(`tree size ${n} is outside 0..${this.size}`);
    return n === 0 ? EMPTY_ROOT : this.subtree(0, n);
  }

  /** PATH(m, D[0:n]) (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, n: number = this.size): Buffer[] {
    if (n > this.size || index < 0 || index >= n)
      throw new RangeError(`no leaf ${index} in a tree of ${n}`);
    const path: Buffer[] = [];
    this.path(index, 0, n, path);
    return path;
  }

  /** PROOF(m, D[0:n]) (RFC 9162 §2.1.4.1); empty when m is 0 or m equals n. */
  consistencyProof(m: number, n: number = this.size): Buffer[] {
    if (n > this.size || m < 0 || m > n)
      throw new RangeError(`no consistency proof from ${m} to ${n}`);
    const proof: Buffer[] = [];
    if (m > 0 && m < n) this.subproof(m, 0, n, true, proof);
    return proof;
  }

  private path(m: number, start: number, end: number, out: Buffer[]): void {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, start + k, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.path(m - k, start + k, end, out);
      out.push(this.subtree(start, start + k));
    }
  }

  private subproof(m: number, start: number, end: number, complete: boolean, out: Buffer[]): void {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push(this.subtree(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, start + k, complete, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.subproof(m - k, start + k, end, false, out);
      out.push(this.subtree(start, start + k));
    }
  }

  /** MTH(D[start:end]); perfect aligned subtrees come straight from the stored levels. */
  private subtree(start: number, end: number): Buffer {
    const n = end - start;
    if ((n & (n - 1)) === 0 && start % n === 0) {
      const height = Math.log2(n);
      const index = start / n;
      return this.levels[height]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
    }
    const k = splitPoint(n);
    return nodeHash(this.subtree(start, start + k), this.subtree(start + k, end));
  }
}

/** Root of leaf hashes streamed one at a time, without keeping them (RFC 9162 tree shape). */
export class MerkleRootBuilder {
  private readonly stack: Buffer[] = [];
  private count = 0;

  push(leaf: Buffer): void {
    let node = leaf;
    let n = this.count;
    // Merge while the lowest bit is set: the same carry as a binary counter.
    while (n & 1) {
      node = nodeHash(this.stack.pop()!, node);
      n >>>= 1;
    }
    this.stack.push(node);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let node = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) node = nodeHash(this.stack[i]!, node);
    return node;
  }
}

/** Verifies an inclusion proof (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(treeSize) ||
    index < 0 ||
    index >= treeSize
  )
    return false;
  if (
    leaf.length !== HASH_SIZE ||
    root.length !== HASH_SIZE ||
    proof.some((p) => p.length !== HASH_SIZE)
  )
    return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/** Verifies a consistency proof between two tree heads (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (
    !Number.isSafeInteger(firstSize) ||
    !Number.isSafeInteger(secondSize) ||
    firstSize < 0 ||
    firstSize > secondSize
  )
    return false;
  if (
    firstRoot.length !== HASH_SIZE ||
    secondRoot.length !== HASH_SIZE ||
    proof.some((p) => p.length !== HASH_SIZE)
  )
    return false;
  const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  if (firstSize === secondSize) return proof.length === 0 && equal(firstRoot, secondRoot);
  // Every tree is consistent with the empty tree; nothing needs proving.
  if (firstSize === 0) return proof.length === 0 && equal(firstRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = [...proof];
  // Step 1: when first is an exact power of two, first_hash itself starts the path.
  if ((firstSize & (firstSize - 1)) === 0) path.unshift(firstRoot);
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0;
}
