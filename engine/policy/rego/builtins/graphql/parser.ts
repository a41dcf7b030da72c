// GraphQL parser for executable documents and SDL, producing the AST shape OPA returns (the JSON
// of gqlparser's structs with null/empty members dropped). Errors read like gqlparser's.
import { describe, lex } from './lexer.ts';
import type { GqlToken } from './lexer.ts';

/** A parse error with its position. */
export class GqlError extends Error {
  readonly line: number;
  readonly col: number;
  constructor(msg: string, t: GqlToken) {
    super(msg);
    this.line = t.line;
    this.col = t.col;
  }
}

export type Node = Record<string, unknown>;

/** Source positions of field nodes, kept out of the AST value (OPA's AST has no positions). */
export const positions = new WeakMap<object, { line: number; col: number }>();

/** Build an AST node, dropping undefined members and empty lists as OPA's output does. */
export function node(entries: Record<string, unknown>): Node {
  return Object.fromEntries(
    Object.entries(entries).filter(
      ([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  );
}

const KIND = {
  Variable: 0,
  Int: 1,
  Float: 2,
  String: 3,
  Block: 4,
  Boolean: 5,
  Null: 6,
  Enum: 7,
  List: 8,
  Object: 9,
};
export const LOCATIONS = new Set([
  'QUERY',
  'MUTATION',
  'SUBSCRIPTION',
  'FIELD',
  'FRAGMENT_DEFINITION',
  'FRAGMENT_SPREAD',
  'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION',
  'SCHEMA',
  'SCALAR',
  'OBJECT',
  'FIELD_DEFINITION',
  'ARGUMENT_DEFINITION',
  'INTERFACE',
  'UNION',
  'ENUM',
  'ENUM_VALUE',
  'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
]);

/** Recursive-descent GraphQL parser. */
export class GqlParser {
  protected readonly toks: GqlToken[];
  protected pos = 0;

  constructor(src: string) {
    this.toks = lex(src);
  }

  protected get tok(): GqlToken {
    return this.toks[Math.min(this.pos, this.toks.length - 1)]!;
  }
  protected next(): GqlToken {
    return this.toks[this.pos++] ?? this.tok;
  }
  protected is(v: string): boolean {
    return this.tok.kind === 'Punct' && this.tok.value === v;
  }
  protected isName(v?: string): boolean {
    return this.tok.kind === 'Name' && (v === undefined || this.tok.value === v);
  }
  protected unexpected(t: GqlToken = this.tok): never {
    throw new GqlError(`Unexpected ${describe(t)}`, t);
  }
  protected expect(v: string): GqlToken {
    if (this.tok.kind === 'Invalid') this.unexpected();
    if (!this.is(v)) throw new GqlError(`Expected ${v}, found ${describe(this.tok)}`, this.tok);
    return this.next();
  }
  protected expectKeyword(v: string): void {
    if (!this.isName(v))
      throw new GqlError(`Expected "${v}", found ${describe(this.tok)}`, this.tok);
    this.next();
  }
  protected name(): string {
    if (this.tok.kind === 'Invalid') this.unexpected();
    if (this.tok.kind !== 'Name')
      throw new GqlError(`Expected Name, found ${describe(this.tok)}`, this.tok);
    return this.next().value;
  }
  protected many<T>(open: string, item: () => T, close: string): T[] {
    this.expect(open);
    if (this.is(close))
      throw new GqlError(`expected at least one definition, found ${describe(this.tok)}`, this.tok);
    const out: T[] = [];
    while (!this.is(close)) out.push(item());
    this.next();
    return out;
  }
  protected optMany<T>(open: string, item: () => T, close: string): T[] {
    return this.is(open) ? this.many(open, item, close) : [];
  }

  /** Parse an executable document (operations and fragments). */
  parseQuery(): Node {
    const ops: Node[] = [];
    const frags: Node[] = [];
    while (this.tok.kind !== 'EOF') {
      if (this.is('{'))
        ops.push(node({ Name: '', Operation: 'query', SelectionSet: this.selectionSet() }));
      else if (this.isName('query') || this.isName('mutation') || this.isName('subscription'))
        ops.push(this.operation());
      else if (this.isName('fragment')) frags.push(this.fragment());
      else this.unexpected();
    }
    return node({ Operations: ops, Fragments: frags });
  }

  protected operation(): Node {
    const op = this.next().value;
    const name = this.isName() ? this.next().value : '';
    const vars = this.optMany('(', () => this.variableDefinition(), ')');
    return node({
      Name: name,
      Operation: op,
      VariableDefinitions: vars,
      Directives: this.directives(false),
      SelectionSet: this.selectionSet(),
    });
  }

  protected variableDefinition(): Node {
    this.expect('$');
    const name = this.name();
    this.expect(':');
    const type = this.type();
    const def = this.is('=') ? (this.next(), this.value(true)) : undefined;
    return node({
      DefaultValue: def,
      Directives: this.directives(true),
      Type: type,
      Used: false,
      Variable: name,
    });
  }

  protected fragment(): Node {
    this.next();
    if (this.isName('on')) this.unexpected();
    const name = this.name();
    const vars = this.optMany('(', () => this.variableDefinition(), ')');
    this.expectKeyword('on');
    const cond = this.name();
    return node({
      Directives: this.directives(false),
      Name: name,
      SelectionSet: this.selectionSet(),
      TypeCondition: cond,
      VariableDefinition: vars,
    });
  }

  protected selectionSet(): Node[] {
    return this.many('{', () => this.selection(), '}');
  }

  protected selection(): Node {
    if (this.is('...')) {
      this.next();
      if (this.isName() && this.tok.value !== 'on') {
        const name = this.next().value;
        return node({ Directives: this.directives(false), Name: name });
      }
      let cond = '';
      if (this.isName('on')) {
        this.next();
        cond = this.name();
      }
      return node({
        Directives: this.directives(false),
        SelectionSet: this.selectionSet(),
        TypeCondition: cond,
      });
    }
    const at = this.tok;
    let alias = this.name();
    let name = alias;
    if (this.is(':')) {
      this.next();
      name = this.name();
    }
    const args = this.arguments(false);
    const dirs = this.directives(false);
    const sel = this.is('{') ? this.selectionSet() : undefined;
    if (!alias) alias = name;
    const field = node({
      Alias: alias,
      Arguments: args,
      Directives: dirs,
      Name: name,
      SelectionSet: sel,
    });
    positions.set(field, { line: at.line, col: at.col });
    return field;
  }

  protected arguments(isConst: boolean): Node[] {
    return this.optMany(
      '(',
      () => {
        const name = this.name();
        this.expect(':');
        return node({ Name: name, Value: this.value(isConst) });
      },
      ')',
    );
  }

  protected directives(isConst: boolean): Node[] {
    const out: Node[] = [];
    while (this.is('@')) {
      this.next();
      const name = this.name();
      out.push(node({ Arguments: this.arguments(isConst), Location: '', Name: name }));
    }
    return out;
  }

  protected value(isConst: boolean): Node {
    const t = this.tok;
    const v = (kind: number, raw: string, children?: Node[]): Node =>
      node({ Children: children, ExpectedTypeHasDefault: false, Kind: kind, Raw: raw });
    if (this.is('$')) {
      if (isConst) this.unexpected();
      this.next();
      return v(KIND.Variable, this.name());
    }
    if (this.is('[')) {
      this.next();
      const items: Node[] = [];
      while (!this.is(']')) {
        if (this.tok.kind === 'EOF') this.unexpected();
        items.push(node({ Name: '', Value: this.value(isConst) }));
      }
      this.next();
      return v(KIND.List, '', items);
    }
    if (this.is('{')) {
      this.next();
      const fields: Node[] = [];
      while (!this.is('}')) {
        if (this.tok.kind === 'EOF') this.unexpected();
        const name = this.name();
        this.expect(':');
        fields.push(node({ Name: name, Value: this.value(isConst) }));
      }
      this.next();
      return v(KIND.Object, '', fields);
    }
    this.next();
    switch (t.kind) {
      case 'Int':
        return v(KIND.Int, t.value);
      case 'Float':
        return v(KIND.Float, t.value);
      case 'String':
        return v(KIND.String, t.value);
      case 'BlockString':
        return v(KIND.Block, t.value);
      case 'Name':
        if (t.value === 'true' || t.value === 'false') return v(KIND.Boolean, t.value);
        return t.value === 'null' ? v(KIND.Null, t.value) : v(KIND.Enum, t.value);
      default:
        return this.unexpected(t);
    }
  }

  protected type(): Node {
    let t: Node;
    if (this.is('[')) {
      this.next();
      const elem = this.type();
      this.expect(']');
      t = { Elem: elem, NamedType: '', NonNull: false };
    } else t = { NamedType: this.name(), NonNull: false };
    if (this.is('!')) {
      this.next();
      t.NonNull = true;
    }
    return t;
  }
}
