// Evaluation of the `data` document: base data merged with the virtual documents produced by
// rules, plus user-defined function calls. Results are cached per query (per `with` scope).
import type { Term } from './ast.ts';
import { nodeAt } from './compile.ts';
import type { Node, TreeRule } from './compile.ts';
import { RegoError } from './errors.ts';
import type { Evaluator, VK } from './eval.ts';
import { lookup } from './eval-util.ts';
import { RObject, RSet } from './value.ts';
import type { Value } from './value.ts';
import { equals } from './value-ops.ts';
import { overrideAt, applyOverridesBelow } from './eval-with.ts';

// Objects that are the value of a rule: other rules may not extend them (OPA reports a
// conflict), unlike the intermediate objects built from ref heads.
const leafObjects = new WeakSet<RObject>();

const conflict = (msg: string, r?: TreeRule): never => {
  throw new RegoError('eval_conflict_error', msg, r?.loc);
};

function baseAt(ev: Evaluator, path: string[]): Value | undefined {
  let v: Value | undefined = ev.data;
  for (const seg of path) {
    if (v === undefined) return undefined;
    v = lookup(v, seg);
  }
  return v;
}

/** Enumerate values of data.<path>. */
export function evalDataRef(ev: Evaluator, path: Term[], k: VK): boolean {
  return walkNode(ev, ev.policy.root, path, 0, k);
}

function walkNode(
  ev: Evaluator,
  node: Node | undefined,
  path: Term[],
  i: number,
  k: VK,
  base?: string[],
): boolean {
  const here = node ? node.path : base!;
  const ov = overrideAt(ev, here);
  if (ov !== undefined) return ev.walk(ov, path, i, k);
  if (!node) {
    const v = applyOverridesBelow(ev, here, baseAt(ev, here));
    return v === undefined ? false : ev.walk(v, path, i, k);
  }
  if (i === path.length || node.rules.length || node.defaults.length) {
    const v = nodeValue(ev, node);
    return v === undefined ? false : ev.walk(v, path, i, k);
  }
  const p = path[i]!;
  let seg: Value | undefined;
  if (p.type === 'scalar') seg = p.value;
  else if (p.type === 'var' && ev.env.has(p.name)) seg = ev.env.get(p.name);
  if (typeof seg === 'string') {
    const child = node.children.get(seg);
    return walkNode(ev, child, path, i + 1, k, child ? undefined : [...node.path, seg]);
  }
  if (seg !== undefined) return false;
  const v = nodeValue(ev, node);
  return v === undefined ? false : ev.walk(v, path, i, k);
}

/** The full value of a node: base data, rule results and child nodes merged. */
export function nodeValue(ev: Evaluator, node: Node): Value | undefined {
  const key = node.path.join('\u0000');
  if (ev.cache.has(key)) return ev.cache.get(key);
  if (ev.inProgress.has(key))
    throw new RegoError('rego_recursion_error', `rule data.${node.path.join('.')} is recursive`);
  ev.inProgress.add(key);
  try {
    let v = computeNode(ev, node);
    v = applyOverridesBelow(ev, node.path, v);
    ev.cache.set(key, v);
    return v;
  } finally {
    ev.inProgress.delete(key);
  }
}

function computeNode(ev: Evaluator, node: Node): Value | undefined {
  const complete = node.rules.filter((r) => r.kind === 'value' && r.rest.length === 0);
  if (complete.length || (node.defaults.length && !node.rules.length)) {
    const v = completeValue(ev, complete);
    if (v !== undefined) return v;
    const d = node.defaults[0];
    return d ? ev.scoped(() => firstValue(ev, d.value)) : undefined;
  }
  const sets = node.rules.filter((r) => r.kind === 'set' && r.rest.length === 0);
  if (sets.length) return setValue(ev, sets);
  const base = baseAt(ev, node.path);
  const dynamic = node.rules.filter((r) => r.kind === 'value' || r.rest.length > 0);
  if (!dynamic.length && !node.children.size)
    return base ?? (node.isPackage ? new RObject() : undefined);
  const obj = base instanceof RObject ? RObject.of(base.entries()) : new RObject();
  let defined =
    base !== undefined ||
    node.isPackage ||
    dynamic.some((r) => r.rest.length === 1) ||
    node.children.size > 0;
  const owned = new WeakSet<object>([obj]);
  for (const r of dynamic) if (objectRule(ev, r, obj, owned)) defined = true;
  for (const [name, child] of node.children) {
    if (!child.rules.length && !child.children.size && !child.defaults.length && child.funcs.length)
      continue;
    const cv = nodeValue(ev, child);
    if (cv === undefined) continue;
    defined = true;
    const prev = obj.get(name);
    obj.set(name, prev === undefined ? cv : merge(prev, cv, child.rules[0]));
  }
  return defined ? obj : undefined;
}

function merge(a: Value, b: Value, r: TreeRule | undefined): Value {
  if (a instanceof RObject && b instanceof RObject && !leafObjects.has(a) && !leafObjects.has(b)) {
    const out = RObject.of(a.entries());
    for (const [k, v] of b.entries()) {
      const prev = out.get(k);
      out.set(k, prev === undefined ? v : merge(prev, v, r));
    }
    return out;
  }
  if (a instanceof RSet && b instanceof RSet) return RSet.of([...a.values(), ...b.values()]);
  if (!equals(a, b)) conflict('object keys must be unique', r);
  return a;
}

function firstValue(ev: Evaluator, t: Term): Value | undefined {
  let out: Value | undefined;
  ev.evalTerm(t, (v) => ((out = v), true));
  return out;
}

/** All distinct values one rule (following its else chain) produces. */
function ruleValues(ev: Evaluator, r: TreeRule): Value[] {
  for (let cur: TreeRule | undefined = r; cur; cur = cur.else as TreeRule | undefined) {
    const vals: Value[] = [];
    const rule = cur;
    ev.scoped(
      () =>
        ev.evalBody(rule.body, 0, () =>
          ev.evalTerm(rule.value, (v) => {
            if (!vals.some((x) => equals(x, v))) vals.push(v);
            return false;
          }),
        ),
      r,
    );
    if (vals.length) return vals;
  }
  return [];
}

function completeValue(ev: Evaluator, rules: TreeRule[]): Value | undefined {
  let out: Value | undefined;
  for (const r of rules) {
    for (const v of ruleValues(ev, r)) {
      if (out !== undefined && !equals(out, v))
        conflict('complete rules must not produce multiple outputs', r);
      out = v;
    }
  }
  if (out instanceof RObject) leafObjects.add(out);
  return out;
}

function setValue(ev: Evaluator, rules: TreeRule[]): RSet {
  const s = new RSet();
  for (const r of rules) {
    ev.scoped(() => ev.evalBody(r.body, 0, () => ev.evalTerm(r.key!, (v) => (s.add(v), false))), r);
  }
  return s;
}

/** Evaluate a rule with a dynamic head ref into obj; true when it produced anything. */
function objectRule(ev: Evaluator, r: TreeRule, obj: RObject, owned: WeakSet<object>): boolean {
  let any = false;
  ev.scoped(
    () =>
      ev.evalBody(r.body, 0, () =>
        ev.evalList(r.rest, 0, [], (keys) =>
          ev.evalTerm(r.kind === 'set' ? r.key! : r.value, (v) => {
            any = true;
            if (r.kind === 'set') insertSetMember(obj, keys, v, r, owned);
            else insert(obj, keys, v, r, owned);
            return false;
          }),
        ),
      ),
    r,
  );
  return any;
}

// Walk to the object at keys (all but the last), copying shared objects (base data, cached
// values) before writing into them: values are never mutated once another party can see them.
function descend(obj: RObject, keys: Value[], r: TreeRule, owned: WeakSet<object>): RObject {
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = cur.get(keys[i]!);
    let child: RObject;
    if (next === undefined) child = new RObject();
    else if (next instanceof RObject && !leafObjects.has(next))
      child = owned.has(next) ? next : RObject.of(next.entries());
    else return conflict('object keys must be unique', r);
    owned.add(child);
    cur.set(keys[i]!, child);
    cur = child;
  }
  return cur;
}

function insertSetMember(
  obj: RObject,
  keys: Value[],
  v: Value,
  r: TreeRule,
  owned: WeakSet<object>,
): void {
  const cur = descend(obj, keys, r, owned);
  const last = keys[keys.length - 1]!;
  const s = cur.get(last);
  if (s !== undefined && !(s instanceof RSet)) return conflict('object keys must be unique', r);
  const set: RSet = s === undefined ? new RSet() : owned.has(s) ? s : RSet.of(s.values());
  owned.add(set);
  set.add(v);
  cur.set(last, set);
}

function insert(obj: RObject, keys: Value[], v: Value, r: TreeRule, owned: WeakSet<object>): void {
  const cur = descend(obj, keys, r, owned);
  const last = keys[keys.length - 1]!;
  const prev = cur.get(last);
  if (v instanceof RObject) leafObjects.add(v);
  if (prev !== undefined && !equals(prev, v)) conflict('object keys must be unique', r);
  cur.set(last, v);
}

/** Arity of the user function at a data path, if one exists. */
export function functionArity(ev: Evaluator, path: string[]): number | undefined {
  const node = nodeAt(ev.policy.root, path, false);
  const r = node?.funcs[0];
  return r?.args?.length;
}

/** Call a user-defined function; undefined when no body succeeds. */
export function callFunction(ev: Evaluator, path: string[], args: Value[]): Value | undefined {
  const node = nodeAt(ev.policy.root, path, false)!;
  let out: Value | undefined;
  for (const r of node.funcs) {
    if (r.isDefault) continue;
    for (let cur: TreeRule | undefined = r; cur; cur = cur.else as TreeRule | undefined) {
      const rule = cur;
      let produced = false;
      ev.scoped(
        () =>
          unifyArgs(ev, rule.args!, args, 0, () =>
            ev.evalBody(rule.body, 0, () =>
              ev.evalTerm(rule.value, (v) => {
                produced = true;
                if (out !== undefined && !equals(out, v))
                  conflict('functions must not produce multiple outputs for same inputs', rule);
                out = v;
                return false;
              }),
            ),
          ),
        r,
      );
      if (produced) break;
    }
  }
  if (out === undefined) {
    const d = node.funcs.find((x) => x.isDefault);
    if (d) out = ev.scoped(() => firstValue(ev, d.value));
  }
  return out;
}

function unifyArgs(
  ev: Evaluator,
  pats: Term[],
  args: Value[],
  i: number,
  k: () => boolean,
): boolean {
  if (i === pats.length) return k();
  return ev.unify(pats[i]!, args[i]!, () => unifyArgs(ev, pats, args, i + 1, k));
}
