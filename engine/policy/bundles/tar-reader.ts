import { gunzipSync } from 'node:zlib';
import { BundleError } from './errors.ts';
import { checkLimits, safeMemberPath, type BundleFiles, type BundleLimits } from './files.ts';

/**
 * Reads an OPA bundle tarball (`opa build -b` output: ustar in gzip, written by Go's
 * archive/tar; also GNU tar and bsdtar output). engine/audit/ustar.ts only accepts the exact
 * bytes ProdSprint writes, so it cannot read these; this reader is as strict where it matters:
 * regular files and directories only (no links, devices, GNU long names or sparse files), PAX
 * `path` only (no size or link overrides), safe relative names, header checksums, and limits
 * enforced while decompressing (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html).
 */
const BLOCK = 512;

export function readBundleTarGz(archive: Buffer, limits: BundleLimits): BundleFiles {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxTotalBytes + 1024 * BLOCK });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new BundleError('too_large', `archive expands beyond ${limits.maxTotalBytes} bytes`);
    throw new BundleError('bad_archive', `not a gzip archive (${(error as Error).message})`);
  }
  const files: BundleFiles = new Map();
  let total = 0;
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    const header = parseHeader(block);
    const start = offset + BLOCK;
    offset = start + Math.ceil(header.size / BLOCK) * BLOCK;
    if (start + header.size > tar.length)
      throw new BundleError('bad_archive', 'member is truncated', header.path);
    const body = tar.subarray(start, start + header.size);
    const path = paxPath ?? header.path;
    paxPath = undefined;
    switch (header.type) {
      case 'x': // PAX extended header (bsdtar, long names): only `path` is honoured.
        paxPath = paxRecords(body, header.path);
        continue;
      case 'g': // PAX global header (git archive): metadata only.
        continue;
      case '5':
        if (path !== '/' && path !== './') safeMemberPath(path.replace(/\/$/, ''));
        continue;
      case '0':
      case '\0':
        break;
      default: {
        const kind =
          header.type === '1' || header.type === '2' ? 'a link' : `of tar type '${header.type}'`;
        throw new BundleError(
          'bad_archive',
          `member is ${kind}; a bundle holds regular files only`,
          path,
        );
      }
    }
    const name = safeMemberPath(path);
    if (files.has(name)) throw new BundleError('bad_archive', 'member appears twice', name);
    checkLimits(files, name, header.size, total, limits);
    files.set(name, Buffer.from(body));
    total += header.size;
  }
  if (offset + BLOCK > tar.length)
    throw new BundleError('bad_archive', 'archive ends without its end-of-archive marker');
  return files;
}

function parseHeader(block: Buffer): { path: string; type: string; size: number } {
  const name = cString(block, 0, 100);
  const magic = block.toString('latin1', 257, 262);
  const prefix = magic === 'ustar' ? cString(block, 345, 155) : '';
  const path = prefix ? `${prefix}/${name}` : name;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  if (octal(block, 148, 8, path) !== sum)
    throw new BundleError('bad_archive', 'header checksum does not match', path);
  const type = String.fromCharCode(block[156]!);
  return { path, type, size: octal(block, 124, 12, path) };
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function octal(block: Buffer, start: number, length: number, path: string): number {
  const text = block
    .toString('latin1', start, start + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  // Base-256 sizes (high bit set) only appear for members > 8 GiB: far past any limit.
  if (!/^[0-7]+$/.test(text)) throw new BundleError('bad_archive', 'header has a bad number', path);
  return parseInt(text, 8);
}

/** Parses PAX records (`<len> <key>=<value>\n`); returns the `path` override, refusing the rest that matter. */
function paxRecords(body: Buffer, member: string): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = space === -1 ? NaN : Number(body.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > body.length)
      throw new BundleError('bad_archive', 'malformed PAX header', member);
    const record = body.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    if (key === 'path') path = record.slice(eq + 1);
    else if (key === 'size' || key === 'linkpath')
      throw new BundleError('bad_archive', `PAX ${key} override is not supported`, member);
    at += length;
  }
  return path;
}
