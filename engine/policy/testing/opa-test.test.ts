import { describe, expect, it } from 'vitest';
import { fromJS } from '../rego/index.ts';
import { formatReport, runRegoTests } from './opa-test.ts';

const policy = {
  file: 'p.rego',
  source: `package p

allow if input.user == data.admins[_]
`,
};
const tests = {
  file: 'p_test.rego',
  source: `package p_test

import data.p

test_admin_allowed if p.allow with input as {"user": "ann"}
test_other_denied if not p.allow with input as {"user": "bob"}
test_undefined_fails if p.allow
test_false_fails := false
test_error if to_number("x") == 1
todo_test_later if false
helper if true
test_data_override if p.allow with input as {"user": "zed"} with data.admins as ["zed"]
`,
};

describe('runRegoTests', () => {
  const report = runRegoTests([policy, tests], { data: fromJS({ admins: ['ann'] }) });
  const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));

  it('runs only test_ rules and classifies them as opa test does', () => {
    expect(Object.keys(byName).sort()).toEqual([
      'test_admin_allowed',
      'test_data_override',
      'test_error',
      'test_false_fails',
      'test_other_denied',
      'test_undefined_fails',
      'todo_test_later',
    ]);
    expect(byName.test_admin_allowed?.outcome).toBe('pass');
    expect(byName.test_other_denied?.outcome).toBe('pass');
    expect(byName.test_data_override?.outcome).toBe('pass');
    expect(byName.test_undefined_fails).toMatchObject({ outcome: 'fail', detail: 'undefined' });
    expect(byName.test_false_fails).toMatchObject({ outcome: 'fail', detail: 'value false' });
    expect(byName.todo_test_later?.outcome).toBe('skip');
    expect(report).toMatchObject({ passed: 3, failed: 3, skipped: 1 });
  });

  it('reports an evaluation error as an error, with its location', () => {
    // Builtin errors are undefined unless strict, as in opa test without --strict-builtin-errors.
    expect(byName.test_error?.outcome).toBe('fail');
    const bad = runRegoTests([
      { file: 'c_test.rego', source: 'package c\n\nx := 1\nx := 2\n\ntest_conflict if x == 1\n' },
    ]);
    expect(bad.results[0]).toMatchObject({ outcome: 'error', file: 'c_test.rego', row: 6 });
    expect(bad.results[0]?.detail).toMatch(/eval_conflict_error/);
  });

  it('reports the file and row of each test', () => {
    expect(byName.test_admin_allowed).toMatchObject({
      file: 'p_test.rego',
      row: 5,
      package: 'p_test',
    });
    expect(formatReport(report)).toMatch(/p_test\.rego:5: data\.p_test\.test_admin_allowed: PASS/);
  });

  it('filters tests by package.name like opa test --run', () => {
    const run = runRegoTests([policy, tests], { data: fromJS({ admins: [] }) }, [tests]);
    expect(run.passed).toBe(2);
    const only = runRegoTests([policy, tests], { run: /p_test\.test_other/ });
    expect(only.results.map((r) => r.name)).toEqual(['test_other_denied']);
  });

  it('runs tests only from the given test modules', () => {
    const only = runRegoTests([policy, tests], {}, [policy]);
    expect(only.results).toEqual([]);
  });
});
