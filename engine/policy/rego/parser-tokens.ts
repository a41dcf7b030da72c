// Token cursor shared by the expression and module parsers.
import { RegoError } from './errors.ts';
import type { Location } from './errors.ts';
import { tokenize } from './lexer.ts';
import type { Comment, Token } from './lexer.ts';

/** A cursor over the tokens of one source text. */
export class TokenStream {
  protected toks: Token[];
  protected pos = 0;
  protected readonly file: string;
  protected readonly comments: Comment[] = [];

  constructor(src: string, file: string, row = 1, col = 1) {
    this.file = file;
    this.toks = tokenize(src, file, row, col, this.comments);
  }

  protected get tok(): Token {
    return this.toks[this.pos]!;
  }
  protected peek(n = 1): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)]!;
  }
  protected loc(t: Token = this.tok): Location {
    return { file: this.file, row: t.row, col: t.col };
  }
  protected fail(msg: string, t: Token = this.tok): never {
    throw new RegoError('rego_parse_error', msg, this.loc(t));
  }
  protected isP(v: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.value === v;
  }
  protected isKw(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    if (t.kind !== 'ident' || t.value !== v) return false;
    // A keyword directly followed by '.' or '[' is a ref segment (else.foo, if[x]).
    const n = this.peek(offset + 1);
    return !(n.kind === 'punct' && (n.value === '.' || n.value === '[') && !n.ws);
  }
  protected startsTerm(t: Token): boolean {
    if (t.nl || t.kind === 'eof') return false;
    if (t.kind !== 'punct') return true;
    return t.ws && (t.value === '[' || t.value === '{' || t.value === '(' || t.value === '-');
  }
  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected expectP(v: string): Token {
    if (!this.isP(v)) this.fail(`expected ${v} but found ${this.tok.value || 'EOF'}`);
    return this.next();
  }
}
