// Regular expressions and globs. RE2 syntax is approximated with JS RegExp: named groups
// (?P<n>) and leading inline flags are translated; RE2-only constructs (\C, \pN without
// braces, possessive differences) are not supported and make the pattern invalid.
import { builtinError, typeError } from '../errors.ts';
import { typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { intArg, str } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const cache = new Map<string, RegExp>();

/** Compile an RE2-style pattern to a global JS RegExp; throws on invalid patterns. */
export function compileRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let src = pattern.replace(/\(\?P</g, '(?<');
  let flags = 'gu';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\z/g, '$').replace(/\\A/g, '^');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch {
    re = new RegExp(src, flags.replace('u', ''));
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

function regex(name: string, pattern: string): RegExp {
  try {
    const re = compileRegex(pattern);
    re.lastIndex = 0;
    return re;
  } catch (e) {
    return builtinError(
      name,
      `error parsing regexp: ${e instanceof Error ? e.message : 'invalid'}`,
    );
  }
}

function limit(n: number): number {
  return n < 0 ? Infinity : n;
}

function globToRegex(pattern: string, delims: string[]): RegExp {
  const d = delims.map((c) => c.replace(/[\\^\]-]/g, '\\$&')).join('');
  const notDelim = d ? `[^${d}]` : '[\\s\\S]';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[++i] ?? '\\';
      out += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '[\\s\\S]*';
        i++;
      } else out += `${notDelim}*`;
    } else if (c === '?') out += notDelim;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error('unexpected end of input');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body}]`;
      i = end;
    } else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.includes('(?:')) out += '|';
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'u');
}

/** Regex and glob builtins. */
export const regexBuiltins: BuiltinTable = {
  'regex.match': def(2, (a) =>
    regex('regex.match', str('regex.match', a, 0)).test(str('regex.match', a, 1)),
  ),
  re_match: def(2, (a) => regex('re_match', str('re_match', a, 0)).test(str('re_match', a, 1))),
  'regex.is_valid': def(1, ([p]) => {
    if (typeof p !== 'string') return false;
    try {
      compileRegex(p);
      return true;
    } catch {
      return false;
    }
  }),
  'regex.find_n': def(3, (a) => {
    const re = regex('regex.find_n', str('regex.find_n', a, 0));
    const n = limit(intArg('regex.find_n', a, 2));
    return [...str('regex.find_n', a, 1).matchAll(re)].slice(0, n).map((m) => m[0]);
  }),
  'regex.find_all_string_submatch_n': def(3, (a) => {
    const name = 'regex.find_all_string_submatch_n';
    const re = regex(name, str(name, a, 0));
    const n = limit(intArg(name, a, 2));
    return [...str(name, a, 1).matchAll(re)].slice(0, n).map((m) => [...m].map((g) => g ?? ''));
  }),
  'regex.replace': def(3, (a) =>
    str('regex.replace', a, 0).replace(
      regex('regex.replace', str('regex.replace', a, 1)),
      str('regex.replace', a, 2).replace(/\$\{(\w+)\}/g, '$$$1'),
    ),
  ),
  'regex.split': def(2, (a) =>
    str('regex.split', a, 1).split(regex('regex.split', str('regex.split', a, 0))),
  ),
  'glob.quote_meta': def(1, (a) => str('glob.quote_meta', a, 0).replace(/[*?\\[\]{}]/g, '\\$&')),
  'glob.match': def(3, (a) => {
    const pattern = str('glob.match', a, 0);
    const dv = a[1]!;
    let delims: string[];
    if (dv === null) delims = [];
    else if (Array.isArray(dv))
      delims = dv.map((x: Value) =>
        typeof x === 'string'
          ? x
          : typeError(
              'glob.match',
              `operand 2 must be array of strings but got array containing ${typeName(x)}`,
            ),
      );
    else
      return typeError(
        'glob.match',
        `operand 2 must be one of {array, null} but got ${typeName(dv)}`,
      );
    if (Array.isArray(dv) && delims.length === 0) delims = ['.'];
    try {
      return globToRegex(pattern, delims).test(str('glob.match', a, 2));
    } catch (e) {
      return builtinError('glob.match', e instanceof Error ? e.message : 'invalid glob');
    }
  }),
};
