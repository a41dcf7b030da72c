// Abstract syntax of Rego modules and queries, as produced by the parser and rewritten by the
// compiler (names resolved to data/input refs, wildcards made unique).
import type { Location } from './errors.ts';
import type { Value } from './value.ts';

/** A term: the operands of expressions. */
export type Term =
  | { type: 'scalar'; value: Value; loc: Location }
  | { type: 'var'; name: string; loc: Location }
  | { type: 'ref'; head: Term; path: Term[]; loc: Location }
  | { type: 'array'; items: Term[]; loc: Location }
  | { type: 'set'; items: Term[]; loc: Location }
  | { type: 'object'; pairs: [Term, Term][]; loc: Location }
  | { type: 'arraycompr'; term: Term; body: Expr[]; loc: Location }
  | { type: 'setcompr'; term: Term; body: Expr[]; loc: Location }
  | { type: 'objectcompr'; key: Term; value: Term; body: Expr[]; loc: Location }
  | { type: 'call'; fn: Term; args: Term[]; loc: Location }
  | { type: 'template'; parts: TemplatePart[]; loc: Location };

/**
 * A template-string part: literal text, an embedded term, or an embedded expression with `with`
 * modifiers, held as an array comprehension whose first element is the value.
 */
export type TemplatePart = string | Term | { withs: Term };

/** A `with` modifier: target ref replaced by value while evaluating one expression. */
export type With = { target: Term; value: Term; loc: Location };

/** The body of an expression. */
export type ExprBody =
  | { kind: 'term'; term: Term }
  | { kind: 'unify'; left: Term; right: Term }
  | { kind: 'assign'; left: Term; right: Term }
  | { kind: 'some'; vars: Term[] }
  | { kind: 'somein'; key: Term | undefined; value: Term; coll: Term }
  | { kind: 'body'; body: Expr[] }
  | { kind: 'every'; key: Term | undefined; value: Term; domain: Term; body: Expr[] };

/** One expression of a body. */
export type Expr = ExprBody & { negated: boolean; with: With[]; loc: Location };

/** A rule or function definition; `else` chains the next alternative. */
export type Rule = {
  kind: 'value' | 'set' | 'func';
  ref: Term[];
  key: Term | undefined;
  value: Term;
  args: Term[] | undefined;
  body: Expr[];
  else: Rule | undefined;
  isDefault: boolean;
  assign: boolean;
  loc: Location;
  /** METADATA annotations written above the rule (OPA annotation format). */
  annotations?: Value;
};

/** An import: the imported ref and the name it binds. */
export type Import = { path: Term; alias: string; loc: Location };

/** A parsed module. */
export type Module = {
  file: string;
  pkg: string[];
  imports: Import[];
  rules: Rule[];
  annotations?: Value;
};

/** Build a string scalar term. */
export function str(value: string, loc: Location): Term {
  return { type: 'scalar', value, loc };
}
