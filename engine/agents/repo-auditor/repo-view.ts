/**
 * The auditor's view of the tree: the sorted file list with fast lookups (by folder prefix,
 * by file name) and cached, capped text reads. Sorted paths make "everything under dir/" a
 * contiguous range, found by binary search, which keeps a 100,000-file audit linear.
 */
import { baseName, dirOf } from './evidence.ts';
import { decodeText } from './tree-reader.ts';
import type { FileTreeReader, TreeListing } from './tree-reader.ts';

/** Largest file the auditor reads; bigger files are listed but never opened. */
export const MAX_TEXT_BYTES = 1024 * 1024;

export type Unreadable = 'binary-or-not-utf8' | 'too-large' | 'missing';

export class RepoView {
  readonly files: readonly string[];
  readonly skipped: TreeListing['skipped'];
  readonly unreadable = new Map<string, Unreadable>();
  private readonly reader: FileTreeReader;
  private readonly fileSet: Set<string>;
  private readonly byName = new Map<string, string[]>();
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(reader: FileTreeReader, listing: TreeListing) {
    this.reader = reader;
    this.files = listing.files;
    this.skipped = listing.skipped;
    this.fileSet = new Set(listing.files);
    for (const file of listing.files) {
      const name = baseName(file);
      const list = this.byName.get(name);
      if (list) list.push(file);
      else this.byName.set(name, [file]);
    }
  }

  get filesRead(): number {
    return this.cache.size;
  }

  /** Paths read so far (text or not), in read order. */
  readPaths(): IterableIterator<string> {
    return this.cache.keys();
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** Files whose base name is `name`, in path order. */
  named(name: string): readonly string[] {
    return this.byName.get(name) ?? [];
  }

  /** Files whose base name satisfies `test` (scans the name index, not every path). */
  namedLike(test: (name: string) => boolean): string[] {
    const out: string[] = [];
    for (const [name, paths] of this.byName) if (test(name)) out.push(...paths);
    return out.sort();
  }

  /** Every file under directory `dir` ('.' = all), in path order. */
  under(dir: string): readonly string[] {
    const [start, end] = this.range(dir);
    return start === 0 && end === this.files.length ? this.files : this.files.slice(start, end);
  }

  /**
   * Files under `dir` minus those under any of `excluded` (nested projects). Sorted paths make
   * each excluded folder one contiguous range, so this copies slices instead of testing paths.
   */
  underExcept(dir: string, excluded: readonly string[]): string[] {
    const [start, end] = this.range(dir);
    const cuts = excluded
      .filter((other) => other !== dir && (dir === '.' || other.startsWith(`${dir}/`)))
      .map((other) => this.range(other))
      .sort((a, b) => a[0] - b[0]);
    const out: string[] = [];
    let at = start;
    for (const [cutStart, cutEnd] of cuts) {
      if (cutStart > at) out.push(...this.files.slice(at, cutStart));
      at = Math.max(at, cutEnd);
    }
    if (end > at) out.push(...this.files.slice(at, end));
    return out;
  }

  private range(dir: string): [number, number] {
    if (dir === '.') return [0, this.files.length];
    const prefix = `${dir}/`;
    let low = 0;
    let high = this.files.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.files[mid] ?? '') < prefix) low = mid + 1;
      else high = mid;
    }
    let end = low;
    while (end < this.files.length && (this.files[end] ?? '').startsWith(prefix)) end += 1;
    return [low, end];
  }

  /** True when some file lives under `dir`. */
  hasDir(dir: string): boolean {
    const [start, end] = this.range(dir);
    return end > start;
  }

  /** The nearest file called one of `names` in `dir` or its ancestors, up to the root. */
  nearest(dir: string, names: readonly string[]): string | undefined {
    for (let current = dir; ; current = dirOf(current)) {
      for (const name of names) {
        const path = current === '.' ? name : `${current}/${name}`;
        if (this.fileSet.has(path)) return path;
      }
      if (current === '.') return undefined;
    }
  }

  /** UTF-8 text of a listed file, or undefined (reason kept in `unreadable`). */
  text(path: string, maxBytes = MAX_TEXT_BYTES): Promise<string | undefined> {
    let pending = this.cache.get(path);
    if (!pending) {
      pending = this.load(path, maxBytes);
      this.cache.set(path, pending);
    }
    return pending;
  }

  private async load(path: string, maxBytes: number): Promise<string | undefined> {
    if (!this.fileSet.has(path)) return undefined;
    const content = await this.reader.read(path, maxBytes);
    if (!content) {
      this.unreadable.set(path, 'missing');
      return undefined;
    }
    if (!content.bytes) {
      this.unreadable.set(path, 'too-large');
      return undefined;
    }
    const text = decodeText(content.bytes);
    if (text === undefined) this.unreadable.set(path, 'binary-or-not-utf8');
    return text;
  }
}
