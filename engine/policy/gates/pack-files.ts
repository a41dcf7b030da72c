// Reads a pack directory into PackFile[] (I/O kept out of pack.ts so loading stays pure).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PackFile } from './pack.ts';

/** Every regular file under dir, with paths relative to it. */
export async function readPackDir(dir: string): Promise<PackFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  return Promise.all(
    files.map(async (e) => {
      const full = join(e.parentPath, e.name);
      return {
        path: relative(dir, full).split(sep).join('/'),
        content: await readFile(full, 'utf8'),
      };
    }),
  );
}
