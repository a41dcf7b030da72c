// Object builtins: object.get/keys/remove/union/filter/subset.
import { typeError } from '../errors.ts';
import { RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { equals } from '../value-ops.ts';
import { lookup } from '../eval-util.ts';
import { obj, oneOf } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function keySet(name: string, v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.values();
  if (v instanceof RObject) return v.keys();
  return oneOf(name, 1, 'object, set, array', v);
}

/** Deep-merge b into a (b wins), as object.union does. */
export function unionObjects(a: RObject, b: RObject): RObject {
  const out = RObject.of(a.entries());
  for (const [k, v] of b.entries()) {
    const prev = out.get(k);
    out.set(k, prev instanceof RObject && v instanceof RObject ? unionObjects(prev, v) : v);
  }
  return out;
}

function subset(sup: Value, sub: Value): boolean {
  if (sup instanceof RObject && sub instanceof RObject) {
    return sub.entries().every(([k, v]) => {
      const s = sup.get(k);
      return (
        s !== undefined &&
        (s instanceof RObject && v instanceof RObject
          ? subset(s, v)
          : equals(s, v) || (s instanceof RSet && v instanceof RSet && subset(s, v)))
      );
    });
  }
  if (sup instanceof RSet && sub instanceof RSet) return sub.values().every((v) => sup.has(v));
  if (Array.isArray(sup) && sub instanceof RSet)
    return sub.values().every((v) => sup.some((x) => equals(x, v)));
  if (Array.isArray(sup) && Array.isArray(sub)) {
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++)
      if (sub.every((v, j) => equals(sup[i + j]!, v))) return true;
    return false;
  }
  return typeError(
    'object.subset',
    `both arguments must be objects, sets, or arrays (got ${typeName(sup)} and ${typeName(sub)})`,
  );
}

/** Object builtins. */
export const objectBuiltins: BuiltinTable = {
  'object.get': def(3, (args) => {
    const o = args[0]!;
    if (!(o instanceof RObject))
      return typeError('object.get', `operand 1 must be object but got ${typeName(o)}`);
    const key = args[1]!;
    if (!Array.isArray(key)) return o.get(key) ?? args[2];
    let cur: Value | undefined = o;
    for (const seg of key) {
      cur = cur === undefined ? undefined : lookup(cur, seg);
      if (cur === undefined) return args[2];
    }
    return cur;
  }),
  'object.keys': def(1, (args) => RSet.of(obj('object.keys', args, 0).keys())),
  'object.remove': def(2, (args) => {
    const o = obj('object.remove', args, 0);
    const drop = RSet.of(keySet('object.remove', args[1]!));
    return RObject.of(o.entries().filter(([k]) => !drop.has(k)));
  }),
  'object.filter': def(2, (args) => {
    const o = obj('object.filter', args, 0);
    const keep = RSet.of(keySet('object.filter', args[1]!));
    return RObject.of(o.entries().filter(([k]) => keep.has(k)));
  }),
  'object.union': def(2, (args) =>
    unionObjects(obj('object.union', args, 0), obj('object.union', args, 1)),
  ),
  'object.union_n': def(1, ([v]) => {
    if (!Array.isArray(v))
      return typeError('object.union_n', `operand 1 must be array but got ${typeName(v!)}`);
    return v.reduce<RObject>(
      (a, x) =>
        unionObjects(
          a,
          x instanceof RObject
            ? x
            : typeError('object.union_n', 'operand 1 must be array of objects'),
        ),
      new RObject(),
    );
  }),
  'object.subset': def(2, ([a, b]) => subset(a!, b!)),
};
