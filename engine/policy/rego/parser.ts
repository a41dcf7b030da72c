// Parser for Rego v1 modules (package, imports, rules) and queries.
import { ExprParser } from './parser-expr.ts';
import { annotationsAbove } from './annotations.ts';
import type { Expr, Import, Module, Rule, Term } from './ast.ts';

const trueTerm = (r: Rule['loc']): Term => ({ type: 'scalar', value: true, loc: r });

class ModuleParser extends ExprParser {
  parseModule(): Module {
    if (!this.isKw('package')) this.fail('package expected');
    const annotations = annotationsAbove(this.comments, this.tok.row, 'package');
    this.next();
    const pkgRef = this.parseTerm();
    const pkg = this.refStrings(pkgRef);
    const imports: Import[] = [];
    const rules: Rule[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.isKw('import') && this.peek().kind === 'ident' && this.peek().ws) {
        imports.push(this.parseImport());
      } else {
        rules.push(...this.parseRule());
      }
    }
    return { file: this.file, pkg, imports, rules, annotations };
  }

  private refStrings(t: Term): string[] {
    if (t.type === 'var') return [t.name];
    if (t.type !== 'ref' || t.head.type !== 'var') this.fail('invalid package or import path');
    const out = [t.head.name];
    for (const p of t.path) {
      if (p.type !== 'scalar' || typeof p.value !== 'string') this.fail('invalid path segment');
      out.push(p.value);
    }
    return out;
  }

  private parseImport(): Import {
    const loc = this.loc(this.next());
    const path = this.parseTerm();
    const segs = this.refStrings(path);
    let alias = segs[segs.length - 1]!;
    if (this.isKw('as') && !this.tok.nl) {
      this.next();
      alias = this.next().value;
    }
    return { path, alias, loc };
  }

  private parseRule(): Rule[] {
    const start = this.tok;
    const loc = this.loc(start);
    const annotations = annotationsAbove(this.comments, start.row, 'rule');
    let isDefault = false;
    if (this.isKw('default') && this.peek().kind === 'ident' && this.peek().ws) {
      this.next();
      isDefault = true;
    }
    const head = this.parseTerm();
    let ref: Term[];
    let args: Term[] | undefined;
    if (head.type === 'call') {
      ref = this.headRef(head.fn);
      args = head.args;
    } else ref = this.headRef(head);
    const rule: Rule = {
      kind: args ? 'func' : 'value',
      ref,
      key: undefined,
      value: trueTerm(loc),
      args,
      body: [],
      else: undefined,
      isDefault,
      assign: false,
      loc,
      annotations,
    };
    if (this.isKw('contains') && !args) {
      this.next();
      rule.kind = 'set';
      rule.key = this.parseTermIn();
    } else if (this.isP(':=') || this.isP('=')) {
      rule.assign = this.next().value === ':=';
      rule.value = this.parseTermIn();
    }
    if (isDefault) return [rule];
    const bodies = this.parseRuleBodies();
    rule.body = bodies[0] ?? [];
    let cur = rule;
    while (this.isKw('else')) {
      const et = this.next();
      const alt: Rule = {
        ...rule,
        value: trueTerm(this.loc(et)),
        body: [],
        else: undefined,
        loc: this.loc(et),
      };
      if (this.isP(':=') || this.isP('=')) {
        this.next();
        alt.value = this.parseTermIn();
      }
      alt.body = this.parseRuleBodies()[0] ?? [];
      cur.else = alt;
      cur = alt;
    }
    // Extra braced bodies after the first define the same head again (logical OR).
    return bodies.length <= 1
      ? [rule]
      : [rule, ...bodies.slice(1).map((b) => ({ ...rule, body: b, else: undefined }))];
  }

  private parseRuleBodies(): Expr[][] {
    const bodies: Expr[][] = [];
    if (this.isKw('if')) {
      this.next();
      if (!this.isP('{')) return [[this.parseExpr()]];
    }
    while (this.isP('{')) {
      this.next();
      bodies.push(this.parseBody('}'));
      this.expectP('}');
    }
    return bodies;
  }

  private headRef(t: Term): Term[] {
    if (t.type === 'var') return [{ type: 'scalar', value: t.name, loc: t.loc }];
    if (t.type === 'ref' && t.head.type === 'var')
      return [{ type: 'scalar', value: t.head.name, loc: t.head.loc }, ...t.path];

    return this.fail('invalid rule head');
  }
}

/** Parse a Rego v1 module. */
export function parseModule(src: string, file: string): Module {
  return new ModuleParser(src, file).parseModule();
}

/** Parse a query body. */
export function parseQuery(src: string, file = 'query'): Expr[] {
  return new ExprParser(src, file).parseBody(null);
}

/** Parse a single term (for input_term and similar). */
export function parseTermText(src: string, file = 'term'): Term {
  return new ExprParser(src, file).parseTermIn();
}
