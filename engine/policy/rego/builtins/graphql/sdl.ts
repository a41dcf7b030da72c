// GraphQL SDL (schema definition language) on top of the shared GraphQL parser.
import { GqlError, GqlParser, LOCATIONS, node } from './parser.ts';
import type { Node } from './parser.ts';
import { describe } from './lexer.ts';

const TYPE_KINDS: Record<string, string> = {
  scalar: 'SCALAR',
  type: 'OBJECT',
  interface: 'INTERFACE',
  union: 'UNION',
  enum: 'ENUM',
  input: 'INPUT_OBJECT',
};

/** Parser for schema documents. */
export class SchemaParser extends GqlParser {
  /** Parse a schema document. */
  parseSchema(): Node {
    const out: Record<string, Node[]> = {
      Definitions: [],
      Directives: [],
      Extensions: [],
      Schema: [],
      SchemaExtension: [],
    };
    while (this.tok.kind !== 'EOF') {
      const descTok = this.tok;
      const description = this.description();
      if (this.isName('extend')) {
        if (description !== undefined) this.unexpected(descTok);
        this.next();
        if (this.tok.kind !== 'Name') this.unexpected();
        if (this.isName('schema')) {
          this.next();
          out.SchemaExtension!.push(this.schemaBody('', true));
        } else out.Extensions!.push(this.typeDefinition('', true));
      } else if (this.isName('schema')) {
        this.next();
        out.Schema!.push(this.schemaBody(description ?? '', false));
      } else if (this.isName('directive'))
        out.Directives!.push(this.directiveDefinition(description ?? ''));
      else if (this.tok.kind === 'Name' && TYPE_KINDS[this.tok.value])
        out.Definitions!.push(this.typeDefinition(description ?? '', false));
      else this.unexpected();
    }
    return node(out);
  }

  private description(): string | undefined {
    return this.tok.kind === 'String' || this.tok.kind === 'BlockString'
      ? this.next().value
      : undefined;
  }

  private schemaBody(description: string, extension: boolean): Node {
    const dirs = this.directives(true);
    const ops =
      this.is('{') || !extension
        ? this.many(
            '{',
            () => {
              const op = this.name();
              this.expect(':');
              return node({ Operation: op, Type: this.name() });
            },
            '}',
          )
        : [];
    if (extension && !dirs.length && !ops.length) this.unexpected();
    return node({ Description: description, Directives: dirs, OperationTypes: ops });
  }

  private typeDefinition(description: string, extension: boolean): Node {
    const kindTok = this.tok;
    const kind = TYPE_KINDS[kindTok.value];
    if (!kind) this.unexpected();
    this.next();
    const name = this.name();
    const interfaces: string[] = [];
    if ((kind === 'OBJECT' || kind === 'INTERFACE') && this.isName('implements')) {
      this.next();
      if (this.is('&')) this.next();
      interfaces.push(this.name());
      while (this.is('&')) {
        this.next();
        interfaces.push(this.name());
      }
    }
    const dirs = this.directives(true);
    let fields: Node[] = [];
    let types: string[] = [];
    let values: Node[] = [];
    if ((kind === 'OBJECT' || kind === 'INTERFACE') && this.is('{'))
      fields = this.many('{', () => this.fieldDefinition(), '}');
    if (kind === 'INPUT_OBJECT' && this.is('{'))
      fields = this.many('{', () => this.inputValue(), '}');
    if (kind === 'ENUM' && this.is('{')) {
      values = this.many(
        '{',
        () => {
          const d = this.description() ?? '';
          const name = this.name();
          return node({ Description: d, Directives: this.directives(true), Name: name });
        },
        '}',
      );
    }
    if (kind === 'UNION' && this.is('=')) {
      this.next();
      if (this.is('|')) this.next();
      types.push(this.name());
      while (this.is('|')) {
        this.next();
        types.push(this.name());
      }
    }
    if (
      extension &&
      !interfaces.length &&
      !dirs.length &&
      !fields.length &&
      !types.length &&
      !values.length
    )
      this.unexpected();
    types = types.length ? types : [];
    return node({
      BuiltIn: false,
      Description: description,
      Directives: dirs,
      EnumValues: values,
      Fields: fields,
      Interfaces: interfaces,
      Kind: kind,
      Name: name,
      Types: types,
    });
  }

  private fieldDefinition(): Node {
    const description = this.description() ?? '';
    const name = this.name();
    const args = this.optMany('(', () => this.inputValue(), ')');
    this.expect(':');
    const type = this.type();
    return node({
      Arguments: args,
      Description: description,
      Directives: this.directives(true),
      Name: name,
      Type: type,
    });
  }

  private inputValue(): Node {
    const description = this.description() ?? '';
    const name = this.name();
    this.expect(':');
    const type = this.type();
    const def = this.is('=') ? (this.next(), this.value(true)) : undefined;
    return node({
      DefaultValue: def,
      Description: description,
      Directives: this.directives(true),
      Name: name,
      Type: type,
    });
  }

  private directiveDefinition(description: string): Node {
    this.next();
    this.expect('@');
    const name = this.name();
    const args = this.optMany('(', () => this.inputValue(), ')');
    let repeatable = false;
    if (this.isName('repeatable')) {
      this.next();
      repeatable = true;
    }
    this.expectKeyword('on');
    if (this.is('|')) this.next();
    const locations = [this.location()];
    while (this.is('|')) {
      this.next();
      locations.push(this.location());
    }
    return node({
      Arguments: args,
      Description: description,
      IsRepeatable: repeatable,
      Locations: locations,
      Name: name,
    });
  }

  private location(): string {
    const t = this.tok;
    const name = this.name();
    if (!LOCATIONS.has(name)) throw new GqlError(`Unexpected ${describe(t)}`, t);
    return name;
  }
}
