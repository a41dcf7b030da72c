import { lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import {
  ArchiveError,
  DEFAULT_LIMITS,
  isSafeMemberPath,
  readTarGz,
  type ArchiveLimits,
} from './ustar.ts';

/**
 * Extracts a bundle archive into `destDir` for an auditor to inspect with standard tools.
 * On top of the reader's checks (regular files only, safe names, size limits): every target
 * must resolve inside destDir, no directory on the way may be a symlink, and files are created
 * exclusively, so a pre-planted symlink or file is never followed or overwritten.
 */
export function extractArchive(
  archive: Buffer,
  destDir: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): string[] {
  const files = readTarGz(archive, limits);
  mkdirSync(destDir, { recursive: true });
  const root = realpathSync(destDir);
  const written: string[] = [];
  for (const [path, data] of files) {
    if (!isSafeMemberPath(path)) throw new ArchiveError('unsafe member name', path);
    const target = resolve(root, path);
    if (!target.startsWith(root + sep))
      throw new ArchiveError('member would land outside the destination', path);
    ensureRealDirectories(root, dirname(target), path);
    writeFileSync(target, data, { flag: 'wx', mode: 0o644 });
    written.push(target);
  }
  return written;
}

function ensureRealDirectories(root: string, dir: string, member: string): void {
  let current = root;
  for (const part of dir.slice(root.length).split(sep).filter(Boolean)) {
    current = join(current, part);
    try {
      mkdirSync(current, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // lstat, not stat: a symlink to a directory elsewhere is exactly what must be refused.
    if (!lstatSync(current).isDirectory())
      throw new ArchiveError(`${current} is not a plain directory`, member);
  }
}
