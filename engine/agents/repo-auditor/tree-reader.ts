/**
 * The auditor sees a repository only through this interface, so the audit itself is pure logic:
 * tests hand it an in-memory tree (MemoryTreeReader), production hands it the fs-backed reader
 * (fs-tree-reader.ts) that owns every filesystem concern (symlinks, ignored folders, caps).
 */

export interface SkippedEntry {
  path: string;
  reason:
    | 'symlink-outside-repo'
    | 'symlink-loop'
    | 'symlink-dangling'
    | 'symlink-to-directory'
    | 'not-a-regular-file';
}

export interface TreeListing {
  /** Regular files (or symlinks to regular files inside the repository), POSIX paths, sorted. */
  files: string[];
  skipped: SkippedEntry[];
}

export interface FileContent {
  size: number;
  /** Absent when the file is larger than the `maxBytes` asked for: it was not read. */
  bytes?: Uint8Array;
}

export interface FileTreeReader {
  list(): Promise<TreeListing>;
  /** Reads a listed file if it is at most `maxBytes`; undefined when it cannot be read. */
  read(path: string, maxBytes: number): Promise<FileContent | undefined>;
}

/** Folders nobody audits: dependencies, build output, VCS metadata, virtualenvs. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  'bower_components',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  '.turbo',
  '.nx',
  '.gradle',
  'dist',
  'build',
  'target',
  'out',
  'coverage',
  'vendor',
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a file, or undefined when it is binary (NUL in the first 8 KiB) or not UTF-8. */
export function decodeText(bytes: Uint8Array): string | undefined {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return undefined;
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** An in-memory tree for tests and for callers that already hold the files. */
export class MemoryTreeReader implements FileTreeReader {
  private readonly files: Map<string, Uint8Array>;
  private readonly skipped: SkippedEntry[];

  constructor(files: Record<string, string | Uint8Array>, skipped: SkippedEntry[] = []) {
    const encoder = new TextEncoder();
    this.files = new Map();
    for (const [path, content] of Object.entries(files)) {
      if (path.split('/').some((part) => IGNORED_DIRS.has(part))) continue;
      this.files.set(path, typeof content === 'string' ? encoder.encode(content) : content);
    }
    this.skipped = skipped;
  }

  async list(): Promise<TreeListing> {
    return { files: [...this.files.keys()].sort(), skipped: [...this.skipped] };
  }

  async read(path: string, maxBytes: number): Promise<FileContent | undefined> {
    const bytes = this.files.get(path);
    if (!bytes) return undefined;
    return bytes.length > maxBytes ? { size: bytes.length } : { size: bytes.length, bytes };
  }
}
