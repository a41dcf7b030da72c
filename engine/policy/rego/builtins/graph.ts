// walk and graph builtins.
import { typeError } from '../errors.ts';
import { RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { sortValues } from '../value-ops.ts';
import { obj } from './args.ts';
import type { BuiltinTable } from './types.ts';

function walkInto(v: Value, path: Value[], out: Value[]): void {
  out.push([[...path], v]);
  if (Array.isArray(v)) v.forEach((x, i) => walkInto(x, [...path, i], out));
  else if (v instanceof RObject)
    for (const k of sortValues(v.keys())) walkInto(v.get(k)!, [...path, k], out);
  else if (v instanceof RSet)
    for (const x of sortValues(v.values())) walkInto(x, [...path, x], out);
}

function neighbours(name: string, g: RObject, node: Value): Value[] {
  const e = g.get(node);
  if (e === undefined || e === null) return [];
  if (Array.isArray(e)) return e;
  if (e instanceof RSet) return e.values();
  return typeError(
    name,
    `operand 1 must be object[any: any<array[any], set[any]>] but got ${typeName(e)}`,
  );
}

function initial(name: string, v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.values();
  return typeError(name, `operand 2 must be one of {array, set} but got ${typeName(v)}`);
}

function reachable(g: RObject, from: Value[], name: string): RSet {
  const seen = new RSet();
  const queue = [...from];
  while (queue.length) {
    const n = queue.shift()!;
    if (seen.has(n) || !g.has(n)) continue;
    seen.add(n);
    queue.push(...neighbours(name, g, n));
  }
  return seen;
}

function paths(g: RObject, node: Value, path: Value[], out: RSet, name: string): void {
  const next = neighbours(name, g, node).filter(
    (n) => g.has(n) && !path.some((p) => typeof p === typeof n && p === n),
  );
  if (next.length === 0) {
    out.add(path);
    return;
  }
  for (const n of next) paths(g, n, [...path, n], out, name);
}

/** walk and graph builtins. */
export const graphBuiltins: BuiltinTable = {
  walk: {
    arity: 1,
    multi: true,
    fn: ([v]) => {
      const out: Value[] = [];
      walkInto(v!, [], out);
      return out;
    },
  },
  'graph.reachable': {
    arity: 2,
    fn: (args) =>
      reachable(
        obj('graph.reachable', args, 0),
        initial('graph.reachable', args[1]!),
        'graph.reachable',
      ),
  },
  'graph.reachable_paths': {
    arity: 2,
    fn: (args) => {
      const g = obj('graph.reachable_paths', args, 0);
      const out = new RSet();
      for (const n of initial('graph.reachable_paths', args[1]!))
        if (g.has(n)) paths(g, n, [n], out, 'graph.reachable_paths');
      return out;
    },
  },
};
