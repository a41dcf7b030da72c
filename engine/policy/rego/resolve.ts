// Name resolution: turns bare names that refer to rules of the same package, imports, `data`
// and `input` into refs, and builtin calls into their dotted names. Locals declared with
// `some`, `:=`, function arguments or `every` shadow rule names.
import type { Expr, Module, Rule, Term } from './ast.ts';

type Scope = { names: Set<string>; parent: Scope | undefined };

/** What a module's names can resolve to. */
export type ResolveContext = { pkg: string[]; ruleNames: Set<string>; imports: Map<string, Term> };

function declared(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function patternVars(t: Term | undefined, out: Set<string>): void {
  if (!t) return;
  if (t.type === 'var') out.add(t.name);
  else if (t.type === 'array' || t.type === 'set') t.items.forEach((i) => patternVars(i, out));
  else if (t.type === 'object') t.pairs.forEach(([, v]) => patternVars(v, out));
}

function bodyDeclarations(body: Expr[]): Set<string> {
  const out = new Set<string>();
  for (const e of body) {
    if (e.kind === 'some') e.vars.forEach((v) => patternVars(v, out));
    else if (e.kind === 'assign') patternVars(e.left, out);
    else if (e.kind === 'somein') {
      patternVars(e.key, out);
      patternVars(e.value, out);
    }
  }
  return out;
}

const dataVar = (loc: Term['loc']): Term => ({ type: 'var', name: 'data', loc });

/** Resolves the names in one module's rules and in queries. */
export class Resolver {
  private readonly ctx: ResolveContext;

  constructor(ctx: ResolveContext) {
    this.ctx = ctx;
  }

  /** Resolve a rule (and its else chain) in place. */
  rule(r: Rule): Rule {
    const names = bodyDeclarations(r.body);
    r.args?.forEach((a) => patternVars(a, names));
    const scope: Scope = { names, parent: undefined };
    const out: Rule = {
      ...r,
      ref: r.ref.map((t, i) => (i === 0 ? t : this.term(t, scope))),
      key: r.key && this.term(r.key, scope),
      value: this.term(r.value, scope),
      args: r.args?.map((a) => this.term(a, scope)),
      body: this.body(r.body, scope),
      else: r.else && this.rule(r.else),
    };
    return out;
  }

  /** Resolve a query or nested body. */
  body(body: Expr[], parent: Scope | undefined): Expr[] {
    const scope: Scope = { names: bodyDeclarations(body), parent };
    return body.map((e) => this.expr(e, scope));
  }

  /** Resolve a top-level query. */
  query(body: Expr[]): Expr[] {
    return this.body(body, undefined);
  }

  private expr(e: Expr, s: Scope): Expr {
    const withs = e.with.map((w) => ({
      ...w,
      target: this.withTarget(w.target, s),
      value: this.term(w.value, s),
    }));
    const base = { negated: e.negated, with: withs, loc: e.loc };
    switch (e.kind) {
      case 'term':
        return { ...base, kind: 'term', term: this.term(e.term, s) };
      case 'unify':
      case 'assign':
        return { ...base, kind: e.kind, left: this.term(e.left, s), right: this.term(e.right, s) };
      case 'some':
        return { ...base, kind: 'some', vars: e.vars };
      case 'body':
        return { ...base, kind: 'body', body: this.body(e.body, s) };
      case 'somein':
        return {
          ...base,
          kind: 'somein',
          key: e.key && this.term(e.key, s),
          value: this.term(e.value, s),
          coll: this.term(e.coll, s),
        };
      case 'every': {
        const names = bodyDeclarations(e.body);
        patternVars(e.key, names);
        patternVars(e.value, names);
        const inner: Scope = { names, parent: s };
        return {
          ...base,
          kind: 'every',
          key: e.key && this.term(e.key, inner),
          value: this.term(e.value, inner),
          domain: this.term(e.domain, s),
          body: this.body(e.body, inner),
        };
      }
    }
  }

  // A `with` target is input/data (or an alias of them), a rule or function of this package,
  // or else a builtin named by its dotted path (`count`, `http.send`).
  private withTarget(t: Term, s: Scope): Term {
    const head = t.type === 'ref' ? t.head : t;
    const name = head.type === 'var' ? head.name : undefined;
    const resolvable =
      name === undefined ||
      name === 'data' ||
      name === 'input' ||
      this.ctx.imports.has(name) ||
      this.ctx.ruleNames.has(name) ||
      declared(s, name);
    if (resolvable) return this.term(t, s);
    return { type: 'var', name: this.dotted(t) ?? name, loc: t.loc };
  }

  private dotted(t: Term): string | undefined {
    if (t.type === 'var') return t.name;
    if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
    const parts = [t.head.name];
    for (const p of t.path) {
      if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
      parts.push(p.value);
    }
    return parts.join('.');
  }

  private name(name: string, loc: Term['loc'], s: Scope | undefined): Term {
    if (declared(s, name) || name.startsWith('$')) return { type: 'var', name, loc };
    if (name === 'data' || name === 'input') return { type: 'var', name, loc };
    const imp = this.ctx.imports.get(name);
    if (imp) return imp;
    if (this.ctx.ruleNames.has(name)) {
      return {
        type: 'ref',
        head: dataVar(loc),
        path: [...this.ctx.pkg, name].map((p) => ({ type: 'scalar', value: p, loc })),
        loc,
      };
    }
    return { type: 'var', name, loc };
  }

  /** Resolve names inside a term. */
  term(t: Term, s: Scope | undefined): Term {
    switch (t.type) {
      case 'scalar':
        return t;
      case 'var':
        return this.name(t.name, t.loc, s);
      case 'ref': {
        const head = this.term(t.head, s);
        const path = t.path.map((p) => this.term(p, s));
        if (head.type === 'ref') return { ...head, path: [...head.path, ...path], loc: t.loc };
        return { ...t, head, path };
      }
      case 'array':
      case 'set':
        return { ...t, items: t.items.map((i) => this.term(i, s)) };
      case 'object':
        return {
          ...t,
          pairs: t.pairs.map(([k, v]) => [this.term(k, s), this.term(v, s)] as [Term, Term]),
        };
      case 'arraycompr':
      case 'setcompr': {
        const inner: Scope = { names: bodyDeclarations(t.body), parent: s };
        return {
          ...t,
          term: this.term(t.term, inner),
          body: t.body.map((e) => this.expr(e, inner)),
        };
      }
      case 'objectcompr': {
        const inner: Scope = { names: bodyDeclarations(t.body), parent: s };
        return {
          ...t,
          key: this.term(t.key, inner),
          value: this.term(t.value, inner),
          body: t.body.map((e) => this.expr(e, inner)),
        };
      }
      case 'template':
        return {
          ...t,
          parts: t.parts.map((p) =>
            typeof p === 'string'
              ? p
              : 'withs' in p
                ? { withs: this.term(p.withs, s) }
                : this.term(p, s),
          ),
        };
      case 'call':
        return { ...t, fn: this.callee(t.fn, s), args: t.args.map((a) => this.term(a, s)) };
    }
  }

  private callee(fn: Term, s: Scope | undefined): Term {
    const headName =
      fn.type === 'var'
        ? fn.name
        : fn.type === 'ref' && fn.head.type === 'var'
          ? fn.head.name
          : undefined;
    if (headName === undefined) return this.term(fn, s);
    if (headName === 'data' || this.ctx.imports.has(headName) || this.ctx.ruleNames.has(headName))
      return this.term(fn, s);
    return { type: 'var', name: this.dotted(fn) ?? headName, loc: fn.loc };
  }
}

/** Build the resolution context of a module given all rule names per package. */
export function moduleContext(m: Module, rulesByPkg: Map<string, Set<string>>): ResolveContext {
  const imports = new Map<string, Term>();
  for (const imp of m.imports) {
    const p = imp.path;
    const head = p.type === 'ref' ? p.head : p;
    if (head.type !== 'var' || (head.name !== 'data' && head.name !== 'input')) continue;
    imports.set(imp.alias, p);
  }
  return { pkg: m.pkg, ruleNames: rulesByPkg.get(m.pkg.join('.')) ?? new Set(), imports };
}
