// graphql.* builtins: parsing (gqlparser AST shape and error texts) and validation with the
// subset of gqlparser's rules in validate.ts. Schemas and queries may be given as source text
// or as ASTs returned by the parse builtins.
import { builtinError, typeError } from '../../errors.ts';
import { RObject, typeName } from '../../value.ts';
import type { Value } from '../../value.ts';
import { fromJS, toJSONText } from '../../value-ops.ts';
import { str } from '../args.ts';
import { def } from '../types.ts';
import type { BuiltinTable } from '../types.ts';
import { GqlError, GqlParser } from './parser.ts';
import type { Node } from './parser.ts';
import { SchemaParser } from './sdl.ts';
import { validateQuery, validateSchema } from './validate.ts';

function located(name: string, message: string, line?: number, col?: number): never {
  return builtinError(
    name,
    line === undefined ? message : `${message} in GraphQL string at location ${line}:${col}`,
  );
}

function run(name: string, f: () => unknown): Value {
  try {
    return fromJS(f());
  } catch (e) {
    if (e instanceof GqlError) return located(name, e.message, e.line, e.col);
    throw e;
  }
}

function ast(name: string, v: Value, i: number, parse: (src: string) => Node): Node {
  if (typeof v === 'string') {
    try {
      return parse(v);
    } catch (e) {
      if (e instanceof GqlError) return located(name, e.message, e.line, e.col);
      throw e;
    }
  }
  if (v instanceof RObject) return JSON.parse(toJSONText(v, false)) as Node;
  return typeError(name, `operand ${i + 1} must be one of {string, object} but got ${typeName(v)}`);
}

const schemaOf = (name: string, v: Value, i: number): Node =>
  ast(name, v, i, (s) => new SchemaParser(s).parseSchema());
const queryOf = (name: string, v: Value, i: number): Node =>
  ast(name, v, i, (s) => new GqlParser(s).parseQuery());

/** Parse and validate; returns the ASTs or throws a located builtin error. */
function verified(name: string, q: Value, s: Value): [Node, Node] {
  const queryAst = queryOf(name, q, 0);
  const schemaAst = schemaOf(name, s, 1);
  const schema = validateSchema(schemaAst);
  if (typeof schema === 'string') return builtinError(name, schema);
  const err = validateQuery(schema, queryAst);
  if (err) return located(name, err.message, err.line, err.col);
  return [queryAst, schemaAst];
}

function ok(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

/** GraphQL builtins. */
export const graphqlBuiltins: BuiltinTable = {
  'graphql.parse_schema': def(1, (a) =>
    run('graphql.parse_schema', () =>
      new SchemaParser(str('graphql.parse_schema', a, 0)).parseSchema(),
    ),
  ),
  'graphql.parse_query': def(1, (a) =>
    run('graphql.parse_query', () => new GqlParser(str('graphql.parse_query', a, 0)).parseQuery()),
  ),
  'graphql.schema_is_valid': def(1, ([s]) =>
    ok(() => {
      if (typeof validateSchema(schemaOf('graphql.schema_is_valid', s!, 0)) === 'string')
        throw new Error('invalid');
    }),
  ),
  'graphql.is_valid': def(2, ([q, s]) => ok(() => verified('graphql.is_valid', q!, s!))),
  'graphql.parse': def(2, ([q, s]) => fromJS(verified('graphql.parse', q!, s!))),
  'graphql.parse_and_verify': def(2, ([q, s]) => {
    try {
      return fromJS([true, ...verified('graphql.parse_and_verify', q!, s!)]);
    } catch {
      return [false, new RObject(), new RObject()];
    }
  }),
};
