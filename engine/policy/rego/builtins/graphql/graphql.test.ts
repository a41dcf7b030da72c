import { describe, expect, it } from 'vitest';
import { graphqlBuiltins } from './index.ts';
import { toJSONText } from '../../value-ops.ts';
import type { Value } from '../../value.ts';

const ctx = { cache: new Map(), nowNs: () => 0n };
const call = (name: string, src: string): string =>
  toJSONText(graphqlBuiltins[name]!.fn([src], ctx) as Value);

describe('graphql parsing', () => {
  it('returns the schema AST with empty members dropped', () => {
    expect(call('graphql.parse_schema', 'type Hello { world(flag: Boolean = true): String }')).toBe(
      '{"Definitions":[{"BuiltIn":false,"Description":"","Fields":[{"Arguments":[{"DefaultValue":{"ExpectedTypeHasDefault":false,"Kind":5,"Raw":"true"},"Description":"","Name":"flag","Type":{"NamedType":"Boolean","NonNull":false}}],"Description":"","Name":"world","Type":{"NamedType":"String","NonNull":false}}],"Kind":"OBJECT","Name":"Hello"}]}',
    );
  });

  it('parses queries with variables, fragments and list types', () => {
    const ast = call(
      'graphql.parse_query',
      'query Q($ids: [ID!]!) { node(ids: $ids) { ...f } } fragment f on Node { id }',
    );
    expect(ast).toContain(
      '"VariableDefinitions":[{"Type":{"Elem":{"NamedType":"ID","NonNull":true},"NamedType":"","NonNull":true},"Used":false,"Variable":"ids"}]',
    );
    expect(ast).toContain(
      '"Fragments":[{"Name":"f","SelectionSet":[{"Alias":"id","Name":"id"}],"TypeCondition":"Node"}]',
    );
  });

  it('reports errors with gqlparser wording and positions', () => {
    expect(() => call('graphql.parse_query', '{')).toThrow(
      'graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2',
    );
    expect(() => call('graphql.parse_schema', 'union Hello = Wo || Rld')).toThrow(
      'Expected Name, found | in GraphQL string at location 1:19',
    );
  });
});

describe('graphql validation', () => {
  const fn = (name: string, ...args: Value[]) => graphqlBuiltins[name]!.fn(args, ctx);
  const schema = 'type Query { hero(id: ID!): Hero }\ntype Hero { name: String }';

  it('accepts valid schemas and rejects unknown types, bad unions and missing transitive interfaces', () => {
    expect(fn('graphql.schema_is_valid', schema)).toBe(true);
    expect(fn('graphql.schema_is_valid', 'type A implements B { x: Int }')).toBe(false);
    expect(fn('graphql.schema_is_valid', 'union U = Int')).toBe(false);
    expect(
      fn(
        'graphql.schema_is_valid',
        'interface I { id: ID }\ninterface J implements I { id: ID }\ntype T implements J { id: ID }',
      ),
    ).toBe(false);
    expect(fn('graphql.schema_is_valid', 'input In { h: Hero }\ntype Hero { n: Int }')).toBe(false);
  });

  it('checks queries: fields, required arguments and variables', () => {
    expect(fn('graphql.is_valid', '{ hero(id: "1") { name } }', schema)).toBe(true);
    expect(fn('graphql.is_valid', '{ hero(id: "1") { age } }', schema)).toBe(false);
    expect(fn('graphql.is_valid', 'query { hero(id: $x) { name } }', schema)).toBe(false);
    expect(() => fn('graphql.parse', '{\n  hero { name }\n}', schema)).toThrow(
      'graphql.parse: Field "hero" argument "id" of type "ID!" is required, but it was not provided in GraphQL string at location 2:3',
    );
  });
});
