/**
 * Evidence helpers: turning "where in the text" into file:line. Every claim in the fingerprint
 * is built through these, so a claim without a place in the repository cannot be made.
 */
import type { Claim, Evidence } from './fingerprint.ts';

export function ev(file: string, line = 1): Evidence {
  return { file, line: Math.max(1, line) };
}

export function claimOf<T>(value: T, ...evidence: Evidence[]): Claim<T> {
  return { value, evidence: dedupeEvidence(evidence) };
}

/** 1-based line of character offset `index` in `text`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  let at = text.indexOf('\n');
  while (at !== -1 && at < index) {
    line += 1;
    at = text.indexOf('\n', at + 1);
  }
  return line;
}

/** Line of the first match of `needle` (a string or a regex), searching from `from`. */
export function findLine(text: string, needle: string | RegExp, from = 0): number | undefined {
  if (typeof needle === 'string') {
    const index = text.indexOf(needle, from);
    return index < 0 ? undefined : lineAt(text, index);
  }
  const flags = needle.flags.includes('g') ? needle.flags : `${needle.flags}g`;
  const regex = new RegExp(needle.source, flags);
  regex.lastIndex = from;
  const match = regex.exec(text);
  return match ? lineAt(text, match.index) : undefined;
}

/** Every match of a global regex with its line; lines are computed in one forward pass. */
export function matchesWithLines(
  text: string,
  regex: RegExp,
): Array<{ match: RegExpExecArray; line: number }> {
  const out: Array<{ match: RegExpExecArray; line: number }> = [];
  let line = 1;
  let scanned = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    for (
      let at = text.indexOf('\n', scanned);
      at !== -1 && at < match.index;
      at = text.indexOf('\n', at + 1)
    )
      line += 1;
    scanned = match.index;
    out.push({ match, line });
    if (match[0].length === 0) regex.lastIndex += 1;
  }
  return out;
}

export function dedupeEvidence(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const item of evidence) {
    const key = `${item.file}:${item.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Repository-relative join that stays POSIX and collapses `.`/`..` segments. */
export function joinPath(dir: string, path: string): string {
  const parts: string[] = [];
  for (const part of `${dir === '.' ? '' : dir}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

/** True when `path` is a file directly inside `dir` (no allocation: used on hot paths). */
export function isDirectChild(path: string, dir: string): boolean {
  if (dir === '.') return !path.includes('/');
  return (
    path.length > dir.length + 1 &&
    path.startsWith(dir) &&
    path.charCodeAt(dir.length) === 47 &&
    path.indexOf('/', dir.length + 1) === -1
  );
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Path of `path` relative to directory `dir` (both repository-relative). */
export function relativeTo(dir: string, path: string): string {
  if (dir === '.') return path;
  return path === dir ? '.' : path.slice(dir.length + 1);
}
