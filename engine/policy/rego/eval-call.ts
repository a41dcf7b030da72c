// Function calls: builtins (with strict-error handling), user functions and `with` mocks.
import type { Term } from './ast.ts';
import { BuiltinError, RegoError } from './errors.ts';
import type { Location } from './errors.ts';
import type { Builtin } from './builtins/types.ts';
import { RObject } from './value.ts';
import type { Value } from './value.ts';
import { metadataChain } from './eval-metadata.ts';
import { toRegoText } from './value-ops.ts';
import type { Evaluator, VK } from './eval.ts';
import { fnPath } from './eval-util.ts';
import { callFunction, functionArity } from './eval-data.ts';

const names = new WeakMap<Term, string>();

/** Evaluate a call term: builtin, user function, or a `with` replacement. */
export function evalCall(ev: Evaluator, t: Term & { type: 'call' }, k: VK): boolean {
  const fn = t.fn;
  let name = names.get(fn);
  if (name === undefined) names.set(fn, (name = fn.type === 'var' ? fn.name : fnPath(fn)));
  if (ev.overrides.fns.size) {
    const override = ev.overrides.fns.get(name);
    if (override !== undefined) return override(t, k);
  }
  if (name === 'print') return evalPrint(ev, t, k);
  if (name === 'rego.metadata.rule')
    return callWith(ev, t, 0, () => ev.currentRule?.annotations ?? new RObject(), k);
  if (name === 'rego.metadata.chain') return callWith(ev, t, 0, () => metadataChain(ev), k);
  if (fn.type === 'var') {
    const b = ev.builtins.get(name);
    if (!b) throw new RegoError('rego_type_error', `undefined function ${name}`, t.loc);
    return callWith(ev, t, b.arity, (args) => callBuiltin(ev, name, b, args, t.loc), k, b.multi);
  }
  const path = name.split('.').slice(1);
  const arity = functionArity(ev, path);
  if (arity === undefined)
    throw new RegoError('rego_type_error', `undefined function ${name}`, t.loc);
  return callWith(ev, t, arity, (args) => callFunction(ev, path, args), k);
}

// print takes any number of operands and never fails, even on undefined ones (OPA prints
// "<undefined>"); output goes to the optional print hook so the core stays I/O free.
function evalPrint(ev: Evaluator, t: Term & { type: 'call' }, k: VK): boolean {
  const parts = t.args.map((a) => {
    let out = '<undefined>';
    ev.evalTerm(a, (v) => ((out = typeof v === 'string' ? v : toRegoText(v)), true));
    return out;
  });
  ev.print?.(parts.join(' '), t.loc);
  return k(true);
}

/** Evaluate call arguments, invoke, and bind an extra output argument if present. */
export function callWith(
  ev: Evaluator,
  t: Term & { type: 'call' },
  arity: number,
  invoke: (args: Value[]) => Value | undefined,
  k: VK,
  multi = false,
): boolean {
  const inputs = t.args.length > arity ? t.args.slice(0, arity) : t.args;
  const out = t.args.length > arity ? t.args[arity] : undefined;
  // Refs are evaluated before plain vars so `x == a[x]` binds x by iteration first, as
  // OPA's compiler does by hoisting refs out of call arguments.
  if (inputs.some((a) => a.type === 'var') && inputs.some((a) => a.type === 'ref')) {
    const order = inputs
      .map((a, i) => [a, i] as const)
      .sort((a, b) => Number(a[0].type === 'var') - Number(b[0].type === 'var'));
    return ev.evalList(
      order.map((o) => o[0]),
      0,
      [],
      (vals) => {
        const args: Value[] = [];
        order.forEach((o, j) => (args[o[1]] = vals[j]!));
        return finishCall(ev, args, invoke, out, k, multi);
      },
    );
  }
  return ev.evalList(inputs, 0, [], (args) => finishCall(ev, args, invoke, out, k, multi));
}

function finishCall(
  ev: Evaluator,
  args: Value[],
  invoke: (args: Value[]) => Value | undefined,
  out: Term | undefined,
  k: VK,
  multi: boolean,
): boolean {
  const res = invoke(args);
  if (res === undefined) return false;
  const results = multi ? (res as Value[]) : [res];
  for (const r of results) {
    if (out ? ev.unify(out, r, () => k(true)) : k(r)) return true;
  }
  return false;
}

/** Invoke a builtin, turning its errors into undefined unless strict. */
export function callBuiltin(
  ev: Evaluator,
  name: string,
  b: Builtin,
  args: Value[],
  loc?: Location,
): Value | undefined {
  try {
    return b.fn(args, ev.ctx);
  } catch (err) {
    if (
      err instanceof BuiltinError ||
      (err instanceof RegoError && err.code !== 'eval_conflict_error')
    ) {
      if (!ev.strict) return undefined;
      ev.firstError ??= err.at(loc);
      return undefined;
    }
    if (err instanceof RegoError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (ev.strict) ev.firstError ??= new RegoError('eval_builtin_error', `${name}: ${msg}`, loc);
    return undefined;
  }
}
