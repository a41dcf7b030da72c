// Body reordering for safety, as OPA's compiler does: an expression that reads a variable is
// moved after the expression that binds it, so `x = y; y = 1` evaluates as written in OPA.
import type { Expr, Rule, Term } from './ast.ts';

function deepVars(t: Term | undefined, out: Set<string>): void {
  if (!t) return;
  switch (t.type) {
    case 'var':
      out.add(t.name);
      return;
    case 'ref':
      deepVars(t.head, out);
      t.path.forEach((p) => deepVars(p, out));
      return;
    case 'array':
    case 'set':
      t.items.forEach((i) => deepVars(i, out));
      return;
    case 'object':
      t.pairs.forEach(([k, v]) => (deepVars(k, out), deepVars(v, out)));
      return;
    case 'arraycompr':
    case 'setcompr':
      deepVars(t.term, out);
      t.body.forEach((e) => exprDeepVars(e, out));
      return;
    case 'objectcompr':
      deepVars(t.key, out);
      deepVars(t.value, out);
      t.body.forEach((e) => exprDeepVars(e, out));
      return;
    case 'call':
      t.args.forEach((a) => deepVars(a, out));
      return;
    case 'template':
      t.parts.forEach((p) => typeof p !== 'string' && deepVars('withs' in p ? p.withs : p, out));
      return;
  }
}

function exprDeepVars(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'term':
      deepVars(e.term, out);
      break;
    case 'unify':
    case 'assign':
      deepVars(e.left, out);
      deepVars(e.right, out);
      break;
    case 'some':
      break;
    case 'body':
      e.body.forEach((b) => exprDeepVars(b, out));
      break;
    case 'somein':
      deepVars(e.key, out);
      deepVars(e.value, out);
      deepVars(e.coll, out);
      break;
    case 'every':
      deepVars(e.domain, out);
      e.body.forEach((b) => exprDeepVars(b, out));
      break;
  }
  e.with.forEach((w) => deepVars(w.value, out));
}

/** Vars a term binds when unified as a pattern or iterated as a ref. */
function provides(t: Term | undefined, pattern: boolean, out: Set<string>): void {
  if (!t) return;
  switch (t.type) {
    case 'var':
      if (pattern) out.add(t.name);
      return;
    case 'ref':
      provides(t.head, false, out);
      t.path.forEach((p) => provides(p, true, out));
      return;
    case 'array':
    case 'set':
      t.items.forEach((i) => provides(i, pattern, out));
      return;
    case 'object':
      t.pairs.forEach(([, v]) => provides(v, pattern, out));
      return;
    case 'call':
      t.args.forEach((a) => provides(a, false, out));
      return;
  }
}

type Info = { expr: Expr; needs: Set<string>; gives: Set<string>; pairs: [string, string][] };

/** Var/var pairs at aligned positions of a unification: one side must be bound first. */
function varPairs(a: Term, b: Term, out: [string, string][]): void {
  if (a.type === 'var' && b.type === 'var') out.push([a.name, b.name]);
  else if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length)
    a.items.forEach((x, i) => varPairs(x, b.items[i]!, out));
}

function info(e: Expr): Info {
  const all = new Set<string>();
  exprDeepVars(e, all);
  const gives = new Set<string>();
  if (!e.negated) {
    switch (e.kind) {
      case 'term':
        provides(e.term, false, gives);
        if (e.term.type === 'call' && e.term.args.length > 0)
          provides(e.term.args[e.term.args.length - 1], true, gives);
        break;
      case 'unify':
      case 'assign':
        provides(e.left, true, gives);
        provides(e.right, e.kind === 'unify', gives);
        break;
      case 'somein':
        provides(e.key, true, gives);
        provides(e.value, true, gives);
        provides(e.coll, false, gives);
        break;
      default:
        break;
    }
  }
  const needs = new Set([...all].filter((v) => !gives.has(v)));
  const pairs: [string, string][] = [];
  if (e.kind === 'unify' && !e.negated) varPairs(e.left, e.right, pairs);
  return { expr: e, needs, gives, pairs };
}

/** Reorder a body so that each expression comes after those binding the vars it reads. */
export function reorderBody(body: Expr[]): Expr[] {
  if (body.length < 2) return body.map(reorderExpr);
  const infos = body.map((e) => info(reorderExpr(e)));
  const produced = new Map<string, number>();
  infos.forEach((inf) => inf.gives.forEach((v) => produced.set(v, (produced.get(v) ?? 0) + 1)));
  const safe = new Set<string>();
  const out: Expr[] = [];
  const left = [...infos];
  while (left.length) {
    const later = (v: string, inf: Info): boolean =>
      !safe.has(v) && left.some((o) => o !== inf && o.gives.has(v));
    const pairOk = (inf: Info, [a, b]: [string, string]): boolean =>
      safe.has(a) || safe.has(b) || (!later(a, inf) && !later(b, inf));
    const idx = left.findIndex(
      (inf) =>
        [...inf.needs].every((v) => safe.has(v) || !produced.has(v)) &&
        inf.pairs.every((p) => pairOk(inf, p)),
    );
    const pick = idx < 0 ? 0 : idx;
    const inf = left.splice(pick, 1)[0]!;
    inf.gives.forEach((v) => safe.add(v));
    inf.needs.forEach((v) => safe.add(v));
    out.push(inf.expr);
  }
  return out;
}

function reorderTerm(t: Term): Term {
  switch (t.type) {
    case 'arraycompr':
    case 'setcompr':
      return { ...t, term: reorderTerm(t.term), body: reorderBody(t.body) };
    case 'objectcompr':
      return { ...t, body: reorderBody(t.body) };
    case 'array':
    case 'set':
      return { ...t, items: t.items.map(reorderTerm) };
    case 'object':
      return {
        ...t,
        pairs: t.pairs.map(([k, v]) => [reorderTerm(k), reorderTerm(v)] as [Term, Term]),
      };
    case 'call':
      return { ...t, args: t.args.map(reorderTerm) };
    case 'ref':
      return { ...t, head: reorderTerm(t.head), path: t.path.map(reorderTerm) };
    default:
      return t;
  }
}

function reorderExpr(e: Expr): Expr {
  switch (e.kind) {
    case 'term':
      return { ...e, term: reorderTerm(e.term) };
    case 'unify':
    case 'assign':
      return { ...e, left: reorderTerm(e.left), right: reorderTerm(e.right) };
    case 'every':
    case 'body':
      return { ...e, body: reorderBody(e.body) };
    default:
      return e;
  }
}

/** Reorder every body of a rule (and its else chain). */
export function reorderRule(r: Rule): Rule {
  return {
    ...r,
    value: reorderTerm(r.value),
    body: reorderBody(r.body),
    else: r.else && reorderRule(r.else),
  };
}
