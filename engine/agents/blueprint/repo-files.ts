/**
 * The repository as the blueprint may read it (issue 15): only through the plan's injected
 * reader, each file read once per plan, and bounded, because every byte is untrusted. The CI
 * facts (toolchain versions, scripts, the repository's own pipelines, the default branch) come
 * from here, so a plan stays a pure function of the checkout it was given.
 */
import type { ReadCurrentFile } from './plan-model.ts';

/** Larger files are not build manifests; reading them would only cost time. */
const MAX_CHARS = 512 * 1024;

export class RepoFiles {
  private readonly cache = new Map<string, Promise<string | null>>();
  private readonly read: ReadCurrentFile;

  constructor(read: ReadCurrentFile) {
    this.read = read;
  }

  /** A file's text, or null when it is absent, unreadable or too large to be a manifest. */
  text(path: string): Promise<string | null> {
    let text = this.cache.get(path);
    if (!text) {
      text = this.read(path).then(
        (value) => (value === null || value.length > MAX_CHARS ? null : value),
        () => null,
      );
      this.cache.set(path, text);
    }
    return text;
  }

  /** A JSON file's value, or null when it is absent or not JSON. */
  async json(path: string): Promise<unknown> {
    const text = await this.text(path);
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  /** The first of `names` found in `dir` or a folder above it, with its text. */
  async nearest(dir: string, names: string[]): Promise<{ path: string; text: string } | null> {
    for (const folder of foldersUp(dir)) {
      for (const name of names) {
        const path = joinPath(folder, name);
        const text = await this.text(path);
        if (text !== null) return { path, text };
      }
    }
    return null;
  }

  /**
   * The branch the checkout is on: the import checks out the remote's default branch (or the one
   * asked for) and points HEAD at it, and nothing later moves HEAD (engine/git writes branches
   * with plumbing only). Null when the reader has no checkout behind it.
   */
  async checkoutBranch(): Promise<string | null> {
    const head = await this.text('.git/HEAD');
    const match = /^ref: refs\/heads\/([\w./-]{1,200})\s*$/.exec(head ?? '');
    return match ? match[1]! : null;
  }
}

/** `dir` ('' or '.' for the root) joined with a relative path, POSIX. */
export function joinPath(dir: string, name: string): string {
  const base = dir.replace(/\/+$/, '');
  return base === '' || base === '.' ? name : `${base}/${name}`;
}

/** `a/b/c`, `a/b`, `a`, `.`: where a tool looks for its version file, nearest first. */
export function foldersUp(dir: string): string[] {
  const parts = dir
    .replace(/\/+$/, '')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  for (let i = parts.length; i > 0; i--) out.push(parts.slice(0, i).join('/'));
  out.push('.');
  return out;
}

/** The folder of a repository-relative path ('.' for a file at the root). */
export function dirOfPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}
