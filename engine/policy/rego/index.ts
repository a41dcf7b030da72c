// Public entry points of the Rego engine: parse modules, compile them once, evaluate queries.
import type { Expr, Module, Term } from './ast.ts';
import { compile } from './compile.ts';
import type { Policy } from './compile.ts';
import { RegoError } from './errors.ts';
import { Evaluator } from './eval.ts';
import { parseModule, parseQuery } from './parser.ts';
import { Resolver } from './resolve.ts';
import { reorderBody } from './safety.ts';
import { checkPolicy } from './check.ts';
import { defaultBuiltins } from './builtins/registry.ts';
import type { Builtin, BuiltinContext } from './builtins/types.ts';
import type { Value } from './value.ts';

export type { Value } from './value.ts';
export { RObject, RSet } from './value.ts';
export { RegoError } from './errors.ts';
export { parseModule, parseQuery, parseTermText } from './parser.ts';
export { compile } from './compile.ts';
export type { Policy } from './compile.ts';
export { fromJS, parseJSON, toJSONText, compare, equals } from './value-ops.ts';

/** A module source and the file name used in error locations. */
export type Source = { file: string; source: string };

/** Options for one query evaluation. */
export type QueryOptions = {
  input?: Value;
  data?: Value;
  /** Report the first builtin error instead of treating the call as undefined. */
  strict?: boolean;
  /** Extra or replacement builtins (e.g. the Node-only crypto family). */
  builtins?: Map<string, Builtin>;
  /** Clock for time.now_ns, in nanoseconds. */
  nowNs?: () => bigint;
  /** Receives print() output; print is a no-op without it. */
  print?: (msg: string, loc: { file: string; row: number; col: number }) => void;
};

/** One solution: query variable name to value. */
export type Row = Record<string, Value>;

/** Parse and compile module sources into a policy. */
export function prepare(sources: Source[]): Policy {
  const modules: Module[] = sources.map((s) => parseModule(s.source, s.file));
  return compile(modules);
}

function queryVars(body: Expr[]): string[] {
  const out = new Set<string>();
  const visit = (t: Term | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case 'var':
        if (!t.name.startsWith('$') && t.name !== 'data' && t.name !== 'input') out.add(t.name);
        return;
      case 'ref':
        visit(t.head);
        t.path.forEach(visit);
        return;
      case 'array':
      case 'set':
        t.items.forEach(visit);
        return;
      case 'object':
        t.pairs.forEach(([a, b]) => (visit(a), visit(b)));
        return;
      case 'call':
        t.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  for (const e of body) {
    if (e.kind === 'term') visit(e.term);
    else if (e.kind === 'unify' || e.kind === 'assign') [e.left, e.right].forEach(visit);
    else if (e.kind === 'somein') [e.key, e.value, e.coll].forEach(visit);
    else if (e.kind === 'some') e.vars.forEach(visit);
  }
  return [...out];
}

let defaults: Map<string, Builtin> | undefined;
// Compiled queries per policy: gates evaluate the same query many times.
const queryCache = new WeakMap<Policy, Map<string, Expr[]>>();

function compileQuery(policy: Policy, query: string): Expr[] {
  let m = queryCache.get(policy);
  if (!m) queryCache.set(policy, (m = new Map()));
  let body = m.get(query);
  if (!body) {
    const resolver = new Resolver({ pkg: [], ruleNames: new Set(), imports: new Map() });
    body = reorderBody(resolver.query(parseQuery(query)));
    if (m.size > 256) m.clear();
    m.set(query, body);
  }
  return body;
}

/** Evaluate a query against a compiled policy; throws RegoError on evaluation errors. */
export function evalQuery(policy: Policy, query: string, opts: QueryOptions = {}): Row[] {
  defaults ??= defaultBuiltins();
  const builtins = opts.builtins ? new Map([...defaults, ...opts.builtins]) : defaults;
  const body = compileQuery(policy, query);
  const ctx: BuiltinContext = {
    cache: new Map(),
    nowNs: opts.nowNs ?? (() => BigInt(Date.now()) * 1000000n),
  };
  const ev = new Evaluator(policy, {
    input: opts.input,
    data: opts.data,
    strict: opts.strict,
    builtins,
    ctx,
    print: opts.print,
  });
  const vars = queryVars(body);
  const rows: Row[] = [];
  try {
    ev.evalBody(body, 0, () => {
      const row: Row = {};
      for (const v of vars) {
        const val = ev.env.get(v);
        if (val !== undefined) row[v] = val;
      }
      rows.push(row);
      return false;
    });
  } catch (err) {
    // Evaluation recurses on the JS stack; a pathological policy must fail closed with an
    // engine error, not crash the caller.
    if (err instanceof RangeError)
      throw new RegoError('eval_internal_error', `evaluation too deep: ${err.message}`);
    throw err;
  }
  if (ev.firstError) throw ev.firstError;
  return rows;
}

/** Static checks of a compiled policy: unknown functions and arity mismatches. */
export function checkFunctions(policy: Policy, extra?: Map<string, Builtin>): RegoError[] {
  defaults ??= defaultBuiltins();
  return checkPolicy(policy, extra ? new Map([...defaults, ...extra]) : defaults);
}

/** Convenience: compile sources and evaluate one query. */
export function evaluate(sources: Source[], query: string, opts: QueryOptions = {}): Row[] {
  return evalQuery(prepare(sources), query, opts);
}

/** True when err is an engine error (parse, compile or evaluation). */
export function isRegoError(err: unknown): err is RegoError {
  return err instanceof RegoError;
}
