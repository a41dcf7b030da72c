/**
 * A streaming tar (POSIX ustar + PAX extended headers for long or non-ASCII names) of a build
 * context. ProdSprint writes the context itself, rather than letting dockerode pack a folder,
 * because it must decide exactly which files go in (.dockerignore as Docker applies it), give
 * them root ownership as the Docker CLI does, place the translated Dockerfile, and build side
 * images from generated files. Files are streamed, never read whole into memory.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface TarEntry {
  /** Path inside the archive, `/`-separated, no leading `/`. */
  name: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
  /** Modification time, seconds since the epoch. */
  mtime: number;
  /** Link target of a symlink. */
  linkname?: string;
  /** Content of a file: bytes, or the path of a file on disk of `size` bytes. */
  content?: Buffer;
  path?: string;
  size?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function put(header: Buffer, offset: number, width: number, text: string): void {
  header.write(text, offset, Math.min(width, Buffer.byteLength(text)), 'utf8');
}

function header(
  name: string,
  type: string,
  mode: number,
  size: number,
  mtime: number,
  linkname = '',
): Buffer {
  const block = Buffer.alloc(BLOCK);
  put(block, 0, 100, name);
  put(block, 100, 8, octal(mode & 0o7777, 8));
  put(block, 108, 8, octal(0, 8));
  put(block, 116, 8, octal(0, 8));
  put(block, 124, 12, octal(size, 12));
  put(block, 136, 12, octal(Math.max(0, Math.floor(mtime)), 12));
  block.fill(' ', 148, 156);
  put(block, 156, 1, type);
  put(block, 157, 100, linkname);
  put(block, 257, 6, 'ustar\0');
  put(block, 263, 2, '00');
  put(block, 265, 32, 'root');
  put(block, 297, 32, 'root');
  let sum = 0;
  for (const byte of block) sum += byte;
  put(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** A PAX record `"<len> key=value\n"`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
  return `${length}${body}`;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
const fits = (text: string) => Buffer.byteLength(text) < 100 && /^[\x20-\x7e]*$/.test(text);

async function* blocks(
  entries: Iterable<TarEntry> | AsyncIterable<TarEntry>,
): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const name = entry.type === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
    const linkname = entry.linkname ?? '';
    if (!fits(name) || !fits(linkname)) {
      const records = Buffer.from(
        paxRecord('path', name) +
          (linkname && !fits(linkname) ? paxRecord('linkpath', linkname) : ''),
      );
      yield header('PaxHeader', 'x', 0o644, records.length, entry.mtime);
      yield records;
      yield padding(records.length);
    }
    const shortName = fits(name) ? name : name.slice(0, 99).replace(/[^\x20-\x7e]/g, '_');
    const shortLink = fits(linkname) ? linkname : '';
    const size = entry.type === 'file' ? (entry.content?.length ?? entry.size ?? 0) : 0;
    const type = entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2';
    yield header(shortName, type, entry.mode, size, entry.mtime, shortLink);
    if (entry.type !== 'file') continue;
    if (entry.content) yield entry.content;
    else if (entry.path) {
      // The size is in the header already: a file that changed since is cut or padded to it.
      let written = 0;
      for await (const chunk of createReadStream(entry.path)) {
        const bytes = chunk as Buffer;
        const take = Math.min(bytes.length, size - written);
        if (take > 0) yield bytes.subarray(0, take);
        written += take;
      }
      if (written < size) yield Buffer.alloc(size - written);
    }
    yield padding(size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The tar of `entries`, as a stream. */
export function tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): Readable {
  return Readable.from(blocks(entries), { objectMode: false });
}
