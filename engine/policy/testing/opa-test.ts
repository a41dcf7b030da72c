// Runs a pack's Rego unit tests the way `opa test` does
// (https://www.openpolicyagent.org/docs/policy-testing): every rule named `test_*` is a test;
// it passes when it is defined and true, fails when undefined or any other value, and errors
// when evaluation raises. `todo_test_*` rules are reported as skipped. Tests use `with` to
// replace input and data, so each test rule is evaluated on its own with no input.
import { evalQuery, prepare } from '../rego/index.ts';
import type { Source, Value } from '../rego/index.ts';
import type { Builtin } from '../rego/builtins/types.ts';

export type TestOutcome = 'pass' | 'fail' | 'error' | 'skip';

/** The result of one test rule. */
export type TestResult = {
  package: string;
  name: string;
  file: string;
  row: number;
  outcome: TestOutcome;
  /** The error text for `error`, or what the rule produced for `fail`. */
  detail?: string;
  durationMs: number;
};

export type TestReport = {
  results: TestResult[];
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
};

export type TestOptions = {
  /** Base document under `data` (a pack's data.json). */
  data?: Value;
  builtins?: Map<string, Builtin>;
  /** Only tests whose "package.name" matches run (like `opa test --run`). */
  run?: RegExp;
  /** Clock for time.now_ns; tests should not depend on it. */
  nowNs?: () => bigint;
};

type TestRule = { pkg: string[]; name: string; file: string; row: number };

function testRules(
  sources: Source[],
  policyModules: ReturnType<typeof prepare>['modules'],
): TestRule[] {
  const seen = new Set<string>();
  const out: TestRule[] = [];
  const files = new Set(sources.map((s) => s.file));
  for (const m of policyModules) {
    if (!files.has(m.file)) continue;
    for (const r of m.rules) {
      const head = r.ref[0];
      if (r.kind !== 'value' || r.ref.length !== 1 || head?.type !== 'scalar') continue;
      const name = String(head.value);
      if (!name.startsWith('test_') && !name.startsWith('todo_test_')) continue;
      // Several bodies of one test name are one test, as in OPA.
      const key = [...m.pkg, name].join('.');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ pkg: m.pkg, name, file: m.file, row: r.loc.row });
    }
  }
  return out;
}

/**
 * Compile `modules` (policy and test files together, as `opa test DIR` loads them) and run the
 * test rules found in `tests` (defaults to every module). Throws RegoError on compile errors.
 */
export function runRegoTests(
  modules: Source[],
  opts: TestOptions = {},
  tests: Source[] = modules,
): TestReport {
  const policy = prepare(modules);
  const results: TestResult[] = [];
  for (const t of testRules(tests, policy.modules)) {
    const id = `${t.pkg.join('.')}.${t.name}`;
    if (opts.run && !opts.run.test(id)) continue;
    const base = { package: t.pkg.join('.'), name: t.name, file: t.file, row: t.row };
    if (t.name.startsWith('todo_')) {
      results.push({ ...base, outcome: 'skip', durationMs: 0 });
      continue;
    }
    const ref = ['data', ...[...t.pkg, t.name].map((s) => `[${JSON.stringify(s)}]`)].join('');
    const start = performance.now();
    try {
      const rows = evalQuery(policy, `x := ${ref}`, {
        data: opts.data,
        builtins: opts.builtins,
        nowNs: opts.nowNs,
      });
      const v = rows[0]?.x;
      const durationMs = performance.now() - start;
      if (v === true) results.push({ ...base, outcome: 'pass', durationMs });
      else
        results.push({
          ...base,
          outcome: 'fail',
          detail: v === undefined ? 'undefined' : `value ${String(v)}`,
          durationMs,
        });
    } catch (err) {
      results.push({
        ...base,
        outcome: 'error',
        detail: err instanceof Error ? err.message : String(err),
        durationMs: performance.now() - start,
      });
    }
  }
  const count = (o: TestOutcome): number => results.filter((r) => r.outcome === o).length;
  return {
    results,
    passed: count('pass'),
    failed: count('fail'),
    errored: count('error'),
    skipped: count('skip'),
  };
}

/** One line per test, as `opa test -v` prints them. */
export function formatReport(report: TestReport): string {
  const lines = report.results.map((r) => {
    const status = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIPPED' }[r.outcome];
    const extra = r.detail ? ` — ${r.detail}` : '';
    return `${r.file}:${r.row}: data.${r.package}.${r.name}: ${status} (${r.durationMs.toFixed(1)}ms)${extra}`;
  });
  lines.push(
    `PASS: ${report.passed}/${report.results.length}` +
      (report.failed ? `, FAIL: ${report.failed}` : '') +
      (report.errored ? `, ERROR: ${report.errored}` : '') +
      (report.skipped ? `, SKIPPED: ${report.skipped}` : ''),
  );
  return lines.join('\n');
}

/** Run a loaded pack's `*_test.rego` against its policy and data.json, as `opa test DIR`. */
export function runPackTests(
  pack: { sources: Source[]; tests: Source[]; data: Value },
  opts: Omit<TestOptions, 'data'> = {},
): TestReport {
  return runRegoTests([...pack.sources, ...pack.tests], { ...opts, data: pack.data }, pack.tests);
}
