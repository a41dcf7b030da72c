// GraphQL validation, a subset of gqlparser's rules: schema — referenced types exist and have the
// right kind, interfaces (transitively) implemented with their fields, union members are
// objects, directives defined and used in allowed locations, extensions match their base kind;
// query — fields and arguments exist, required arguments given, fragments and variables
// defined. Works on AST objects, so ASTs from graphql.parse_* are accepted as input too.
import type { Node } from './parser.ts';
import { positions } from './parser.ts';

type TypeDef = {
  Kind: string;
  Name: string;
  Fields: Node[];
  Interfaces: string[];
  Types: string[];
  Directives: Node[];
};
/** A validated schema: types and directive locations by name, root operation types. */
export type Schema = {
  types: Map<string, TypeDef>;
  directives: Map<string, string[]>;
  roots: Map<string, string>;
};

const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const BUILTIN_DIRECTIVES: [string, string[]][] = [
  [
    'deprecated',
    ['FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INPUT_FIELD_DEFINITION', 'ENUM_VALUE'],
  ],
  ['include', ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT']],
  ['skip', ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT']],
  ['specifiedBy', ['SCALAR']],
  ['oneOf', ['INPUT_OBJECT']],
];

/** Named type at the bottom of a (list/non-null) type. */
export function named(t: unknown): string {
  const n = t as Node;
  return n.Elem ? named(n.Elem) : String(n.NamedType ?? '');
}

function checkDirectives(s: Schema, dirs: Node[], location: string): string | undefined {
  for (const d of dirs) {
    const locs = s.directives.get(String(d.Name));
    if (!locs) return `Undefined directive ${String(d.Name)}.`;
    if (!locs.includes(location))
      return `Directive ${String(d.Name)} is not applicable on ${location}.`;
  }
  return undefined;
}

/** Build and check a schema; returns it or an error message. */
export function validateSchema(ast: Node): Schema | string {
  const s: Schema = { types: new Map(), directives: new Map(BUILTIN_DIRECTIVES), roots: new Map() };
  for (const n of ['Int', 'Float', 'String', 'Boolean', 'ID'])
    s.types.set(n, {
      Kind: 'SCALAR',
      Name: n,
      Fields: [],
      Interfaces: [],
      Types: [],
      Directives: [],
    });
  for (const d of list(ast.Definitions)) {
    if (s.types.has(String(d.Name))) return `Cannot redeclare type ${String(d.Name)}.`;
    s.types.set(String(d.Name), {
      Kind: String(d.Kind),
      Name: String(d.Name),
      Fields: list(d.Fields),
      Interfaces: strs(d.Interfaces),
      Types: strs(d.Types),
      Directives: list(d.Directives),
    });
  }
  for (const e of list(ast.Extensions)) {
    const base = s.types.get(String(e.Name));
    if (base && base.Kind !== e.Kind)
      return `Cannot extend type ${String(e.Name)} because the base type is a ${base.Kind}, not ${String(e.Kind)}.`;
    const t = base ?? {
      Kind: String(e.Kind),
      Name: String(e.Name),
      Fields: [],
      Interfaces: [],
      Types: [],
      Directives: [],
    };
    t.Fields = [...t.Fields, ...list(e.Fields)];
    t.Interfaces = [...t.Interfaces, ...strs(e.Interfaces)];
    t.Types = [...t.Types, ...strs(e.Types)];
    t.Directives = [...t.Directives, ...list(e.Directives)];
    s.types.set(t.Name, t);
  }
  for (const d of list(ast.Directives)) s.directives.set(String(d.Name), strs(d.Locations));
  for (const sc of [...list(ast.Schema), ...list(ast.SchemaExtension)]) {
    const bad = checkDirectives(s, list(sc.Directives), 'SCHEMA');
    if (bad) return bad;
    for (const op of list(sc.OperationTypes)) s.roots.set(String(op.Operation), String(op.Type));
  }
  for (const [op, type] of s.roots)
    if (s.types.get(type)?.Kind !== 'OBJECT') return `${op} root type ${type} must be an OBJECT.`;
  for (const t of s.types.values()) {
    const bad = checkType(s, t);
    if (bad) return bad;
  }
  return s;
}

function isInput(s: Schema, t: unknown): boolean {
  const k = s.types.get(named(t))?.Kind;
  return k === 'SCALAR' || k === 'ENUM' || k === 'INPUT_OBJECT';
}

function checkType(s: Schema, t: TypeDef): string | undefined {
  const bad = checkDirectives(s, t.Directives, t.Kind);
  if (bad) return bad;
  for (const f of t.Fields) {
    if (!s.types.has(named(f.Type))) return `Undefined type ${named(f.Type)}.`;
    if (t.Kind === 'INPUT_OBJECT' && !isInput(s, f.Type))
      return `${t.Name}.${String(f.Name)} must be an input type.`;
    if (t.Kind !== 'INPUT_OBJECT' && s.types.get(named(f.Type))!.Kind === 'INPUT_OBJECT')
      return `${t.Name}.${String(f.Name)} must be an output type.`;
    const fieldBad = checkDirectives(
      s,
      list(f.Directives),
      t.Kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION',
    );
    if (fieldBad) return fieldBad;
    for (const a of list(f.Arguments)) {
      if (!s.types.has(named(a.Type))) return `Undefined type ${named(a.Type)}.`;
      if (!isInput(s, a.Type))
        return `${t.Name}.${String(f.Name)}(${String(a.Name)}) must be an input type.`;
      const argBad = checkDirectives(s, list(a.Directives), 'ARGUMENT_DEFINITION');
      if (argBad) return argBad;
    }
  }
  for (const i of t.Interfaces) {
    const it = s.types.get(i);
    if (it?.Kind !== 'INTERFACE')
      return `${t.Name} must implement interface ${i}, which is not defined as an interface.`;
    for (const j of it.Interfaces)
      if (!t.Interfaces.includes(j))
        return `${t.Name} must implement ${j} because it is implemented by ${i}.`;
    for (const f of it.Fields)
      if (!t.Fields.some((g) => g.Name === f.Name))
        return `For ${t.Name} to implement ${i} it must have a field called ${String(f.Name)}.`;
  }
  for (const m of t.Types)
    if (s.types.get(m)?.Kind !== 'OBJECT') return `UNION type "${m}" must be OBJECT.`;
  return undefined;
}

/** A query validation error, located at a field when known. */
export type QueryError = { message: string; line?: number; col?: number };

/** Validate an executable document against a schema; undefined when valid. */
export function validateQuery(s: Schema, doc: Node): QueryError | undefined {
  const fragments = new Map(list(doc.Fragments).map((f) => [String(f.Name), f]));
  const check = (sel: Node[], parent: string, vars: Set<string>): QueryError | undefined => {
    const t = s.types.get(parent);
    if (!t) return { message: `Unknown type "${parent}".` };
    for (const n of sel) {
      const p = positions.get(n);
      if ('Alias' in n) {
        if (n.Name === '__typename') continue;
        const f = t.Fields.find((x) => x.Name === n.Name);
        if (!f)
          return { message: `Cannot query field "${String(n.Name)}" on type "${parent}".`, ...p };
        for (const a of list(n.Arguments))
          if (!list(f.Arguments).some((x) => x.Name === a.Name))
            return {
              message: `Unknown argument "${String(a.Name)}" on field "${parent}.${String(n.Name)}".`,
              ...p,
            };
        for (const a of list(f.Arguments)) {
          const required = (a.Type as Node).NonNull === true && a.DefaultValue === undefined;
          if (required && !list(n.Arguments).some((x) => x.Name === a.Name)) {
            return {
              message: `Field "${String(n.Name)}" argument "${String(a.Name)}" of type "${typeText(a.Type)}" is required, but it was not provided`,
              ...p,
            };
          }
        }
        const usedVar = list(n.Arguments)
          .map((a) => a.Value as Node)
          .find((v) => v.Kind === 0 && !vars.has(String(v.Raw)));
        if (usedVar) return { message: `Variable "$${String(usedVar.Raw)}" is not defined.`, ...p };
        if (n.SelectionSet) {
          const bad = check(list(n.SelectionSet), named(f.Type), vars);
          if (bad) return bad;
        }
      } else if ('SelectionSet' in n) {
        const bad = check(list(n.SelectionSet), String(n.TypeCondition || parent), vars);
        if (bad) return bad;
      } else {
        const frag = fragments.get(String(n.Name));
        if (!frag) return { message: `Unknown fragment "${String(n.Name)}".` };
        const bad = check(list(frag.SelectionSet), String(frag.TypeCondition), vars);
        if (bad) return bad;
      }
    }
    return undefined;
  };
  for (const op of list(doc.Operations)) {
    const kind = String(op.Operation);
    const root =
      s.roots.get(kind) ??
      { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' }[kind] ??
      'Query';
    if (!s.types.has(root)) return { message: `Schema does not support operation type "${kind}"` };
    const vars = new Set(list(op.VariableDefinitions).map((v) => String(v.Variable)));
    const bad = check(list(op.SelectionSet), root, vars);
    if (bad) return bad;
  }
  return undefined;
}

function typeText(t: unknown): string {
  const n = t as Node;
  const inner = n.Elem ? `[${typeText(n.Elem)}]` : String(n.NamedType);
  return n.NonNull ? `${inner}!` : inner;
}
