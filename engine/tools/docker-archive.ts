/**
 * Reads a `docker save` tarball without unpacking it: the tar index, then single members by
 * offset. Enough of ustar and PAX for what `docker save` writes (docker-archive and OCI layouts).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';

export interface TarMember {
  name: string;
  offset: number;
  size: number;
}

const BLOCK = 512;

/** Lists the regular files of a tar archive with where their bytes start. */
export async function indexTar(file: string): Promise<Map<string, TarMember>> {
  const handle = await open(file, 'r');
  try {
    const members = new Map<string, TarMember>();
    const header = Buffer.alloc(BLOCK);
    let offset = 0;
    let paxPath: string | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(header, 0, BLOCK, offset);
      if (bytesRead < BLOCK || header.every((byte) => byte === 0)) break;
      const size = parseSize(header.subarray(124, 136));
      const type = String.fromCharCode(header[156] ?? 0);
      const body = offset + BLOCK;
      if (type === 'x') {
        paxPath = parsePaxPath(await readRange(handle, body, size)) ?? paxPath;
      } else {
        const prefix = cString(header.subarray(345, 500));
        const name =
          paxPath ??
          (prefix
            ? `${prefix}/${cString(header.subarray(0, 100))}`
            : cString(header.subarray(0, 100)));
        paxPath = undefined;
        if (type === '0' || type === '\0')
          members.set(name.replace(/^\.\//, ''), { name, offset: body, size });
      }
      offset = body + Math.ceil(size / BLOCK) * BLOCK;
    }
    return members;
  } finally {
    await handle.close();
  }
}

/** The bytes of one member (small ones: manifests and configs). */
export async function readMember(file: string, member: TarMember): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    return await readRange(handle, member.offset, member.size);
  } finally {
    await handle.close();
  }
}

/** sha256 of one member's bytes, read in chunks (layers are large). */
export async function hashMember(file: string, member: TarMember): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    for (let done = 0; done < member.size;) {
      const want = Math.min(chunk.length, member.size - done);
      const { bytesRead } = await handle.read(chunk, 0, want, member.offset + done);
      if (bytesRead === 0) throw new Error(`${file} is truncated inside ${member.name}`);
      hash.update(chunk.subarray(0, bytesRead));
      done += bytesRead;
    }
    return `sha256:${hash.digest('hex')}`;
  } finally {
    await handle.close();
  }
}

async function readRange(handle: FileHandle, offset: number, size: number): Promise<Buffer> {
  const buffer = Buffer.alloc(size);
  const { bytesRead } = await handle.read(buffer, 0, size, offset);
  if (bytesRead !== size) throw new Error('tar archive is truncated');
  return buffer;
}

function parseSize(field: Buffer): number {
  // GNU base-256 for sizes over 8 GiB.
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i += 1) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  return text ? parseInt(text, 8) : 0;
}

function parsePaxPath(data: Buffer): string | undefined {
  for (const record of data.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}
