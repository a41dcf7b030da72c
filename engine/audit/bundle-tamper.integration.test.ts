import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditBundleBytes, type BundleProblem } from './bundle-verify.ts';
import { generateAuditKey, publicKeyPem } from './keys.ts';
import { bigBundle, type BigBundle } from './testing/big-bundle.ts';
import { editLines, repack, unpack } from './testing/tamper.ts';
import { createHash } from 'node:crypto';

// Issue 4 acceptance: each tampering of a 10,000-entry bundle is rejected, naming the place.
let big: BigBundle;
beforeAll(() => {
  big = bigBundle(10_000);
});
afterAll(() => big?.fixture.cleanup());

async function rejectsWith(
  edit: (files: Map<string, Buffer>) => void,
  expected: Omit<Partial<BundleProblem>, 'reason'> & { reason: RegExp },
) {
  const files = unpack(big.archive);
  edit(files);
  const result = await verifyAuditBundleBytes(repack(files));
  expect(result.ok).toBe(false);
  const { reason, ...place } = expected;
  expect(result.problem).toMatchObject(place);
  expect(result.problem!.reason).toMatch(reason);
  return result;
}

const swap = (lines: string[], a: number, b: number) =>
  ([lines[a - 1], lines[b - 1]] = [lines[b - 1]!, lines[a - 1]!]);

describe('tamper matrix on a 10,000-entry bundle', () => {
  it('accepts the untouched bundle, repacked', async () => {
    const result = await verifyAuditBundleBytes(repack(unpack(big.archive)));
    expect(result.message).toMatch(/^bundle OK: 10000 entries/);
  });

  it('edit a field: names the entry whose content no longer matches its hash', async () => {
    const result = await rejectsWith(
      (files) =>
        editLines(
          files,
          'entries.jsonl',
          (lines) => (lines[4320] = lines[4320]!.replace('"stage":"build"', '"stage":"deploy"')),
        ),
      {
        file: 'entries.jsonl',
        line: 4321,
        seq: 4321,
        reason: /content does not match its entry hash/,
      },
    );
    expect(result.message).toMatch(/^entries.jsonl line 4321 \(entry seq 4321\): /);
  });

  it('delete an entry (from every file): names the missing seq', async () => {
    await rejectsWith(
      (files) => {
        for (const name of ['entries.jsonl', 'signatures.jsonl', 'proofs.jsonl'])
          editLines(files, name, (lines) => lines.splice(4999, 1));
      },
      {
        file: 'entries.jsonl',
        line: 5000,
        seq: 5000,
        reason: /found seq 5001 where seq 5000 should be/,
      },
    );
  });

  it('reorder two entries: names the first position out of order', async () => {
    await rejectsWith(
      (files) => {
        for (const name of ['entries.jsonl', 'signatures.jsonl', 'proofs.jsonl'])
          editLines(files, name, (lines) => swap(lines, 100, 101));
      },
      {
        file: 'entries.jsonl',
        line: 100,
        seq: 100,
        reason: /found seq 101 where seq 100 should be/,
      },
    );
  });

  it('truncate the tail: names the first entry cut off', async () => {
    await rejectsWith(
      (files) => {
        for (const name of ['entries.jsonl', 'signatures.jsonl', 'proofs.jsonl'])
          editLines(files, name, (lines) => lines.splice(9990));
      },
      {
        file: 'entries.jsonl',
        line: 9991,
        seq: 9991,
        reason: /entry seq 9991 is missing \(entries.jsonl ends early\)/,
      },
    );
  });

  it('swap two signatures: names the first entry whose signature fails', async () => {
    await rejectsWith(
      (files) =>
        editLines(files, 'signatures.jsonl', (lines) => {
          const a = JSON.parse(lines[6999]!) as { signature: string };
          const b = JSON.parse(lines[7000]!) as { signature: string };
          lines[6999] = lines[6999]!.replace(a.signature, b.signature);
          lines[7000] = lines[7000]!.replace(b.signature, a.signature);
        }),
      { file: 'signatures.jsonl', line: 7000, seq: 7000, reason: /signature does not verify/ },
    );
  });

  it('substitute a public key: names the key file whose fingerprint is wrong', async () => {
    const keyFile = `keys/${big.fixture.key.keyId}.pem`;
    await rejectsWith(
      (files) => files.set(keyFile, Buffer.from(publicKeyPem(generateAuditKey().publicKey))),
      {
        file: keyFile,
        reason: /fingerprint is [0-9a-f]{64}, not the key id/,
      },
    );
  });

  it('alter one artifact byte: names the artifact and the entry that recorded its digest', async () => {
    const name = `artifacts/${big.artifactSha}`;
    await rejectsWith(
      (files) => {
        const data = Buffer.from(files.get(name)!);
        data[3]! ^= 0x01;
        files.set(name, data);
      },
      {
        file: name,
        reason: new RegExp(
          `not the digest ${big.artifactSha} recorded by entry seq ${big.artifactSeq}`,
        ),
      },
    );
  });

  it('alter a proof, the tree head, or an unsigned file: each is named', async () => {
    await rejectsWith(
      (files) =>
        editLines(
          files,
          'proofs.jsonl',
          // Flip the first hex digit of the first sibling hash; replacing it with a fixed
          // digit would be a no-op whenever the hash already starts with that digit.
          (lines) =>
            (lines[41] = lines[41]!.replace(
              /"path":\["([0-9a-f])/,
              (_match, digit: string) => `"path":["${digit === 'f' ? '0' : 'f'}`,
            )),
        ),
      { file: 'proofs.jsonl', line: 42, seq: 42, reason: /inclusion proof/ },
    );
    await rejectsWith(
      (files) => {
        const head = JSON.parse(files.get('tree-head.json')!.toString()) as { rootHash: string };
        head.rootHash = 'f'.repeat(64);
        files.set('tree-head.json', Buffer.from(JSON.stringify(head)));
      },
      { file: 'tree-head.json', reason: /signature does not verify/ },
    );
    await rejectsWith((files) => files.set('VERIFY.md', Buffer.from('# trust me\n')), {
      file: 'VERIFY.md',
      reason: /sha256 does not match SHA256SUMS/,
    });
  });

  it('recomputes SHA256SUMS after an edit: the bundle signature fails', async () => {
    await rejectsWith(
      (files) => {
        files.set('VERIFY.md', Buffer.from('# trust me\n'));
        const sums = files
          .get('SHA256SUMS')!
          .toString()
          .replace(
            /^[0-9a-f]{64}(?= {2}VERIFY\.md$)/m,
            createHash('sha256').update('# trust me\n').digest('hex'),
          );
        files.set('SHA256SUMS', Buffer.from(sums));
      },
      { file: 'SHA256SUMS.sig', reason: /does not verify with the exporting key/ },
    );
  });
});
