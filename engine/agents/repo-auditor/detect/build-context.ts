/**
 * The build context a Dockerfile was written for, when nothing (compose, CI) says it. Docker
 * resolves COPY/ADD sources against the context, so a Dockerfile in `services/api` that copies
 * `pnpm-lock.yaml` or `services/api/src` only builds with an ancestor folder (usually the
 * repository root) as its context: the nearest ancestor where every source exists is the one.
 * A RUN step that drives the workspace (`turbo prune`, `pnpm --filter`, `yarn workspace`, `nx`)
 * also needs the workspace root. Sources that cannot be checked are skipped: ARG-dependent
 * ones, build output the listing leaves out (`dist/`, `build/`…), character classes.
 */
import { dirOf, ev, joinPath } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import type { RepoView } from '../repo-view.ts';
import { IGNORED_DIRS } from '../tree-reader.ts';

export interface InferredContext {
  context: string;
  /** The COPY/ADD (or RUN) line that rules out the Dockerfile's own folder; none when it is it. */
  evidence: Evidence[];
}

const WORKSPACE_COMMAND =
  /\bturbo\s+prune\b|\bpnpm\s+(?:-F|--filter)[\s=]|\bpnpm\s+deploy\b|\byarn\s+workspace\s|\bnpm\s+(?:\S+\s+)?(?:-w|--workspace)[\s=]|\bnx\s+(?:run|build)\s/;
const WORKSPACE_FILES = [
  'pnpm-workspace.yaml',
  'turbo.json',
  'nx.json',
  'lerna.json',
  'go.work',
  'package.json',
];

export function inferContext(
  view: RepoView,
  dockerfilePath: string,
  parsed: ParsedDockerfile,
): InferredContext {
  const folder = dirOf(dockerfilePath);
  const copies = parsed.stages.flatMap((stage) => stage.copies);
  const checkable = copies.map((copy) => ({
    line: copy.line,
    sources: copy.sources.map(cleanSource).filter((source): source is string => source !== null),
  }));
  const holds = (dir: string) =>
    checkable.every((copy) => copy.sources.every((source) => exists(view, dir, source)));
  const ancestors: string[] = [];
  for (let dir = folder; dir !== '.';) ancestors.push((dir = dirOf(dir)));

  if (!holds(folder)) {
    const failing = checkable.find((copy) => !copy.sources.every((s) => exists(view, folder, s)));
    const context = ancestors.find(holds);
    if (context !== undefined && failing)
      return { context, evidence: [ev(dockerfilePath, failing.line)] };
    return { context: folder, evidence: [] };
  }
  const run = parsed.stages
    .flatMap((stage) => stage.runs)
    .find((r) => WORKSPACE_COMMAND.test(r.command));
  if (run && folder !== '.') {
    const root = ancestors.find(
      (dir) => WORKSPACE_FILES.some((name) => view.has(joinPath(dir, name))) && holds(dir),
    );
    if (root !== undefined) return { context: root, evidence: [ev(dockerfilePath, run.line)] };
  }
  return { context: folder, evidence: [] };
}

/** A source as a context-relative path, or null when it cannot be checked against the listing. */
function cleanSource(source: string): string | null {
  if (source.includes('$') || source.includes('[') || source.includes('\\')) return null;
  const path = joinPath('.', source.replace(/^\/+/, ''));
  if (source.startsWith('..') || path === '.') return null;
  const first = path.split('/')[0] ?? '';
  return IGNORED_DIRS.has(first) ? null : path;
}

/** True when `source` (a path or a `*`/`?` pattern) names a file or folder under `dir`. */
function exists(view: RepoView, dir: string, source: string): boolean {
  const path = joinPath(dir, source);
  if (!/[*?]/.test(source)) return view.has(path) || view.hasDir(path);
  const segments = source.split('/');
  const fixed = segments.findIndex((segment) => /[*?]/.test(segment));
  const prefix = joinPath(dir, segments.slice(0, fixed).join('/') || '.');
  const pattern = segments.slice(fixed);
  const start = prefix === '.' ? 0 : prefix.length + 1;
  return view.under(prefix).some((file) => {
    const parts = file.slice(start).split('/');
    return (
      parts.length >= pattern.length &&
      pattern.every((segment, index) => wildcard(segment, parts[index] ?? ''))
    );
  });
}

/** `*` and `?` matching of one path segment, greedy with one backtrack point (linear). */
export function wildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = t;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      mark += 1;
      t = mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}
