// Parser for terms, expressions and bodies (shared by modules and queries).
import type { Location } from './errors.ts';
import type { Token } from './lexer.ts';
import { TokenStream } from './parser-tokens.ts';
import type { Expr, ExprBody, TemplatePart, Term, With } from './ast.ts';
import { num } from './value.ts';

const relOps: Record<string, string> = {
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
};
const arithOps: Record<string, string> = { '+': 'plus', '-': 'minus' };
const factorOps: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

let wildcardCounter = 0;

/** Parse a numeric literal, keeping big integers exact. */
export function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : num(BigInt(text));
  }
  return num(Number(text));
}

/** Recursive-descent parser for Rego terms and bodies. */
/** Recursive-descent parser for Rego terms and bodies. */
export class ExprParser extends TokenStream {
  /** Parse a body: expressions separated by ';' or newlines, up to '}' or EOF. */
  parseBody(close: string | null): Expr[] {
    const body: Expr[] = [];
    for (;;) {
      while (this.isP(';')) this.next();
      if (close ? this.isP(close) : this.tok.kind === 'eof') break;
      body.push(this.parseExpr());
      if (close ? this.isP(close) : this.tok.kind === 'eof') break;
      if (this.isP(';')) continue;
      if (!this.tok.nl) this.fail(`unexpected ${this.tok.value || 'EOF'} token`);
    }
    return body;
  }

  /** Parse one expression with its modifiers. */
  parseExpr(): Expr {
    const start = this.tok;
    let negated = false;
    if (this.isKw('not') && this.startsTerm(this.peek())) {
      this.next();
      negated = true;
      if (this.isP('{')) {
        this.next();
        const inner = this.parseBody('}');
        this.expectP('}');
        return { kind: 'body', body: inner, negated, with: [], loc: this.loc(start) };
      }
    }
    const body = this.parseExprBody();
    const withs: With[] = [];
    while (this.isKw('with')) {
      const wt = this.next();
      const target = this.parseTerm();
      if (!this.isKw('as')) this.fail('expected as');
      this.next();
      withs.push({ target, value: this.parseTermIn(), loc: this.loc(wt) });
    }
    return { ...body, negated, with: withs, loc: this.loc(start) } as Expr;
  }

  private parseExprBody(): ExprBody {
    const startTok = this.tok;
    if (this.isKw('some') && this.startsTerm(this.peek())) {
      this.next();
      const vars = [this.parseTermRel()];
      while (this.isP(',')) {
        this.next();
        vars.push(this.parseTermRel());
      }
      if (this.isKw('in')) {
        this.next();
        const coll = this.parseTermRel();
        if (vars.length > 2) this.fail('too many terms in some declaration', startTok);
        return vars.length === 2
          ? { kind: 'somein', key: vars[0], value: vars[1]!, coll }
          : { kind: 'somein', key: undefined, value: vars[0]!, coll };
      }
      return { kind: 'some', vars };
    }
    if (this.isKw('every') && this.startsTerm(this.peek())) {
      this.next();
      let key: Term | undefined;
      let value = this.parseTermRel();
      if (this.isP(',')) {
        this.next();
        key = value;
        value = this.parseTermRel();
      }
      if (!this.isKw('in')) this.fail('expected in');
      this.next();
      const domain = this.parseTermRel();
      this.expectP('{');
      const body = this.parseBody('}');
      this.expectP('}');
      return { kind: 'every', key, value, domain, body };
    }
    const left = this.parseTermComma();
    if (this.isP('=') || this.isP(':=')) {
      const op = this.next().value;
      const right = this.parseTermIn();
      return op === '=' ? { kind: 'unify', left, right } : { kind: 'assign', left, right };
    }
    return { kind: 'term', term: left };
  }

  protected call(name: string, args: Term[], loc: Location): Term {
    return { type: 'call', fn: { type: 'var', name, loc }, args, loc };
  }

  /** Parse `k, v in coll` (allowed at expression level and in parentheses) or a plain term. */
  parseTermComma(): Term {
    let left = this.parseTermRel();
    if (this.isP(',') && !this.tok.nl) {
      this.next();
      const v = this.parseTermRel();
      if (!this.isKw('in')) this.fail('expected in');
      this.next();
      left = this.call('internal.member_3', [left, v, this.parseTermRel()], left.loc);
    }
    while (this.isKw('in') && !this.tok.nl) {
      this.next();
      left = this.call('internal.member_2', [left, this.parseTermRel()], left.loc);
    }
    return left;
  }

  /** Parse a term including the `in` membership operator. */
  parseTermIn(noOr = false): Term {
    let left = this.parseTermRel(noOr);
    while (this.isKw('in') && !this.tok.nl) {
      this.next();
      left = this.call('internal.member_2', [left, this.parseTermRel(noOr)], left.loc);
    }
    return left;
  }

  /** Parse a term without `in` at the top level. */
  parseTermRel(noOr = false): Term {
    let left = this.parseBinary(noOr, 0);
    while (this.tok.kind === 'punct' && relOps[this.tok.value] && !this.tok.nl) {
      const op = relOps[this.next().value]!;
      left = this.call(op, [left, this.parseBinary(noOr, 0)], left.loc);
    }
    return left;
  }

  private parseBinary(noOr: boolean, level: number): Term {
    if (level === 4) return this.parseUnary();
    let left = this.parseBinary(noOr, level + 1);
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'punct' || t.nl) return left;
      let op: string | undefined;
      if (level === 0 && t.value === '|' && !noOr) op = 'or';
      else if (level === 1 && t.value === '&') op = 'and';
      else if (level === 2) op = arithOps[t.value];
      else if (level === 3) op = factorOps[t.value];
      if (!op) return left;
      this.next();
      left = this.call(op, [left, this.parseBinary(noOr, level + 1)], left.loc);
    }
  }

  private parseUnary(): Term {
    if (this.isP('-')) {
      const t = this.next();
      if (this.tok.kind === 'number' && !this.tok.ws) {
        const n = parseNumber('-' + this.next().value);
        return this.parseSuffixes({ type: 'scalar', value: n, loc: this.loc(t) });
      }
      const operand = this.parseUnary();
      return this.call(
        'minus',
        [{ type: 'scalar', value: 0, loc: this.loc(t) }, operand],
        this.loc(t),
      );
    }
    return this.parseTerm();
  }

  /** Parse a primary term with its ref and call suffixes. */
  parseTerm(): Term {
    const t = this.tok;
    const loc = this.loc(t);
    let term: Term;
    if (t.kind === 'number') {
      this.next();
      term = { type: 'scalar', value: parseNumber(t.value), loc };
    } else if (t.kind === 'string') {
      this.next();
      term = { type: 'scalar', value: t.value, loc };
    } else if (t.kind === 'template') {
      this.next();
      term = this.parseTemplate(t);
    } else if (t.kind === 'ident') {
      this.next();
      const refNext = (this.isP('.') || this.isP('[')) && !this.tok.ws;
      if (refNext && (t.value === 'true' || t.value === 'false' || t.value === 'null'))
        term = { type: 'var', name: t.value, loc };
      else if (t.value === 'true' || t.value === 'false')
        term = { type: 'scalar', value: t.value === 'true', loc };
      else if (t.value === 'null') term = { type: 'scalar', value: null, loc };
      else if (t.value === 'set' && this.isP('(') && !this.tok.ws && this.isP(')', this.peek())) {
        this.next();
        this.next();
        return { type: 'set', items: [], loc };
      } else
        term = { type: 'var', name: t.value === '_' ? `$_${wildcardCounter++}` : t.value, loc };
    } else if (this.isP('(')) {
      this.next();
      term = this.parseTermComma();
      this.expectP(')');
    } else if (this.isP('[')) {
      term = this.parseArray();
    } else if (this.isP('{')) {
      term = this.parseBrace();
    } else {
      return this.fail(`unexpected ${t.value || 'EOF'} token`);
    }
    return this.parseSuffixes(term);
  }

  private parseSuffixes(term: Term): Term {
    for (;;) {
      const t = this.tok;
      if (this.isP('.') && !t.ws) {
        this.next();
        const id = this.next();
        if (id.kind !== 'ident' || id.ws) this.fail('expected identifier after .', id);
        term = this.extend(term, { type: 'scalar', value: id.value, loc: this.loc(id) });
      } else if (this.isP('[') && !t.ws) {
        this.next();
        const key = this.parseTermIn();
        this.expectP(']');
        term = this.extend(term, key);
      } else if (this.isP('(') && !t.ws && (term.type === 'var' || term.type === 'ref')) {
        this.next();
        const args: Term[] = [];
        while (!this.isP(')')) {
          args.push(this.parseTermIn());
          if (!this.isP(',')) break;
          this.next();
        }
        this.expectP(')');
        term = { type: 'call', fn: term, args, loc: term.loc };
      } else return term;
    }
  }

  private extend(term: Term, key: Term): Term {
    if (term.type === 'ref') return { ...term, path: [...term.path, key] };
    return { type: 'ref', head: term, path: [key], loc: term.loc };
  }

  private parseArray(): Term {
    const loc = this.loc(this.next());
    if (this.isP(']')) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    const first = this.parseTermIn(true);
    if (this.isP('|')) {
      this.next();
      const body = this.parseBody(']');
      this.expectP(']');
      return { type: 'arraycompr', term: first, body, loc };
    }
    const items = [first];
    while (this.isP(',')) {
      this.next();
      if (this.isP(']')) break;
      items.push(this.parseTermIn());
    }
    this.expectP(']');
    return { type: 'array', items, loc };
  }

  private parseBrace(): Term {
    const loc = this.loc(this.next());
    if (this.isP('}')) {
      this.next();
      return { type: 'object', pairs: [], loc };
    }
    const first = this.parseTermIn(true);
    if (this.isP(':')) {
      this.next();
      const value = this.parseTermIn(true);
      if (this.isP('|')) {
        this.next();
        const body = this.parseBody('}');
        this.expectP('}');
        return { type: 'objectcompr', key: first, value, body, loc };
      }
      const pairs: [Term, Term][] = [[first, value]];
      while (this.isP(',')) {
        this.next();
        if (this.isP('}')) break;
        const k = this.parseTermIn();
        this.expectP(':');
        pairs.push([k, this.parseTermIn()]);
      }
      this.expectP('}');
      return { type: 'object', pairs, loc };
    }
    if (this.isP('|')) {
      this.next();
      const body = this.parseBody('}');
      this.expectP('}');
      return { type: 'setcompr', term: first, body, loc };
    }
    const items = [first];
    while (this.isP(',')) {
      this.next();
      if (this.isP('}')) break;
      items.push(this.parseTermIn());
    }
    this.expectP('}');
    return { type: 'set', items, loc };
  }

  private parseTemplate(t: Token): Term {
    const parts: TemplatePart[] = [];
    for (const p of t.parts ?? []) {
      if ('lit' in p) parts.push(p.lit);
      else {
        const sub: ExprParser = new ExprParser(p.src, this.file, p.row, p.col);
        const expr = sub.parseExpr();
        if (sub.tok.kind !== 'eof') sub.fail('unexpected token in template expression');
        if (expr.kind !== 'term' || expr.negated) sub.fail('template expressions must be terms');
        if (!expr.with.length) parts.push(expr.term);
        else {
          // `{x with input as v}`: evaluate the term under its modifiers via a one-element
          // comprehension, so the modifiers stay scoped to this part.
          const v: Term = { type: 'var', name: `$tpl_${wildcardCounter++}`, loc: expr.loc };
          const assign: Expr = {
            kind: 'assign',
            left: v,
            right: expr.term,
            negated: false,
            with: expr.with,
            loc: expr.loc,
          };
          parts.push({ withs: { type: 'arraycompr', term: v, body: [assign], loc: expr.loc } });
        }
      }
    }
    return { type: 'template', parts, loc: this.loc(t) };
  }
}
