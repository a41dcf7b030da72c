// Conversions and utility builtins: to_number, casts, any/all, print/trace, rand.intn,
// opa.runtime, set_diff, regex.template_match.
import { builtinError, typeError } from '../errors.ts';
import { RObject, RSet, isNumber, num, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { collection, intArg, setArg, str } from './args.ts';
import { compileRegex } from './regex.ts';
import { globsMatch } from './globs-match.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function toNumber(v: Value): Value {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumber(v)) return v;
  if (typeof v === 'string') {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v))
      return builtinError(
        'to_number',
        `strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`,
      );
    if (/^[+-]?\d+$/.test(v)) return num(BigInt(v));
    return num(Number(v));
  }
  return typeError(
    'to_number',
    `operand 1 must be one of {null, boolean, number, string} but got ${typeName(v)}`,
  );
}

function templateMatch(template: string, value: string, open: string, close: string): boolean {
  let src = '';
  let i = 0;
  while (i < template.length) {
    const s = template.indexOf(open, i);
    if (s < 0) {
      src += template.slice(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      break;
    }
    src += template.slice(i, s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const e = template.indexOf(close, s + open.length);
    if (e < 0)
      builtinError(
        'regex.template_match',
        `unbalanced braces in template ${JSON.stringify(template)}`,
      );
    src += '(?:' + compileRegex(template.slice(s + open.length, e)).source + ')';
    i = e + close.length;
  }
  return new RegExp(`^${src}$`, 'u').test(value);
}

/** Conversion and utility builtins. */
export const conversionBuiltins: BuiltinTable = {
  to_number: def(1, ([v]) => toNumber(v!)),
  cast_array: def(1, ([v]) =>
    Array.isArray(v)
      ? v
      : v instanceof RSet
        ? v.values()
        : typeError('cast_array', `operand 1 must be one of {array, set} but got ${typeName(v!)}`),
  ),
  cast_set: def(1, ([v]) =>
    v instanceof RSet
      ? v
      : Array.isArray(v)
        ? RSet.of(v)
        : typeError('cast_set', `operand 1 must be one of {array, set} but got ${typeName(v!)}`),
  ),
  cast_string: def(1, ([v]) =>
    typeof v === 'string'
      ? v
      : typeError('cast_string', `operand 1 must be string but got ${typeName(v!)}`),
  ),
  cast_boolean: def(1, ([v]) =>
    typeof v === 'boolean'
      ? v
      : typeError('cast_boolean', `operand 1 must be boolean but got ${typeName(v!)}`),
  ),
  cast_null: def(1, ([v]) =>
    v === null ? v : typeError('cast_null', `operand 1 must be null but got ${typeName(v!)}`),
  ),
  cast_object: def(1, ([v]) =>
    v instanceof RObject
      ? v
      : typeError('cast_object', `operand 1 must be object but got ${typeName(v!)}`),
  ),
  any: def(1, (a) => collection('any', a, 0).some((v) => v === true)),
  all: def(1, (a) => collection('all', a, 0).every((v) => v === true)),
  set_diff: def(2, (a) => {
    const b = setArg('set_diff', a, 1);
    return RSet.of(
      setArg('set_diff', a, 0)
        .values()
        .filter((v) => !b.has(v)),
    );
  }),
  // print and trace only matter to a debugger; evaluation continues as in OPA.
  trace: def(1, (a) => (str('trace', a, 0), true)),
  'opa.runtime': def(0, () => new RObject()),
  'rand.intn': def(2, (a, ctx) => {
    const key = `rand.intn:${str('rand.intn', a, 0)}:${intArg('rand.intn', a, 1)}`;
    const hit = ctx.cache.get(key);
    if (hit !== undefined) return hit;
    const n = Math.abs(intArg('rand.intn', a, 1));
    const v = n === 0 ? 0 : Math.floor(Math.random() * n);
    ctx.cache.set(key, v);
    return v;
  }),
  'regex.globs_match': def(2, (a) =>
    globsMatch(str('regex.globs_match', a, 0), str('regex.globs_match', a, 1)),
  ),
  'regex.template_match': def(4, (a) =>
    templateMatch(
      str('regex.template_match', a, 0),
      str('regex.template_match', a, 1),
      str('regex.template_match', a, 2),
      str('regex.template_match', a, 3),
    ),
  ),
};
