/**
 * Imports an OSV export from a file the user supplies (invariant 8: nothing is downloaded):
 * a directory of OSV JSON files (walked without following symlinks) or a .zip such as OSV's
 * per-ecosystem all.zip (read by zip-reader.ts with its safety limits). Each file has a size
 * cap; files that are not OSV JSON are reported as skipped, never fatal to the whole import.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Db } from '../../../store/database.ts';
import { storeOsvRecords } from './osv-store.ts';
import type { StoreResult } from './osv-store.ts';
import { DEFAULT_ZIP_LIMITS, readZip } from './zip-reader.ts';
import type { ZipLimits } from './zip-reader.ts';

export interface ImportOptions {
  /** Injected clock value for `imported_at` (deterministic tests). */
  now: string;
  zipLimits?: ZipLimits;
  maxArchiveBytes?: number;
}

const DEFAULT_MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;

export async function importOsv(
  db: Db,
  source: string,
  options: ImportOptions,
): Promise<StoreResult> {
  const limits = options.zipLimits ?? DEFAULT_ZIP_LIMITS;
  const info = await lstat(source);
  const documents: Array<{ origin: string; value: unknown }> = [];
  const skipped: StoreResult['skipped'] = [];
  const add = (origin: string, data: Buffer) => {
    try {
      documents.push({ origin, value: JSON.parse(data.toString('utf8')) });
    } catch (error) {
      skipped.push({ origin, reason: `not JSON: ${(error as Error).message}` });
    }
  };
  if (info.isDirectory()) {
    for (const file of await jsonFiles(source)) {
      const origin = relative(source, file);
      const size = (await lstat(file)).size;
      if (size > limits.maxEntryBytes)
        skipped.push({ origin, reason: `${size} bytes is over the per-file limit` });
      else add(origin, await readFile(file));
    }
  } else if (info.isFile()) {
    const maxArchive = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
    if (info.size > maxArchive)
      throw new Error(`${source} is ${info.size} bytes, over the ${maxArchive}-byte limit`);
    for (const entry of readZip(await readFile(source), limits)) {
      if (entry.name.endsWith('.json')) add(entry.name, entry.data);
    }
  } else {
    throw new Error(`${source} is neither a directory of OSV JSON files nor a .zip archive`);
  }
  const result = storeOsvRecords(db, documents, { source, importedAt: options.now });
  return { ...result, skipped: [...skipped, ...result.skipped] };
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}
