/**
 * Finds and parses the lockfiles of a checked-out project. The I/O half of SBOM generation:
 * it walks the tree (skipping installed dependencies and VCS folders, never following
 * symlinks), reads each lockfile under a size cap and hands the text to the pure parsers.
 * A lockfile that fails to parse is reported, not skipped silently (fail closed upstream).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ParsedLockfile } from './locked-package.ts';
import { lockfileFormat } from './lockfile-formats.ts';

/** Folders that hold installed or generated code, not the project's own lockfiles. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.yarn',
  '.pnpm-store',
]);

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 12;

export interface CollectedLockfile {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  parsed: ParsedLockfile;
}

export interface CollectResult {
  lockfiles: CollectedLockfile[];
  problems: Array<{ path: string; message: string }>;
}

export interface CollectOptions {
  maxBytes?: number;
  maxDepth?: number;
}

export async function collectLockfiles(
  root: string,
  options: CollectOptions = {},
): Promise<CollectResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const result: CollectResult = { lockfiles: [], problems: [] };
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    const names = new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && depth < maxDepth) await walk(full, depth + 1);
        continue;
      }
      const format = entry.isFile() ? lockfileFormat(entry.name) : undefined;
      if (!format) continue;
      const path = relative(root, full).split('\\').join('/');
      try {
        const text = await readCapped(full, maxBytes);
        const sibling =
          format.sibling && names.has(format.sibling)
            ? await readCapped(join(dir, format.sibling), maxBytes)
            : undefined;
        result.lockfiles.push({ path, parsed: format.parse(text, sibling) });
      } catch (error) {
        result.problems.push({ path, message: (error as Error).message });
      }
    }
  };
  await walk(root, 0);
  return result;
}

async function readCapped(file: string, maxBytes: number): Promise<string> {
  const { size } = await stat(file);
  if (size > maxBytes)
    throw new Error(`${size} bytes is over the ${maxBytes}-byte limit for a lockfile`);
  return readFile(file, 'utf8');
}
