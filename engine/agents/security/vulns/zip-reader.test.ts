import { describe, expect, it } from 'vitest';
import { writeZip } from './testing/zip-writer.ts';
import { DEFAULT_ZIP_LIMITS, readZip } from './zip-reader.ts';

const read = (archive: Buffer, limits = DEFAULT_ZIP_LIMITS) =>
  [...readZip(archive, limits)].map((entry) => [entry.name, entry.data.toString('utf8')]);

describe('readZip', () => {
  it('reads stored and deflated entries and skips directories', () => {
    const archive = writeZip([
      { name: 'npm/', data: '', method: 'store' },
      { name: 'npm/GHSA-1.json', data: '{"id":"GHSA-1"}', method: 'store' },
      { name: 'npm/GHSA-2.json', data: '{"id":"GHSA-2"}'.repeat(100), method: 'deflate' },
    ]);
    expect(read(archive)).toEqual([
      ['npm/GHSA-1.json', '{"id":"GHSA-1"}'],
      ['npm/GHSA-2.json', '{"id":"GHSA-2"}'.repeat(100)],
    ]);
  });

  it.each([
    ['../evil.json'],
    ['a/../../evil.json'],
    ['/etc/passwd'],
    ['C:/windows/evil.json'],
    ['a\\..\\evil.json'],
  ])('refuses the unsafe entry name %s', (name) => {
    expect(() => read(writeZip([{ name, data: '{}' }]))).toThrow(/unsafe/);
  });

  it('refuses an entry whose CRC does not match', () => {
    expect(() => read(writeZip([{ name: 'a.json', data: '{}', crc: 1234 }]))).toThrow(/CRC-32/);
  });

  it('stops a deflate bomb at the per-entry cap, whatever the header claims', () => {
    const bomb = writeZip([{ name: 'bomb.json', data: Buffer.alloc(5_000_000), claimedSize: 10 }]);
    const limits = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1_000_000 };
    expect(() => read(bomb, limits)).toThrow(/does not inflate|inflates to/);
  });

  it('enforces entry count and total size limits', () => {
    const three = writeZip([1, 2, 3].map((n) => ({ name: `${n}.json`, data: 'x'.repeat(100) })));
    expect(() => read(three, { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 })).toThrow(/3 entries/);
    expect(() => read(three, { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 250 })).toThrow(/exceed/);
  });

  it('refuses a file that is not a zip', () => {
    expect(() => read(Buffer.from('just some text, long enough to scan for a record'))).toThrow(
      /not a zip/,
    );
  });
});
