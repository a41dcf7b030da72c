/**
 * `.dockerignore` exactly as Docker applies it: the file read as moby/patternmatcher's
 * ignorefile.ReadAll reads it (comments, `!` exceptions, paths cleaned, a leading `/` dropped),
 * and each path tested as PatternMatcher.MatchesOrParentMatches tests it (the last matching
 * pattern wins; a pattern matching a parent directory matches everything below it), with the
 * same shortcuts Docker takes (`**` first = suffix match, `**` last = prefix match, no wildcard =
 * exact match), which decide some results.
 *
 * Why not `@balena/dockerignore` (the library dockerode uses): it follows Docker 19.03, whose
 * parent check is buggy (a pattern is tested against one parent only) and it compiles the
 * patterns to JavaScript regexes, which backtrack: a hostile `*a*a*a*a*a*b` pattern would stall
 * the engine. Here a pattern runs as a small automaton, linear in the path for each pattern.
 */

type Token =
  | { t: 'lit'; c: string }
  | { t: 'any' }
  | { t: 'star' }
  | { t: 'dstar' }
  | { t: 'all' }
  | { t: 'bol' }
  | { t: 'class'; negated: boolean; ranges: Array<[string, string]> };

export interface IgnorePattern {
  /** The cleaned pattern, without `!`. */
  text: string;
  exclusion: boolean;
  kind: 'exact' | 'prefix' | 'suffix' | 'automaton';
  tokens: Token[];
}

/** Go's filepath.Clean for `/` paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(part);
  }
  const joined = (rooted ? '/' : '') + parts.join('/');
  return joined || '.';
}

/** The patterns of a .dockerignore text (ignorefile.ReadAll). */
export function readDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.split('\n');
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (!pattern) continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

function badPattern(pattern: string, why: string): never {
  throw new Error(`.dockerignore pattern ${JSON.stringify(pattern)} is invalid: ${why}`);
}

/** Compiles one cleaned pattern as patternmatcher's compile() does. */
function compile(text: string, exclusion: boolean): IgnorePattern {
  const tokens: Token[] = [];
  let kind: IgnorePattern['kind'] = 'exact';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i]!;
    const at = i;
    if (ch === '*' && chars[i + 1] === '*') {
      i += 1;
      if (chars[i + 1] === '/') i += 1;
      if (i + 1 >= chars.length) {
        if (kind === 'exact') kind = 'prefix';
        else {
          tokens.push({ t: 'all' });
          kind = 'automaton';
        }
      } else {
        tokens.push({ t: 'dstar' });
        kind = 'automaton';
      }
      if (at === 0) kind = 'suffix';
    } else if (ch === '*') {
      tokens.push({ t: 'star' });
      kind = 'automaton';
    } else if (ch === '?') {
      tokens.push({ t: 'any' });
      kind = 'automaton';
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        tokens.push({ t: 'lit', c: chars[++i]! });
        kind = 'automaton';
      } else badPattern(text, 'it ends with \\');
    } else if (ch === '[') {
      const close = chars.indexOf(']', i + 2);
      if (close < 0) badPattern(text, 'missing ]');
      const body = chars.slice(i + 1, close);
      const negated = body[0] === '^';
      const ranges: Array<[string, string]> = [];
      for (let k = negated ? 1 : 0; k < body.length; k += 1) {
        let lo = body[k]!;
        if (lo === '\\' && k + 1 < body.length) lo = body[++k]!;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([lo, body[k + 2]!]);
          k += 2;
        } else ranges.push([lo, lo]);
      }
      tokens.push({ t: 'class', negated, ranges });
      kind = 'automaton';
      i = close;
    } else if (ch === '^') {
      tokens.push({ t: 'bol' });
    } else {
      tokens.push({ t: 'lit', c: ch });
      if (ch === ']') kind = 'automaton';
    }
  }
  return { text, exclusion, kind, tokens };
}

/** Runs the token automaton over `path` (Thompson simulation: no backtracking). */
function runAutomaton(tokens: Token[], path: string): boolean {
  const n = tokens.length;
  // States 0..n: before token i (n = accept); n+1+i: inside the `(.*/)` of a `**` at i.
  const closure = (states: Set<number>, atStart: boolean) => {
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (state >= n) continue;
      const token = tokens[state]!;
      const next: number[] = [];
      if (token.t === 'star' || token.t === 'all') next.push(state + 1);
      if (token.t === 'dstar') next.push(state + 1, n + 1 + state);
      if (token.t === 'bol' && atStart) next.push(state + 1);
      for (const target of next)
        if (!states.has(target)) {
          states.add(target);
          stack.push(target);
        }
    }
    return states;
  };
  let current = closure(new Set([0]), true);
  for (const ch of path) {
    const next = new Set<number>();
    for (const state of current) {
      if (state > n) {
        next.add(state);
        if (ch === '/') next.add(state - n);
        continue;
      }
      if (state === n) continue;
      const token = tokens[state]!;
      if (token.t === 'lit' && token.c === ch) next.add(state + 1);
      else if (token.t === 'any' && ch !== '/') next.add(state + 1);
      else if (token.t === 'star' && ch !== '/') next.add(state);
      else if (token.t === 'all') next.add(state);
      else if (token.t === 'class') {
        const inside = token.ranges.some(([lo, hi]) => ch >= lo && ch <= hi);
        if (inside !== token.negated) next.add(state + 1);
      }
    }
    current = closure(next, false);
    if (current.size === 0) return false;
  }
  return current.has(n);
}

function matchOne(pattern: IgnorePattern, path: string): boolean {
  if (pattern.kind === 'exact') return path === pattern.text;
  if (pattern.kind === 'prefix') return path.startsWith(pattern.text.slice(0, -2));
  if (pattern.kind === 'suffix') {
    const suffix = pattern.text.slice(2);
    return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
  }
  return runAutomaton(pattern.tokens, path);
}

/** Docker's matcher over a .dockerignore's patterns. */
export class DockerignoreMatcher {
  readonly patterns: IgnorePattern[];

  constructor(patterns: string[]) {
    this.patterns = [];
    for (const raw of patterns) {
      let text = raw.trim();
      if (!text) continue;
      text = cleanPath(text);
      const exclusion = text.startsWith('!');
      if (exclusion) {
        if (text.length === 1) badPattern(raw, 'a lone "!"');
        text = text.slice(1);
      }
      this.patterns.push(compile(text, exclusion));
    }
  }

  /** True when some `!` exception exists (excluded directories must then be walked into). */
  get hasExceptions(): boolean {
    return this.patterns.some((pattern) => pattern.exclusion);
  }

  /** True when `path` (relative, `/`-separated) is excluded (MatchesOrParentMatches). */
  excludes(path: string): boolean {
    let matched = false;
    const slash = path.lastIndexOf('/');
    const parents = slash < 0 ? [] : path.slice(0, slash).split('/');
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = matchOne(pattern, path);
      for (let i = 0; !match && i < parents.length; i += 1)
        match = matchOne(pattern, parents.slice(0, i + 1).join('/'));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** Whether an excluded directory must still be walked, because an exception may reach inside. */
  mayIncludeBelow(dir: string): boolean {
    return this.patterns.some(
      (pattern) => pattern.exclusion && `${pattern.text}/`.startsWith(`${dir}/`),
    );
  }
}
