// Static checks run after compiling, so a policy pack with a typo fails at import time rather
// than when a gate first reaches the rule: calls to functions that are neither builtins nor
// user-defined, and calls with the wrong number of arguments.
import type { Expr, Rule, Term } from './ast.ts';
import type { Node, Policy, TreeRule } from './compile.ts';
import { nodeAt } from './compile.ts';
import { RegoError } from './errors.ts';
import type { Builtin } from './builtins/types.ts';

function visitTerm(t: Term | undefined, f: (t: Term & { type: 'call' }) => void): void {
  if (!t) return;
  switch (t.type) {
    case 'call':
      f(t);
      t.args.forEach((a) => visitTerm(a, f));
      return;
    case 'ref':
      visitTerm(t.head, f);
      t.path.forEach((p) => visitTerm(p, f));
      return;
    case 'array':
    case 'set':
      t.items.forEach((i) => visitTerm(i, f));
      return;
    case 'object':
      t.pairs.forEach(([k, v]) => (visitTerm(k, f), visitTerm(v, f)));
      return;
    case 'arraycompr':
    case 'setcompr':
      visitTerm(t.term, f);
      visitBody(t.body, f);
      return;
    case 'objectcompr':
      visitTerm(t.key, f);
      visitTerm(t.value, f);
      visitBody(t.body, f);
      return;
    case 'template':
      t.parts.forEach((p) => typeof p !== 'string' && visitTerm('withs' in p ? p.withs : p, f));
      return;
    default:
      return;
  }
}

function visitBody(body: Expr[], f: (t: Term & { type: 'call' }) => void): void {
  for (const e of body) {
    switch (e.kind) {
      case 'term':
        visitTerm(e.term, f);
        break;
      case 'unify':
      case 'assign':
        visitTerm(e.left, f);
        visitTerm(e.right, f);
        break;
      case 'somein':
        visitTerm(e.coll, f);
        break;
      case 'every':
        visitTerm(e.domain, f);
        visitBody(e.body, f);
        break;
      case 'body':
        visitBody(e.body, f);
        break;
      default:
        break;
    }
    e.with.forEach((w) => visitTerm(w.value, f));
  }
}

function rulesOf(n: Node): TreeRule[] {
  return [...n.rules, ...n.funcs, ...n.defaults, ...[...n.children.values()].flatMap(rulesOf)];
}

/** Report calls to unknown functions and arity mismatches (empty when the policy is sound). */
export function checkPolicy(policy: Policy, builtins: Map<string, Builtin>): RegoError[] {
  const errors: RegoError[] = [];
  const check = (t: Term & { type: 'call' }): void => {
    const fn = t.fn;
    let name: string | undefined;
    let arity: number | undefined;
    if (fn.type === 'var') {
      name = fn.name;
      if (name === 'print') return;
      arity = builtins.get(name)?.arity;
    } else if (
      fn.type === 'ref' &&
      fn.head.type === 'var' &&
      fn.head.name === 'data' &&
      fn.path.every((p) => p.type === 'scalar')
    ) {
      const path = fn.path.map((p) => String((p as { value: unknown }).value));
      name = ['data', ...path].join('.');
      arity = nodeAt(policy.root, path, false)?.funcs[0]?.args?.length;
    } else return;
    if (arity === undefined)
      errors.push(new RegoError('rego_type_error', `undefined function ${name}`, t.loc));
    else if (arity >= 0 && t.args.length !== arity && t.args.length !== arity + 1) {
      errors.push(
        new RegoError(
          'rego_type_error',
          `${name}: arity mismatch: expected ${arity} arguments, got ${t.args.length}`,
          t.loc,
        ),
      );
    }
  };
  for (const rule of rulesOf(policy.root)) {
    // else alternatives share the head ref of the first rule, so only it has `rest`.
    rule.rest.forEach((t) => visitTerm(t, check));
    for (let cur: Rule | undefined = rule; cur; cur = cur.else) {
      [cur.key, cur.value, ...(cur.args ?? [])].forEach((t) => visitTerm(t, check));
      visitBody(cur.body, check);
    }
  }
  return errors;
}
