/**
 * FileTreeReader over a directory on disk. Security rules live here, not in the auditor:
 *  - symlinks are never followed out of the root: a link is resolved with realpath and kept
 *    only if it lands on a regular file inside the root; links to directories are not entered
 *    (that is what makes loops impossible), escapes/loops/dangling links are reported;
 *  - FIFOs, sockets and devices are skipped (reading a FIFO would block forever);
 *  - only listed paths can be read, and a file over the caller's cap is never read at all.
 */
import type { Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { IGNORED_DIRS } from './tree-reader.ts';
import type { FileContent, FileTreeReader, SkippedEntry, TreeListing } from './tree-reader.ts';

export class FsTreeReader implements FileTreeReader {
  private readonly root: string;
  private realRoot = '';
  /** Listed paths: nothing else can be read. */
  private readonly listed = new Set<string>();
  /** Symlinked files → the realpath to read instead. */
  private readonly linkTargets = new Map<string, string>();

  constructor(root: string) {
    this.root = root;
  }

  async list(): Promise<TreeListing> {
    const realRoot = await realpath(this.root);
    this.realRoot = realRoot;
    const files: string[] = [];
    const skipped: SkippedEntry[] = [];
    this.listed.clear();
    this.linkTargets.clear();

    const walk = async (relDir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(join(realRoot, relDir), { withFileTypes: true });
      } catch {
        return;
      }
      const subdirs: Promise<void>[] = [];
      for (const entry of entries) {
        const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!IGNORED_DIRS.has(entry.name)) subdirs.push(walk(rel));
        } else if (entry.isFile()) {
          files.push(rel);
          this.listed.add(rel);
        } else if (entry.isSymbolicLink()) {
          const resolved = await this.resolveLink(join(realRoot, rel), realRoot);
          if (typeof resolved === 'string') {
            files.push(rel);
            this.listed.add(rel);
            this.linkTargets.set(rel, resolved);
          } else {
            skipped.push({ path: rel, reason: resolved.reason });
          }
        } else {
          skipped.push({ path: rel, reason: 'not-a-regular-file' });
        }
      }
      await Promise.all(subdirs);
    };

    await walk('');
    files.sort();
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, skipped };
  }

  private async resolveLink(
    abs: string,
    realRoot: string,
  ): Promise<string | { reason: SkippedEntry['reason'] }> {
    let target: string;
    try {
      target = await realpath(abs);
    } catch (error) {
      return {
        reason:
          (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'symlink-loop' : 'symlink-dangling',
      };
    }
    if (target !== realRoot && !target.startsWith(realRoot + sep))
      return { reason: 'symlink-outside-repo' };
    const info = await stat(target).catch(() => undefined);
    if (!info) return { reason: 'symlink-dangling' };
    if (info.isDirectory()) return { reason: 'symlink-to-directory' };
    return info.isFile() ? target : { reason: 'not-a-regular-file' };
  }

  async read(path: string, maxBytes: number): Promise<FileContent | undefined> {
    if (!this.listed.has(path)) return undefined;
    const abs = this.linkTargets.get(path) ?? join(this.realRoot, path);
    let handle;
    try {
      handle = await open(abs, 'r');
    } catch {
      return undefined;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return undefined;
      if (info.size > maxBytes) return { size: info.size };
      const bytes = new Uint8Array(info.size);
      let offset = 0;
      while (offset < info.size) {
        const { bytesRead } = await handle.read(bytes, offset, info.size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return { size: info.size, bytes: bytes.subarray(0, offset) };
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }
}
