import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditBundleBytes } from './bundle-verify.ts';
import { bigBundle, type BigBundle } from './testing/big-bundle.ts';
import { prng } from './testing/tamper.ts';
import { readTarGz, writeTarGz } from './ustar.ts';

// Issue 4 acceptance: 1,000 random single-byte mutations of the 10,000-entry bundle, all detected.
let big: BigBundle;
beforeAll(() => {
  big = bigBundle(10_000);
});
afterAll(() => big?.fixture.cleanup());

describe('random single-byte mutations of a 10,000-entry bundle', () => {
  it('detects all 1,000', async () => {
    expect((await verifyAuditBundleBytes(big.archive)).ok).toBe(true);
    const random = prng(0x5eed);
    const undetected: number[] = [];
    const places = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const mutated = Buffer.from(big.archive);
      const position = Math.floor(random() * mutated.length);
      // XOR with 1..255, so the byte always changes.
      mutated[position]! ^= 1 + Math.floor(random() * 255);
      const result = await verifyAuditBundleBytes(mutated);
      if (result.ok) undetected.push(position);
      else places.set(result.problem!.file, (places.get(result.problem!.file) ?? 0) + 1);
    }
    expect(undetected).toEqual([]);
    expect([...places.values()].reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

// The mutations above all land in compressed bytes, where gzip's CRC catches them before our
// checks run. These change the files inside the archive and repack a valid gzip, so only the
// bundle's own digests, hashes and signatures can catch them.
describe('random single-byte mutations inside the files of a bundle', () => {
  let small: BigBundle;
  beforeAll(() => {
    small = bigBundle(300);
  });
  afterAll(() => small?.fixture.cleanup());

  it('detects all 300, each past gzip', async () => {
    const files = [...readTarGz(small.archive).entries()].map(([path, data]) => ({ path, data }));
    const total = files.reduce((sum, file) => sum + file.data.length, 0);
    const random = prng(0xb17e);
    const undetected: string[] = [];
    const caughtBy = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      let offset = Math.floor(random() * total);
      const target = files.findIndex((file) =>
        offset < file.data.length ? true : ((offset -= file.data.length), false),
      );
      const mutated = files.map((file, index) =>
        index === target ? { path: file.path, data: Buffer.from(file.data) } : file,
      );
      mutated[target]!.data[offset]! ^= 1 + Math.floor(random() * 255);
      const result = await verifyAuditBundleBytes(writeTarGz(mutated, 0));
      if (result.ok) undetected.push(`${files[target]!.path}@${offset}`);
      else caughtBy.set(result.problem!.file, (caughtBy.get(result.problem!.file) ?? 0) + 1);
    }
    expect(undetected).toEqual([]);
    // Sanity: the archive itself was valid, so nothing here was caught by gzip.
    expect(caughtBy.has('archive')).toBe(false);
  });
});
