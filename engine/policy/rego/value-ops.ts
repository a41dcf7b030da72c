// Ordering, equality and conversion of values, following OPA's total order:
// null < boolean < number < string < array < object < set.
import {
  RObject,
  RSet,
  compare,
  compareNumbers,
  compareStrings,
  isNumber,
  num,
  numberText,
  keyOf,
  sortValues,
} from './value.ts';

export { compare, compareNumbers, sortValues };
import type { Value } from './value.ts';

/** Structural equality. */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return keyOf(a) === keyOf(b);
}

/** Convert parsed JSON (numbers possibly bigint) into a Value. */
export function fromJS(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number' || typeof x === 'bigint') return num(x);
  if (typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(fromJS);
  const o = new RObject();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, fromJS(v));
  return o;
}

type JSONReviverContext = { source?: string };

/** Parse JSON text keeping integers beyond 2^53 exact. */
export function parseJSON(text: string): Value {
  const reviver = (_k: string, v: unknown, ctx?: JSONReviverContext): unknown => {
    if (
      typeof v === 'number' &&
      ctx?.source !== undefined &&
      /^-?\d+$/.test(ctx.source) &&
      !Number.isSafeInteger(v)
    ) {
      return BigInt(ctx.source);
    }
    return v;
  };
  return fromJS(JSON.parse(text, reviver as (k: string, v: unknown) => unknown));
}

/** JSON text of a key that is not a string (OPA serialises such keys as their JSON). */
export function keyString(k: Value): string {
  return typeof k === 'string' ? k : toJSONText(k);
}

const htmlEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

function quote(s: string, escapeHTML: boolean): string {
  const q = JSON.stringify(s);
  return escapeHTML ? q.replace(/[<>&]/g, (c) => htmlEscapes[c]!) : q;
}

/** Serialise as Go's encoding/json would (sorted keys, sets as sorted arrays). */
export function toJSONText(v: Value, escapeHTML = true): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (isNumber(v)) return numberText(v);
  if (typeof v === 'string') return quote(v, escapeHTML);
  if (Array.isArray(v)) return '[' + v.map((x) => toJSONText(x, escapeHTML)).join(',') + ']';
  if (v instanceof RSet)
    return (
      '[' +
      sortValues(v.values())
        .map((x) => toJSONText(x, escapeHTML))
        .join(',') +
      ']'
    );
  const entries = v.entries().map(([k, x]) => [keyString(k), x] as const);
  entries.sort((p, q) => compareStrings(p[0], q[0]));
  return (
    '{' +
    entries.map(([k, x]) => quote(k, escapeHTML) + ':' + toJSONText(x, escapeHTML)).join(',') +
    '}'
  );
}

/** Rego source-like rendering, as OPA prints values in messages and sprintf %v. */
export function toRegoText(v: Value): string {
  if (v === null || typeof v === 'boolean' || isNumber(v)) return toJSONText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(toRegoText).join(', ') + ']';
  if (v instanceof RSet) {
    if (v.size === 0) return 'set()';
    return '{' + sortValues(v.values()).map(toRegoText).join(', ') + '}';
  }
  return (
    '{' +
    v
      .entries()
      .map(([k, x]) => toRegoText(k) + ': ' + toRegoText(x))
      .join(', ') +
    '}'
  );
}
