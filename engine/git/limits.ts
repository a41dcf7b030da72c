/**
 * Import limits. They are checked on the fetched tree BEFORE anything is checked out, so a
 * repository with a 200 MB blob or 10^6 files never lands on disk; the download itself is
 * bounded separately while it streams (http-client.ts).
 */
import type { SimpleGit } from 'simple-git';
import { GitImportError } from './errors.ts';

export interface ImportLimits {
  /** Bytes downloaded plus bytes of the checked-out tree. */
  maxRepoBytes: number;
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxRepoBytes: 1024 * 1024 * 1024,
  maxFiles: 250_000,
  maxFileBytes: 100 * 1024 * 1024,
};

export interface TreeStats {
  files: number;
  bytes: number;
  /** Paths stored as symlinks (mode 120000); checked out as plain files, see checkout.ts. */
  symlinks: string[];
}

/** Lists the tree of `rev` with sizes and enforces the limits; throws `limit-exceeded`. */
export async function checkTreeLimits(
  git: SimpleGit,
  rev: string,
  limits: ImportLimits,
): Promise<TreeStats> {
  const out = await git.raw(['ls-tree', '-r', '-l', '-z', '--full-tree', rev]);
  let files = 0;
  let bytes = 0;
  const symlinks: string[] = [];
  for (const record of out.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, , size] = record.slice(0, tab).split(/\s+/);
    const path = record.slice(tab + 1);
    if (type !== 'blob') continue;
    const fileBytes = Number(size);
    files += 1;
    bytes += fileBytes;
    if (mode === '120000') symlinks.push(path);
    if (fileBytes > limits.maxFileBytes) {
      throw new GitImportError(
        'limit-exceeded',
        `file "${path}" is ${formatBytes(fileBytes)}, over the ${formatBytes(limits.maxFileBytes)} single-file limit`,
      );
    }
    if (files > limits.maxFiles) {
      throw new GitImportError(
        'limit-exceeded',
        `the repository has more than ${limits.maxFiles} files`,
      );
    }
  }
  return { files, bytes, symlinks };
}

export function checkRepoBytes(total: number, limits: ImportLimits): void {
  if (total > limits.maxRepoBytes) {
    throw new GitImportError(
      'limit-exceeded',
      `the repository is over the ${formatBytes(limits.maxRepoBytes)} size limit`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
