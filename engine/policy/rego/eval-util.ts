// Helpers of the evaluator that need no evaluator state: constant folding of literals, lookups
// and function names.
import type { Term } from './ast.ts';
import { RObject, RSet } from './value.ts';
import type { Value } from './value.ts';

/** Call f for each key/value of a collection in OPA's order; true when f stopped the walk. */
export function iterateValue(c: Value, f: (key: Value, val: Value) => boolean): boolean {
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) if (f(i, c[i]!)) return true;
  } else if (c instanceof RObject) {
    for (const [key, val] of c.entries()) if (f(key, val)) return true;
  } else if (c instanceof RSet) {
    for (const v of c.values()) if (f(v, v)) return true;
  }
  return false;
}

const constants = new WeakMap<Term, Value | null>();

/** The value of a composite literal made only of scalars (computed once), else undefined. */
export function constantOf(t: Term): Value | undefined {
  const hit = constants.get(t);
  if (hit !== undefined) return hit ?? undefined;
  const v = buildConstant(t);
  constants.set(t, v ?? null);
  return v;
}

function buildConstant(t: Term): Value | undefined {
  switch (t.type) {
    case 'scalar':
      return t.value;
    case 'array':
    case 'set': {
      const items: Value[] = [];
      for (const i of t.items) {
        const v = constantOf(i);
        if (v === undefined) return undefined;
        items.push(v);
      }
      return t.type === 'array' ? items : RSet.of(items);
    }
    case 'object': {
      const o = new RObject();
      for (const [kt, vt] of t.pairs) {
        const key = constantOf(kt);
        const val = constantOf(vt);
        if (key === undefined || val === undefined) return undefined;
        o.set(key, val);
      }
      return o;
    }
    default:
      return undefined;
  }
}

/** The dotted name of a function ref (data.pkg.f). */
export function fnPath(t: Term): string {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return '?';
  return [t.head.name, ...t.path.map((p) => (p.type === 'scalar' ? String(p.value) : '?'))].join(
    '.',
  );
}

/** Index into a collection; undefined when absent. */
export function lookup(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v))
    return typeof key === 'number' && Number.isInteger(key) ? v[key] : undefined;
  if (v instanceof RObject) return v.get(key);
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return undefined;
}
