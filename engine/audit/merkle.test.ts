import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  leafHash,
  MerkleRootBuilder,
  MerkleTree,
  nodeHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

// Reference leaves and roots for sizes 1..8 used by Certificate Transparency implementations
// (transparency-dev/merkle testonly); proofs from the same suite.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => leafHash(Buffer.from(hex, 'hex')));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const CT_CONSISTENCY = [
  {
    first: 2,
    second: 8,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

/** The RFC's recursive definition, written naively, to check the optimised tree against. */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const many = Array.from({ length: 70 }, (_, i) =>
  leafHash(createHash('sha256').update(`leaf ${i}`).digest()),
);
const tree = MerkleTree.fromLeafHashes(many);

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves with 0x00 and nodes with 0x01, and the empty tree is SHA-256("")', () => {
    expect(hex(EMPTY_ROOT)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(CT_ROOTS[0]);
    expect(hex(nodeHash(CT_LEAVES[0]!, CT_LEAVES[1]!))).toBe(CT_ROOTS[1]);
  });

  it('matches the reference roots for sizes 1..8, built at once and streamed', () => {
    const ct = MerkleTree.fromLeafHashes(CT_LEAVES);
    const builder = new MerkleRootBuilder();
    for (let n = 1; n <= 8; n++) {
      builder.push(CT_LEAVES[n - 1]!);
      expect(hex(ct.root(n)), `size ${n}`).toBe(CT_ROOTS[n - 1]);
      expect(hex(MerkleTree.fromLeafHashes(CT_LEAVES.slice(0, n)).root())).toBe(CT_ROOTS[n - 1]);
      expect(hex(builder.root())).toBe(CT_ROOTS[n - 1]);
    }
  });

  it('produces and accepts the reference inclusion and consistency proofs', () => {
    const ct = MerkleTree.fromLeafHashes(CT_LEAVES);
    for (const v of CT_INCLUSION) {
      expect(ct.inclusionProof(v.index, v.size).map(hex)).toEqual(v.proof);
      expect(
        verifyInclusion(
          CT_LEAVES[v.index]!,
          v.index,
          v.size,
          v.proof.map(unhex),
          unhex(CT_ROOTS[v.size - 1]!),
        ),
      ).toBe(true);
    }
    for (const v of CT_CONSISTENCY) {
      expect(ct.consistencyProof(v.first, v.second).map(hex)).toEqual(v.proof);
      expect(
        verifyConsistency(
          v.first,
          v.second,
          unhex(CT_ROOTS[v.first - 1]!),
          unhex(CT_ROOTS[v.second - 1]!),
          v.proof.map(unhex),
        ),
      ).toBe(true);
    }
  });

  it('agrees with the naive recursive definition for every size up to 70', () => {
    const builder = new MerkleRootBuilder();
    for (let n = 0; n <= many.length; n++) {
      const expected = referenceRoot(many.slice(0, n));
      expect(hex(tree.root(n))).toBe(hex(expected));
      expect(hex(MerkleTree.fromLeafHashes(many.slice(0, n)).root())).toBe(hex(expected));
      expect(hex(builder.root())).toBe(hex(expected));
      if (n < many.length) builder.push(many[n]!);
    }
  });

  it('accepts every inclusion proof and rejects wrong index, leaf, root or a tampered path', () => {
    for (let n = 1; n <= 40; n++) {
      const root = tree.root(n);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(verifyInclusion(tree.leaf(i), i, n, proof, root)).toBe(true);
        if (n === 1) continue;
        expect(verifyInclusion(tree.leaf(i), (i + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(tree.leaf((i + 1) % n), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(tree.leaf(i), i, n, proof, tree.root(n - 1))).toBe(false);
        expect(verifyInclusion(tree.leaf(i), i, n, proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(tree.leaf(i), i, n, [...proof, Buffer.alloc(32)], root)).toBe(false);
        const flipped = proof.map((p) => Buffer.from(p));
        flipped[0]![0]! ^= 1;
        expect(verifyInclusion(tree.leaf(i), i, n, flipped, root)).toBe(false);
      }
    }
  });

  it('accepts every consistency proof and rejects tampered ones or wrong roots', () => {
    for (let n = 1; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof), `${m}->${n}`).toBe(true);
        if (m === 0 || m === n) continue;
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof.slice(0, -1))).toBe(false);
        expect(
          verifyConsistency(m, n, tree.root(m), tree.root(n), [...proof, Buffer.alloc(32)]),
        ).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m - 1), tree.root(n), proof)).toBe(false);
        const flipped = proof.map((p) => Buffer.from(p));
        flipped[proof.length - 1]![5]! ^= 0x80;
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), flipped)).toBe(false);
      }
    }
  });

  it('refuses proofs for leaves or sizes the tree does not have', () => {
    expect(() => tree.inclusionProof(70, 70)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 71)).toThrow(RangeError);
    expect(verifyConsistency(5, 4, tree.root(5), tree.root(4), [])).toBe(false);
  });
});
