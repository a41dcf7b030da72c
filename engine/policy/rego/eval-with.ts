// `with` modifiers: replace input, parts of data, or functions while one expression runs.
// The continuation runs with the original state restored, so the rest of the body is unaffected.
import type { Expr, Term } from './ast.ts';
import { RegoError } from './errors.ts';
import type { Evaluator, K, VK } from './eval.ts';
import { fnPath, lookup } from './eval-util.ts';
import { functionArity, callFunction } from './eval-data.ts';
import { callBuiltin, callWith } from './eval-call.ts';
import { RObject } from './value.ts';
import type { Value } from './value.ts';

/** Replacement of a function: evaluates a call term. */
export type FnOverride = (t: Term & { type: 'call' }, k: VK) => boolean;

/** Active replacements of one `with` scope. */
export type Overrides = { data: { path: string[]; value: Value }[]; fns: Map<string, FnOverride> };

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/** Copy-on-write set of a nested path. */
export function setPath(base: Value | undefined, path: Value[], v: Value): Value {
  if (path.length === 0) return v;
  const obj = base instanceof RObject ? RObject.of(base.entries()) : new RObject();
  obj.set(path[0]!, setPath(obj.get(path[0]!), path.slice(1), v));
  return obj;
}

/** The overridden value at a data path (or above it), walked down to the path. */
export function overrideAt(ev: Evaluator, path: string[]): Value | undefined {
  for (let i = ev.overrides.data.length - 1; i >= 0; i--) {
    const o = ev.overrides.data[i]!;
    if (!startsWith(path, o.path)) continue;
    let v: Value | undefined = o.value;
    for (const seg of path.slice(o.path.length)) v = v === undefined ? undefined : lookup(v, seg);
    return v ?? null;
  }
  return undefined;
}

/** Patch overrides that lie strictly below a node into its computed value. */
export function applyOverridesBelow(
  ev: Evaluator,
  path: string[],
  v: Value | undefined,
): Value | undefined {
  for (const o of ev.overrides.data) {
    if (o.path.length > path.length && startsWith(o.path, path))
      v = setPath(v, o.path.slice(path.length), o.value);
  }
  return v;
}

function firstValue(ev: Evaluator, t: Term): Value | undefined {
  let out: Value | undefined;
  ev.evalTerm(t, (v) => ((out = v), true));
  return out;
}

function pathStrings(ev: Evaluator, t: Term & { type: 'ref' }): string[] {
  return t.path.map((p) => {
    const v = firstValue(ev, p);
    if (typeof v !== 'string')
      throw new RegoError('rego_type_error', 'with target path must be strings', t.loc);
    return v;
  });
}

function fnReplacement(ev: Evaluator, value: Term, arity: number): FnOverride {
  const name = value.type === 'var' ? value.name : value.type === 'ref' ? fnPath(value) : undefined;
  if (name && value.type === 'var' && ev.builtins.has(name)) {
    const b = ev.builtins.get(name)!;
    return (t, k) => callWith(ev, t, arity, (args) => callBuiltin(ev, name, b, args), k, b.multi);
  }
  if (name?.startsWith('data.')) {
    const path = name.split('.').slice(1);
    if (functionArity(ev, path) !== undefined)
      return (t, k) => callWith(ev, t, arity, (args) => callFunction(ev, path, args), k);
  }
  const v = firstValue(ev, value);
  return (t, k) => callWith(ev, t, arity, () => v, k);
}

/** Evaluate an expression under its `with` modifiers. */
export function evalWith(ev: Evaluator, e: Expr, k: K): boolean {
  const saved = { input: ev.input, overrides: ev.overrides, cache: ev.cache };
  const next: Overrides = { data: [...ev.overrides.data], fns: new Map(ev.overrides.fns) };
  let input = ev.input;
  for (const w of e.with) {
    const t = w.target;
    const head = t.type === 'ref' ? t.head : t;
    if (head.type === 'var' && head.name === 'input') {
      const v = firstValue(ev, w.value);
      if (v === undefined) return false;
      input = setPath(input, t.type === 'ref' ? pathStrings(ev, t) : [], v);
    } else if (t.type === 'var' && t.name !== 'data') {
      const b = ev.builtins.get(t.name);
      if (!b)
        throw new RegoError(
          'rego_compile_error',
          `with keyword replacing built-in function: target must be a function`,
          w.loc,
        );
      next.fns.set(t.name, fnReplacement(ev, w.value, b.arity));
    } else if (head.type === 'var' && head.name === 'data') {
      const path = t.type === 'ref' ? pathStrings(ev, t) : [];
      const arity = functionArity(ev, path);
      if (arity !== undefined)
        next.fns.set(['data', ...path].join('.'), fnReplacement(ev, w.value, arity));
      else {
        const v = firstValue(ev, w.value);
        if (v === undefined) return false;
        next.data.push({ path, value: v });
      }
    } else
      throw new RegoError(
        'rego_compile_error',
        'with keyword target must reference existing input, data, or a function',
        w.loc,
      );
  }
  const enter = (): void => {
    ev.input = input;
    ev.overrides = next;
    ev.cache = new Map();
  };
  const leave = (): void => {
    ev.input = saved.input;
    ev.overrides = saved.overrides;
    ev.cache = saved.cache;
  };
  enter();
  const innerCache = ev.cache;
  try {
    return ev.evalExprPlain(e, () => {
      leave();
      try {
        return k();
      } finally {
        enter();
        ev.cache = innerCache;
      }
    });
  } finally {
    leave();
  }
}
