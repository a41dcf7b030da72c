import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The bundle archive: POSIX ustar (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06)
 * inside gzip, readable by any `tar xzf`. Written by hand because the format is small and the
 * reader must be strict: it accepts exactly what the writer produces — regular files with safe
 * relative names, canonical headers, zero padding, nothing after the end marker — so a single
 * changed byte anywhere in the archive is either caught by gzip's CRC or refused here.
 */

const BLOCK = 512;
const GZIP_LEVEL = 6;
/** What node:zlib writes at level 6: magic, deflate, no flags, mtime 0, XFL 0, OS unix. */
const GZIP_HEADER = Buffer.from('1f8b0800000000000003', 'hex');

export interface ArchiveFile {
  path: string;
  data: Buffer;
}

export interface ArchiveLimits {
  /** Most files the archive may hold. */
  maxFiles: number;
  /** Largest single file, in bytes. */
  maxFileBytes: number;
  /** Largest archive once decompressed, in bytes (defends against gzip bombs). */
  maxTotalBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxFiles: 1_000_000,
  maxFileBytes: 1 << 30,
  maxTotalBytes: 4 * 2 ** 30,
};

/** Where an archive is refused, and why. */
export class ArchiveError extends Error {
  readonly member: string | undefined;
  constructor(message: string, member?: string) {
    super(member ? `${member}: ${message}` : message);
    this.name = 'ArchiveError';
    this.member = member;
  }
}

/** Segments start with a letter or digit, so `.`, `..` and hidden names cannot occur; no absolute paths. */
const SAFE_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export function isSafeMemberPath(path: string): boolean {
  return path.length <= 100 && SAFE_PATH.test(path);
}

/** Writes files as a gzip-compressed ustar archive; `mtime` (seconds) is the same for every member. */
export function writeTarGz(files: ArchiveFile[], mtime: number): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    if (!isSafeMemberPath(file.path))
      throw new ArchiveError('unsafe or too long member name', file.path);
    blocks.push(header(file.path, file.data.length, mtime), file.data);
    const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(blocks), { level: GZIP_LEVEL });
}

/** Reads an archive written by writeTarGz, refusing anything else (see the file comment). */
export function readTarGz(
  archive: Buffer,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): Map<string, Buffer> {
  if (
    archive.length < GZIP_HEADER.length ||
    !archive.subarray(0, GZIP_HEADER.length).equals(GZIP_HEADER)
  ) {
    throw new ArchiveError(
      'not a bundle archive: the gzip header is not the one ProdSprint writes',
    );
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxTotalBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new ArchiveError(`archive expands beyond ${limits.maxTotalBytes} bytes`);
    throw new ArchiveError(`archive is corrupt (${(error as Error).message})`);
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (true) {
    if (offset + BLOCK > tar.length)
      throw new ArchiveError('archive ends without its end-of-archive marker');
    const block = tar.subarray(offset, offset + BLOCK);
    if (isZero(block)) break;
    const { path, size, mtime } = parseHeader(block);
    if (!header(path, size, mtime).equals(block))
      throw new ArchiveError('header is not in the canonical form ProdSprint writes', path);
    if (files.has(path)) throw new ArchiveError('member appears twice', path);
    if (files.size >= limits.maxFiles)
      throw new ArchiveError(`archive holds more than ${limits.maxFiles} files`);
    if (size > limits.maxFileBytes)
      throw new ArchiveError(`member is larger than ${limits.maxFileBytes} bytes`, path);
    const start = offset + BLOCK;
    const end = start + size;
    const padded = start + Math.ceil(size / BLOCK) * BLOCK;
    if (padded > tar.length) throw new ArchiveError('member is truncated', path);
    if (!isZero(tar.subarray(end, padded)))
      throw new ArchiveError('padding after the member is not zero', path);
    files.set(path, tar.subarray(start, end));
    offset = padded;
  }
  if (tar.length !== offset + 2 * BLOCK || !isZero(tar.subarray(offset)))
    throw new ArchiveError('data follows the end-of-archive marker');
  return files;
}

function header(path: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(path, 0, 100, 'ascii');
  block.write('0000644\0', 100, 'ascii');
  block.write('0000000\0', 108, 'ascii');
  block.write('0000000\0', 116, 'ascii');
  block.write(`${octal(size, 11)}\0`, 124, 'ascii');
  block.write(`${octal(mtime, 11)}\0`, 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('0000000\0', 329, 'ascii');
  block.write('0000000\0', 337, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${octal(sum, 6)}\0 `, 148, 'ascii');
  return block;
}

function parseHeader(block: Buffer): { path: string; size: number; mtime: number } {
  const nameEnd = block.indexOf(0, 0);
  const path = block.toString('ascii', 0, nameEnd === -1 || nameEnd > 100 ? 100 : nameEnd);
  const type = String.fromCharCode(block[156]!);
  if (type !== '0') {
    const kind =
      type === '1' || type === '2' ? 'a link' : type === '5' ? 'a directory' : `of type '${type}'`;
    throw new ArchiveError(`member is ${kind}; a bundle holds regular files only`, path);
  }
  if (!isSafeMemberPath(path))
    throw new ArchiveError('unsafe member name (absolute, parent or hidden path)', path);
  const size = parseOctal(block, 124, 12);
  const mtime = parseOctal(block, 136, 12);
  if (size === undefined || mtime === undefined)
    throw new ArchiveError('header has a malformed number', path);
  return { path, size, mtime };
}

function parseOctal(block: Buffer, offset: number, length: number): number | undefined {
  const text = block.toString('ascii', offset, offset + length - 1);
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function octal(value: number, digits: number): string {
  const text = value.toString(8);
  if (text.length > digits)
    throw new ArchiveError(`value ${value} does not fit a ustar header field`);
  return text.padStart(digits, '0');
}

function isZero(buffer: Buffer): boolean {
  for (const byte of buffer) if (byte !== 0) return false;
  return true;
}
