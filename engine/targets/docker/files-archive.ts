/**
 * Files a container gets before it starts (issue 14: the compose secrets a service reads, such
 * as /run/secrets/db-password): a tar made in memory and put in with the archive API. In memory
 * because the contents are secrets: they never touch the host's disk, and the archive API reaches
 * a remote Docker Engine where a bind mount would not. Only file entries: the engine creates
 * missing parent directories (0755, root), and directories the image already has keep their
 * owner and mode.
 *
 * The digest names the files without revealing them: a container's label holds it, so a second
 * deploy with the same files finds the container as it is.
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06 (ustar)
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

/** Label of a container holding the digest of the files put into it. */
export const FILES_LABEL = 'prodsprint.files-digest';
const BLOCK = 512;

/** A ustar archive of `files` (absolute path → content), each owned by root with `mode`. */
export function filesArchive(files: Record<string, string>, mode = 0o444): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of sortedEntries(files)) {
    const data = Buffer.from(content, 'utf8');
    blocks.push(header(entryName(path), data.length, mode), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** What identifies `files` (paths and contents) without revealing a content: a sha256 prefix. */
export function filesDigest(files: Record<string, string> | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedEntries(files ?? {})))
    .digest('hex')
    .slice(0, 16);
}

function sortedEntries(files: Record<string, string>): Array<[string, string]> {
  return Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The member name (relative to /) split into ustar's prefix and name fields. */
function entryName(path: string): { prefix: string; name: string } {
  if (!path.startsWith('/') || posix.normalize(path) !== path || path.endsWith('/'))
    throw new Error(`a container file path must be absolute and normal, got ${path}`);
  const relative = path.slice(1);
  if (Buffer.byteLength(relative) <= 100) return { prefix: '', name: relative };
  // The longest prefix (≤155 bytes) that leaves a name of ≤100 bytes, cut at a slash.
  for (let cut = relative.lastIndexOf('/'); cut > 0; cut = relative.lastIndexOf('/', cut - 1)) {
    const prefix = relative.slice(0, cut);
    const name = relative.slice(cut + 1);
    if (Buffer.byteLength(name) > 100) break;
    if (Buffer.byteLength(prefix) <= 155) return { prefix, name };
  }
  throw new Error(`container file path ${path} is too long for a tar entry`);
}

function header(entry: { prefix: string; name: string }, size: number, mode: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(entry.name, 0, 100, 'utf8');
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0); // uid root
  octal(block, 116, 8, 0); // gid root
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0); // mtime: fixed, so the same files make the same archive
  block.fill(' ', 148, 156); // the checksum counts its own field as spaces
  block.write('0', 156, 1, 'ascii'); // a regular file
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  block.write(entry.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** A zero-padded octal number ending in NUL, filling `length` bytes at `offset`. */
function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
