/**
 * A minimal reader for .zip archives (stored and deflated entries), enough for OSV exports
 * (https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip). Node has no zip
 * reader and node_modules offers none, so this follows APPNOTE.TXT 4.3 directly. It never
 * writes to disk; still, hostile archives are refused rather than half-read: traversal or
 * absolute names, encryption, ZIP64, too many entries, entries or totals over the size caps
 * (checked against the real inflated size, not the header's claim), and CRC mismatches.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Yields the archive's file entries (directories skipped) in central-directory order. */
export function* readZip(
  archive: Buffer,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Generator<ZipEntry> {
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  const directoryOffset = archive.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff)
    throw new Error('ZIP64 archives are not supported');
  if (count > limits.maxEntries)
    throw new Error(`zip has ${count} entries, over the limit of ${limits.maxEntries}`);
  let offset = directoryOffset;
  let total = 0;
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL) {
      throw new Error(`corrupt zip: central directory entry ${index} not found`);
    }
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const size = archive.readUInt32LE(offset + 24);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    offset += 46 + nameLength + extraLength + commentLength;

    checkName(name);
    if (name.endsWith('/')) continue;
    if (flags & 0x1) throw new Error(`zip entry ${name} is encrypted`);
    if (size > limits.maxEntryBytes)
      throw new Error(
        `zip entry ${name} is ${size} bytes, over the ${limits.maxEntryBytes}-byte limit`,
      );
    const data = entryData(
      archive,
      localOffset,
      compressedSize,
      method,
      limits.maxEntryBytes,
      name,
    );
    if (data.length !== size)
      throw new Error(
        `zip entry ${name} inflates to ${data.length} bytes, not the ${size} its header says`,
      );
    if (crc32(data) !== crc) throw new Error(`zip entry ${name} fails its CRC-32 check`);
    total += data.length;
    if (total > limits.maxTotalBytes)
      throw new Error(`zip contents exceed the ${limits.maxTotalBytes}-byte limit`);
    yield { name, data };
  }
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, archive.length - 22 - 0xffff);
  for (let at = archive.length - 22; at >= earliest; at -= 1) {
    if (archive.readUInt32LE(at) === EOCD) return at;
  }
  throw new Error('not a zip archive (no end of central directory record)');
}

function entryData(
  archive: Buffer,
  localOffset: number,
  compressedSize: number,
  method: number,
  maxBytes: number,
  name: string,
): Buffer {
  if (localOffset + 30 > archive.length || archive.readUInt32LE(localOffset) !== LOCAL) {
    throw new Error(`corrupt zip: local header of ${name} not found`);
  }
  const start =
    localOffset +
    30 +
    archive.readUInt16LE(localOffset + 26) +
    archive.readUInt16LE(localOffset + 28);
  if (start + compressedSize > archive.length)
    throw new Error(`corrupt zip: ${name} runs past the end of the archive`);
  const raw = archive.subarray(start, start + compressedSize);
  if (method === 0) return Buffer.from(raw);
  if (method !== 8)
    throw new Error(
      `zip entry ${name} uses compression method ${method}; only stored and deflate are read`,
    );
  try {
    // maxOutputLength stops a deflate bomb at the cap instead of after inflating it all.
    return inflateRawSync(raw, { maxOutputLength: maxBytes + 1 });
  } catch (error) {
    throw new Error(`zip entry ${name} does not inflate: ${(error as Error).message}`);
  }
}

/** Refuses names that would escape an extraction root, even though nothing is extracted. */
function checkName(name: string): void {
  const parts = name.split('/');
  if (
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    parts.includes('..')
  ) {
    throw new Error(
      `zip entry name ${JSON.stringify(name.slice(0, 200))} is unsafe (absolute or traversing)`,
    );
  }
}
