// Runs conformance cases the way OPA's topdown harness does (see the README of the cases):
// compile modules, evaluate the query, compare result sets and expected errors.
import { evalQuery, prepare } from '../rego/index.ts';
import type { Row } from '../rego/index.ts';
import { RegoError } from '../rego/errors.ts';
import { RObject, RSet, keyOf } from '../rego/value.ts';
import type { Value } from '../rego/value.ts';
import { keyString, sortValues, toRegoText } from '../rego/value-ops.ts';
import { def } from '../rego/builtins/types.ts';
import type { Builtin } from '../rego/builtins/types.ts';
import type { ConformanceCase } from './loader.ts';

/** Outcome of one case. */
export type CaseResult = {
  id: string;
  dir: string;
  note: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
};

/** Turn a value into its JSON form: sets become sorted arrays, non-string keys their JSON. */
function toJSONValue(v: Value): Value {
  if (Array.isArray(v)) return v.map(toJSONValue);
  if (v instanceof RSet) return sortValues(v.values()).map(toJSONValue);
  if (v instanceof RObject)
    return RObject.of(v.entries().map(([k, x]) => [keyString(k), toJSONValue(x)]));
  return v;
}

function rowKey(row: Row, c: ConformanceCase): string {
  const o = new RObject();
  for (const [name, v] of Object.entries(row)) {
    if (c.ignoreGeneratedVars && name.startsWith('__localq')) continue;
    let j = toJSONValue(v);
    if (c.sortBindings && Array.isArray(j)) j = sortValues(j);
    o.set(name, j);
  }
  return keyOf(o);
}

// The harness-only builtin from OPA's driver: sleeps (here: no-op) and returns null.
const harnessBuiltins = new Map<string, Builtin>([['test.sleep', def(1, () => null)]]);

/** Names of builtins that are deliberately not implemented; cases needing them are skipped. */
export type SkipPolicy = (err: RegoError) => string | undefined;

const unimplemented: SkipPolicy = (err) => {
  const m = /undefined function (\S+)/.exec(err.message);
  return m ? `builtin ${m[1]} not implemented` : undefined;
};

function inputOf(c: ConformanceCase, extra: Map<string, Builtin>): Value | undefined {
  if (c.inputTerm === undefined) return c.input;
  const rows = evalQuery(prepare([]), `__input__ = ${c.inputTerm}`, { builtins: extra });
  return rows[0]?.['__input__'];
}

/** Run one case. */
export function runCase(
  c: ConformanceCase,
  extra: Map<string, Builtin> = new Map(),
  skip: SkipPolicy = unimplemented,
): CaseResult {
  const base = { id: c.id, dir: c.dir, note: c.note };
  const builtins = new Map([...harnessBuiltins, ...extra]);
  let rows: Row[] = [];
  let error: unknown;
  try {
    const policy = prepare(c.modules.map((source, i) => ({ file: `test-${i}.rego`, source })));
    rows = evalQuery(policy, c.query, {
      input: inputOf(c, builtins),
      data: c.data,
      strict: c.strictError,
      builtins,
    });
  } catch (err) {
    error = err;
  }
  if (error instanceof RegoError) {
    const reason = skip(error);
    if (reason) return { ...base, status: 'skip', reason };
  }
  const fail = (reason: string): CaseResult => ({ ...base, status: 'fail', reason });
  if (error !== undefined && !(error instanceof RegoError))
    return fail(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
  const err = error as RegoError | undefined;
  if (c.wantError !== undefined || c.wantErrorCode !== undefined) {
    if (!err)
      return fail(
        `expected error ${c.wantErrorCode ?? ''} ${c.wantError ?? ''}, got ${rows.length} rows`,
      );
    if (c.wantErrorCode !== undefined && err.code !== c.wantErrorCode)
      return fail(`expected code ${c.wantErrorCode}, got ${err.message}`);
    if (c.wantError !== undefined && !err.message.includes(c.wantError))
      return fail(`expected error text "${c.wantError}", got "${err.message}"`);
  } else if (err) return fail(`unexpected error: ${err.message}`);
  if (c.wantResult !== undefined) {
    const want = new Set(c.wantResult.map((w) => keyOf(w)));
    const got = new Set(rows.map((r) => rowKey(r, c)));
    const same = want.size === got.size && [...want].every((w) => got.has(w));
    if (!same)
      return fail(
        `result mismatch: got ${rows.map((r) => toRegoText(RObject.of(Object.entries(r)))).join(' | ') || '(none)'}`,
      );
  }
  return { ...base, status: 'pass' };
}

/** Per-directory and total figures. */
export type Summary = {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  byDir: Record<string, { passed: number; failed: number; skipped: number }>;
};

/** Tally results. */
export function summarize(results: CaseResult[]): Summary {
  const s: Summary = { passed: 0, failed: 0, skipped: 0, total: results.length, byDir: {} };
  for (const r of results) {
    const d = (s.byDir[r.dir] ??= { passed: 0, failed: 0, skipped: 0 });
    const key = r.status === 'pass' ? 'passed' : r.status === 'fail' ? 'failed' : 'skipped';
    d[key]++;
    s[key]++;
  }
  return s;
}
