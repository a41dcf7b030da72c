// The evaluator core: backtracking search over bodies written in continuation-passing style.
// A continuation returns true to stop the search (used by `not`, `every` and early exits).
// Portable: no Node APIs, so it also runs in the renderer.
import type { Expr, TemplatePart, Term } from './ast.ts';
import { RegoError } from './errors.ts';
import type { Location } from './errors.ts';
import type { Policy, TreeRule } from './compile.ts';
import type { Builtin, BuiltinContext } from './builtins/types.ts';
import { RObject, RSet } from './value.ts';
import type { Value } from './value.ts';
import { equals, toRegoText } from './value-ops.ts';
import { evalDataRef } from './eval-data.ts';
import { evalCall } from './eval-call.ts';
import { constantOf, iterateValue, lookup } from './eval-util.ts';
import { evalWith } from './eval-with.ts';
import type { Overrides } from './eval-with.ts';

/** A continuation: return true to stop. */
export type K = () => boolean;
/** A value continuation. */
export type VK = (v: Value) => boolean;

/** Options of one evaluation. */
export type EvalOptions = {
  input?: Value;
  data?: Value;
  strict?: boolean;
  builtins: Map<string, Builtin>;
  ctx: BuiltinContext;
  print?: (msg: string, loc: Location) => void;
};

/** Evaluates queries against a compiled policy. */
export class Evaluator {
  readonly policy: Policy;
  readonly builtins: Map<string, Builtin>;
  readonly ctx: BuiltinContext;
  readonly strict: boolean;
  readonly print: ((msg: string, loc: Location) => void) | undefined;
  firstError: RegoError | undefined;
  input: Value | undefined;
  data: Value;
  env = new Map<string, Value>();
  trail: string[] = [];
  cache = new Map<string, Value | undefined>();
  inProgress = new Set<string>();
  overrides: Overrides = { data: [], fns: new Map() };
  /** The rule whose body is being evaluated (for rego.metadata.*). */
  currentRule: TreeRule | undefined;

  constructor(policy: Policy, opts: EvalOptions) {
    this.policy = policy;
    this.builtins = opts.builtins;
    this.ctx = opts.ctx;
    this.strict = opts.strict ?? false;
    this.print = opts.print;
    this.input = opts.input;
    this.data = opts.data ?? new RObject();
  }

  bind(name: string, v: Value): void {
    this.env.set(name, v);
    this.trail.push(name);
  }
  undo(mark: number): void {
    while (this.trail.length > mark) this.env.delete(this.trail.pop()!);
  }

  /** Run fn in a fresh variable scope (rule and function bodies), optionally for a rule. */
  scoped<T>(fn: () => T, rule?: TreeRule): T {
    const env = this.env;
    const trail = this.trail;
    const current = this.currentRule;
    this.env = new Map();
    this.trail = [];
    if (rule) this.currentRule = rule;
    try {
      return fn();
    } finally {
      this.env = env;
      this.trail = trail;
      this.currentRule = current;
    }
  }

  evalBody(body: Expr[], i: number, k: K): boolean {
    if (i === body.length) return k();
    return this.evalExpr(body[i]!, () => this.evalBody(body, i + 1, k));
  }

  evalExpr(e: Expr, k: K): boolean {
    if (e.with.length) return evalWith(this, e, k);
    return this.evalExprPlain(e, k);
  }

  evalExprPlain(e: Expr, k: K): boolean {
    if (!e.negated) return this.evalExprInner(e, k);
    const mark = this.trail.length;
    let found = false;
    this.evalExprInner(e, () => (found = true));
    this.undo(mark);
    return found ? false : k();
  }

  private evalExprInner(e: Expr, k: K): boolean {
    try {
      return this.evalExprCore(e, k);
    } catch (err) {
      throw err instanceof RegoError ? err.at(e.loc) : err;
    }
  }

  private evalExprCore(e: Expr, k: K): boolean {
    switch (e.kind) {
      case 'term':
        return this.evalTerm(e.term, (v) => (v === false ? false : k()));
      case 'unify':
        return this.unifyTerms(e.left, e.right, k);
      case 'assign':
        return this.evalTerm(e.right, (v) => this.unify(e.left, v, k));
      case 'some':
        return k();
      case 'body':
        return this.evalBody(e.body, 0, k);
      case 'somein':
        return this.evalTerm(e.coll, (c) =>
          this.iterate(c, (key, val) =>
            this.unify(e.value, val, () => (e.key ? this.unify(e.key, key, k) : k())),
          ),
        );
      case 'every':
        return this.evalTerm(e.domain, (d) => {
          let ok = true;
          this.iterate(d, (key, val) => {
            const mark = this.trail.length;
            const found = this.unify(e.value, val, () =>
              e.key
                ? this.unify(e.key, key, () => this.evalBody(e.body, 0, () => true))
                : this.evalBody(e.body, 0, () => true),
            );
            this.undo(mark);
            ok = found;
            return !found;
          });
          return ok ? k() : false;
        });
    }
  }

  /** Call f for each key/value of a collection (stops when f returns true). */
  iterate(c: Value, f: (key: Value, val: Value) => boolean): boolean {
    return iterateValue(c, f);
  }

  /** Enumerate the values of a term. */
  evalTerm(t: Term, k: VK): boolean {
    switch (t.type) {
      case 'scalar':
        return k(t.value);
      case 'var':
        return this.evalVar(t, k);
      case 'ref':
        return this.evalRef(t, k);
      case 'array':
      case 'set':
      case 'object': {
        const c = constantOf(t);
        if (c !== undefined) return k(c);
        return this.evalComposite(t, k);
      }
      case 'arraycompr':
      case 'setcompr': {
        const out: Value[] = [];
        this.collect(t.body, () => this.evalTerm(t.term, (v) => (out.push(v), false)));
        return k(t.type === 'arraycompr' ? out : RSet.of(out));
      }
      case 'objectcompr': {
        const o = new RObject();
        this.collect(t.body, () =>
          this.evalTerm(t.key, (kv) =>
            this.evalTerm(t.value, (vv) => {
              const prev = o.get(kv);
              if (prev !== undefined && !equals(prev, vv))
                throw new RegoError('eval_conflict_error', 'object keys must be unique', t.loc);
              o.set(kv, vv);
              return false;
            }),
          ),
        );
        return k(o);
      }
      case 'call':
        return evalCall(this, t, k);
      case 'template':
        return this.evalTemplate(t.parts, 0, '', k);
    }
  }

  private evalComposite(t: Term & { type: 'array' | 'set' | 'object' }, k: VK): boolean {
    if (t.type === 'array') return this.evalList(t.items, 0, [], (vs) => k(vs));
    if (t.type === 'set') return this.evalList(t.items, 0, [], (vs) => k(RSet.of(vs)));
    return this.evalList(t.pairs.flat(), 0, [], (vs) => {
      const o = new RObject();
      for (let i = 0; i < vs.length; i += 2) o.set(vs[i]!, vs[i + 1]!);
      return k(o);
    });
  }

  private collect(body: Expr[], f: K): void {
    const mark = this.trail.length;
    this.evalBody(body, 0, f);
    this.undo(mark);
  }

  private evalTemplate(parts: TemplatePart[], i: number, acc: string, k: VK): boolean {
    if (i === parts.length) return k(acc);
    const p = parts[i]!;
    if (typeof p === 'string') return this.evalTemplate(parts, i + 1, acc + p, k);
    const vals: Value[] = [];
    if ('withs' in p) this.evalTerm(p.withs, (v) => (vals.push(...(v as Value[])), true));
    else this.evalTerm(p, (v) => (vals.push(v), true));
    const text =
      vals.length === 0
        ? '<undefined>'
        : typeof vals[0] === 'string'
          ? vals[0]
          : toRegoText(vals[0]!);
    return this.evalTemplate(parts, i + 1, acc + text, k);
  }

  evalList(ts: Term[], i: number, acc: Value[], k: (vs: Value[]) => boolean): boolean {
    if (i === ts.length) return k([...acc]);
    return this.evalTerm(ts[i]!, (v) => {
      acc.push(v);
      const r = this.evalList(ts, i + 1, acc, k);
      acc.pop();
      return r;
    });
  }

  private evalVar(t: Term & { type: 'var' }, k: VK): boolean {
    const v = this.env.get(t.name);
    if (v !== undefined) return k(v);
    if (t.name === 'input') return this.input === undefined ? false : k(this.input);
    if (t.name === 'data') return evalDataRef(this, [], k);
    throw new RegoError('rego_unsafe_var_error', `var ${t.name} is unsafe`, t.loc);
  }

  private evalRef(t: Term & { type: 'ref' }, k: VK): boolean {
    const h = t.head;
    if (h.type === 'var' && !this.env.has(h.name)) {
      if (h.name === 'data') return evalDataRef(this, t.path, k);
      if (h.name === 'input')
        return this.input === undefined ? false : this.walk(this.input, t.path, 0, k);
    }
    return this.evalTerm(h, (v) => this.walk(v, t.path, 0, k));
  }

  /** Walk a value along ref path terms, iterating over unbound variables. */
  walk(v: Value, path: Term[], i: number, k: VK): boolean {
    if (i === path.length) return k(v);
    const p = path[i]!;
    if (p.type === 'var' && !this.env.has(p.name) && p.name !== 'input' && p.name !== 'data') {
      return this.iterate(v, (key, val) => {
        this.bind(p.name, key);
        const r = this.walk(val, path, i + 1, k);
        this.undo(this.trail.length - 1);
        return r;
      });
    }
    if ((p.type === 'array' || p.type === 'object') && !this.isGround(p)) {
      return this.iterate(v, (key, val) =>
        this.unify(p, key, () => this.walk(val, path, i + 1, k)),
      );
    }
    return this.evalTerm(p, (key) => {
      const next = lookup(v, key);
      return next === undefined ? false : this.walk(next, path, i + 1, k);
    });
  }

  /** True when a term has no unbound variables outside refs and calls. */
  isGround(t: Term): boolean {
    switch (t.type) {
      case 'var':
        return this.env.has(t.name) || t.name === 'input' || t.name === 'data';
      case 'array':
      case 'set':
        return t.items.every((x) => this.isGround(x));
      case 'object':
        return t.pairs.every(([a, b]) => this.isGround(a) && this.isGround(b));
      default:
        return true;
    }
  }

  /** Unify a pattern term with a value. */
  unify(t: Term, v: Value, k: K): boolean {
    switch (t.type) {
      case 'var': {
        const cur = this.env.get(t.name);
        if (cur !== undefined || t.name === 'input' || t.name === 'data') {
          return cur !== undefined
            ? equals(cur, v)
              ? k()
              : false
            : this.evalTerm(t, (x) => (equals(x, v) ? k() : false));
        }
        this.bind(t.name, v);
        const r = k();
        this.undo(this.trail.length - 1);
        return r;
      }
      case 'array':
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        return this.unifyItems(t.items, v, 0, k);
      case 'object': {
        if (this.isGround(t)) break;
        if (!(v instanceof RObject) || v.size !== t.pairs.length) return false;
        return this.unifyPairs(t.pairs, v, 0, k);
      }
      default:
        break;
    }
    return this.evalTerm(t, (x) => (equals(x, v) ? k() : false));
  }

  private unifyItems(ts: Term[], vs: Value[], i: number, k: K): boolean {
    if (i === ts.length) return k();
    return this.unify(ts[i]!, vs[i]!, () => this.unifyItems(ts, vs, i + 1, k));
  }

  private unifyPairs(ps: [Term, Term][], o: RObject, i: number, k: K): boolean {
    if (i === ps.length) return k();
    const [kt, vt] = ps[i]!;
    return this.evalTerm(kt, (key) => {
      const val = o.get(key);
      return val === undefined
        ? false
        : this.unify(vt, val, () => this.unifyPairs(ps, o, i + 1, k));
    });
  }

  /** Unify two terms, evaluating whichever side is ground. */
  unifyTerms(a: Term, b: Term, k: K): boolean {
    if (this.isGround(b)) return this.evalTerm(b, (v) => this.unify(a, v, k));
    if (this.isGround(a)) return this.evalTerm(a, (v) => this.unify(b, v, k));
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return false;
      const go = (i: number): boolean =>
        i === a.items.length ? k() : this.unifyTerms(a.items[i]!, b.items[i]!, () => go(i + 1));
      return go(0);
    }
    if (a.type === 'object' && b.type === 'object' && a.pairs.length === b.pairs.length) {
      const go = (i: number): boolean => {
        if (i === a.pairs.length) return k();
        const [ka, va] = a.pairs[i]!;
        return this.evalTerm(ka, (key) => {
          const match = b.pairs.find(([kb]) => kb.type === 'scalar' && equals(kb.value, key));
          return match ? this.unifyTerms(va, match[1], () => go(i + 1)) : false;
        });
      };
      return go(0);
    }
    const name = a.type === 'var' ? a.name : b.type === 'var' ? b.name : '?';
    throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, a.loc);
  }
}
