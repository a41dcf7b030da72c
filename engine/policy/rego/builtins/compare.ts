// Comparison operators and membership (`in`).
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { compare, equals } from '../value-ops.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function members(c: Value): [Value, Value][] {
  if (Array.isArray(c)) return c.map((v, i) => [i, v]);
  if (c instanceof RObject) return c.entries();
  if (c instanceof RSet) return c.values().map((v) => [v, v]);
  return [];
}

/** Comparison builtins. */
export const compareBuiltins: BuiltinTable = {
  equal: def(2, ([a, b]) => equals(a!, b!)),
  neq: def(2, ([a, b]) => !equals(a!, b!)),
  lt: def(2, ([a, b]) => compare(a!, b!) < 0),
  lte: def(2, ([a, b]) => compare(a!, b!) <= 0),
  gt: def(2, ([a, b]) => compare(a!, b!) > 0),
  gte: def(2, ([a, b]) => compare(a!, b!) >= 0),
  'internal.member_2': def(2, ([x, c]) => {
    if (c instanceof RSet) return c.has(x!);
    return members(c!).some(([, v]) => equals(v, x!));
  }),
  'internal.member_3': def(3, ([k, x, c]) =>
    members(c!).some(([key, v]) => equals(key, k!) && equals(v, x!)),
  ),
};
