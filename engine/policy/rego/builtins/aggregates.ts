// Aggregates over collections and strings: count, sum, product, max, min, sort.
import { typeError } from '../errors.ts';
import { RObject, RSet, isInteger, isNumber, num, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { compare, sortValues } from '../value-ops.ts';
import { collection } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function numbers(name: string, args: Value[]): (number | bigint)[] {
  return collection(name, args, 0).map((v) => {
    if (!isNumber(v))
      typeError(
        name,
        `operand 1 must be one of {set, array} containing numbers but got ${typeName(v)}`,
      );
    return v;
  });
}

function fold(
  xs: (number | bigint)[],
  zero: number,
  f: (a: bigint, b: bigint) => bigint,
  g: (a: number, b: number) => number,
): number | bigint {
  if (xs.every(isInteger)) return num(xs.reduce<bigint>((a, x) => f(a, BigInt(x)), BigInt(zero)));
  return xs.reduce<number>((a, x) => g(a, Number(x)), zero);
}

function extreme(name: string, args: Value[], sign: number): Value | undefined {
  const xs = collection(name, args, 0);
  if (xs.length === 0) return undefined;
  return xs.reduce((a, b) => (compare(b, a) * sign > 0 ? b : a));
}

/** Aggregate builtins. */
export const aggregateBuiltins: BuiltinTable = {
  count: def(1, ([v]) => {
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (v instanceof RObject || v instanceof RSet) return v.size;
    return typeError(
      'count',
      `operand 1 must be one of {array, object, set, string} but got ${typeName(v!)}`,
    );
  }),
  sum: def(1, (args) =>
    fold(
      numbers('sum', args),
      0,
      (a, b) => a + b,
      (a, b) => a + b,
    ),
  ),
  product: def(1, (args) =>
    fold(
      numbers('product', args),
      1,
      (a, b) => a * b,
      (a, b) => a * b,
    ),
  ),
  max: def(1, (args) => extreme('max', args, 1)),
  min: def(1, (args) => extreme('min', args, -1)),
  sort: def(1, (args) => sortValues(collection('sort', args, 0))),
};
