// Set and array builtins.
import { typeError } from '../errors.ts';
import { RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { arr, intArg, setArg } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

function intersect(a: RSet, b: RSet): RSet {
  return RSet.of(a.values().filter((v) => b.has(v)));
}

function setsOf(name: string, v: Value): RSet[] {
  if (!(v instanceof RSet)) return typeError(name, `operand 1 must be set but got ${typeName(v)}`);
  return v
    .values()
    .map((s) =>
      s instanceof RSet
        ? s
        : typeError(name, `operand 1 must be set of sets but got set containing ${typeName(s)}`),
    );
}

function flatten(xs: Value[], out: Value[]): Value[] {
  for (const x of xs) {
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}

/** Set and array builtins. */
export const collectionBuiltins: BuiltinTable = {
  and: def(2, (args) => intersect(setArg('and', args, 0), setArg('and', args, 1))),
  or: def(2, (args) =>
    RSet.of([...setArg('or', args, 0).values(), ...setArg('or', args, 1).values()]),
  ),
  intersection: def(1, ([v]) => {
    const sets = setsOf('intersection', v!);
    return sets.length ? sets.reduce(intersect) : new RSet();
  }),
  union: def(1, ([v]) => RSet.of(setsOf('union', v!).flatMap((s) => s.values()))),
  'array.concat': def(2, (args) => [
    ...arr('array.concat', args, 0),
    ...arr('array.concat', args, 1),
  ]),
  'array.reverse': def(1, (args) => [...arr('array.reverse', args, 0)].reverse()),
  'array.flatten': def(1, (args) => flatten(arr('array.flatten', args, 0), [])),
  'array.slice': def(3, (args) => {
    const a = arr('array.slice', args, 0);
    let start = intArg('array.slice', args, 1);
    let stop = intArg('array.slice', args, 2);
    start = Math.max(0, start);
    stop = Math.min(a.length, stop);
    return start >= stop ? [] : a.slice(start, stop);
  }),
};
