// String builtins. Indexes count Unicode code points, as OPA counts runes.
import { builtinError, typeError } from '../errors.ts';
import { RObject, RSet, isNumber, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { arr, collection, intArg, numArg, obj, str } from './args.ts';
import { sprintf } from './sprintf.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function runeIndex(s: string, sub: string, from = 0): number {
  const i = s.indexOf(sub, from);
  return i < 0 ? -1 : [...s.slice(0, i)].length;
}

function trimSet(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set([...cut]);
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  while (left && a < b && set.has(cs[a]!)) a++;
  while (right && b > a && set.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

function strings(name: string, args: Value[], i: number): string[] {
  const v = args[i]!;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof RSet) {
    return (Array.isArray(v) ? v : v.values()).map((x) =>
      typeof x === 'string'
        ? x
        : typeError(
            name,
            `operand ${i + 1} must be array of strings but got array containing ${typeName(x)}`,
          ),
    );
  }
  return typeError(
    name,
    `operand ${i + 1} must be one of {string, set, array} but got ${typeName(v)}`,
  );
}

const s1 = (name: string, f: (s: string) => Value) => def(1, (args) => f(str(name, args, 0)));
const s2 = (name: string, f: (a: string, b: string) => Value) =>
  def(2, (args) => f(str(name, args, 0), str(name, args, 1)));

/** String builtins. */
export const stringBuiltins: BuiltinTable = {
  concat: def(2, (args) => {
    const d = str('concat', args, 0);
    return collection('concat', args, 1, 'one of {array, set}')
      .map((x) =>
        typeof x === 'string'
          ? x
          : typeError(
              'concat',
              `operand 2 must be array of strings but got array containing ${typeName(x)}`,
            ),
      )
      .join(d);
  }),
  contains: s2('contains', (a, b) => a.includes(b)),
  startswith: s2('startswith', (a, b) => a.startsWith(b)),
  endswith: s2('endswith', (a, b) => a.endsWith(b)),
  lower: s1('lower', (s) => s.toLowerCase()),
  upper: s1('upper', (s) => s.toUpperCase()),
  split: s2('split', (a, b) => (b === '' ? [...a] : a.split(b))),
  replace: def(3, (args) =>
    str('replace', args, 0)
      .split(str('replace', args, 1))
      .join(str('replace', args, 2)),
  ),
  indexof: s2('indexof', (a, b) => runeIndex(a, b)),
  indexof_n: s2('indexof_n', (a, b) => {
    const out: Value[] = [];
    if (b === '') return out;
    for (let i = a.indexOf(b); i >= 0; i = a.indexOf(b, i + 1)) out.push([...a.slice(0, i)].length);
    return out;
  }),
  substring: def(3, (args) => {
    const s = [...str('substring', args, 0)];
    const start = intArg('substring', args, 1);
    const len = intArg('substring', args, 2);
    if (start < 0) builtinError('substring', 'negative offset');
    if (start >= s.length) return '';
    return (len < 0 ? s.slice(start) : s.slice(start, start + len)).join('');
  }),
  trim: s2('trim', (a, b) => trimSet(a, b, true, true)),
  trim_left: s2('trim_left', (a, b) => trimSet(a, b, true, false)),
  trim_right: s2('trim_right', (a, b) => trimSet(a, b, false, true)),
  trim_prefix: s2('trim_prefix', (a, b) => (a.startsWith(b) ? a.slice(b.length) : a)),
  trim_suffix: s2('trim_suffix', (a, b) =>
    b && a.endsWith(b) ? a.slice(0, a.length - b.length) : a,
  ),
  trim_space: s1('trim_space', (s) => s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '')),
  format_int: def(2, (args) => {
    const n = numArg('format_int', args, 0);
    const base = numArg('format_int', args, 1);
    if (![2, 8, 10, 16].includes(Number(base)))
      typeError('format_int', 'operand 2 must be one of {2, 8, 10, 16}');
    const i = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
    return i.toString(Number(base));
  }),
  sprintf: def(2, (args) => sprintf(str('sprintf', args, 0), arr('sprintf', args, 1))),
  'strings.split_n': def(3, (args) => {
    const s = str('strings.split_n', args, 0);
    const d = str('strings.split_n', args, 1);
    const n = intArg('strings.split_n', args, 2);
    const parts = d === '' ? [...s] : s.split(d);
    if (n === 0) return [];
    return n > 0 ? parts.slice(0, n) : parts.slice(Math.max(0, parts.length + n));
  }),
  'strings.reverse': s1('strings.reverse', (s) => [...s].reverse().join('')),
  'strings.count': s2('strings.count', (a, b) =>
    b === '' ? [...a].length + 1 : a.split(b).length - 1,
  ),
  'strings.any_prefix_match': def(2, (args) => {
    const ss = strings('strings.any_prefix_match', args, 0);
    const ps = strings('strings.any_prefix_match', args, 1);
    return ss.some((s) => ps.some((p) => s.startsWith(p)));
  }),
  'strings.any_suffix_match': def(2, (args) => {
    const ss = strings('strings.any_suffix_match', args, 0);
    const ps = strings('strings.any_suffix_match', args, 1);
    return ss.some((s) => ps.some((p) => s.endsWith(p)));
  }),
  'strings.replace_n': def(2, (args) => {
    const pats = obj('strings.replace_n', args, 0);
    let s = str('strings.replace_n', args, 1);
    // OPA hands the pairs to Go's strings.NewReplacer in sorted key order.
    const pairs = [...pats.entries()]
      .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1))
      .map(([k, v]) => {
        if (typeof k !== 'string' || typeof v !== 'string')
          typeError('strings.replace_n', 'operand 1 must be object[string: string]');
        return [k, v] as [string, string];
      });
    let out = '';
    while (s.length) {
      const hit = pairs.find(([k]) => k !== '' && s.startsWith(k));
      if (hit) {
        out += hit[1];
        s = s.slice(hit[0].length);
      } else {
        out += s[0];
        s = s.slice(1);
      }
    }
    return out;
  }),
  'strings.render_template': def(2, (args) => {
    const tpl = str('strings.render_template', args, 0);
    const vars = obj('strings.render_template', args, 1);
    return tpl.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, name: string) => {
      const v = vars.get(name);
      if (v === undefined) return '<undefined>';
      return typeof v === 'string'
        ? v
        : isNumber(v) || typeof v === 'boolean'
          ? String(v)
          : v instanceof RObject
            ? 'map'
            : String(v);
    });
  }),
};
