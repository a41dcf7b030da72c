import { describe, expect, it } from 'vitest';
import { runCase, summarize } from './runner.ts';
import type { ConformanceCase } from './loader.ts';
import { RObject } from '../rego/value.ts';

const base: ConformanceCase = {
  id: 'x/y.yaml#0',
  dir: 'x',
  file: 'x/y.yaml',
  index: 0,
  note: 'x/case',
  query: 'data.test.p = x',
  modules: ['package test\n\np := {1, 2}\n'],
  data: undefined,
  input: undefined,
  inputTerm: undefined,
  wantResult: undefined,
  wantErrorCode: undefined,
  wantError: undefined,
  strictError: false,
  sortBindings: false,
  ignoreGeneratedVars: false,
};

describe('runCase', () => {
  it('compares result sets with sets serialised as sorted arrays', () => {
    expect(runCase({ ...base, wantResult: [RObject.of([['x', [1, 2]]])] }).status).toBe('pass');
    expect(runCase({ ...base, wantResult: [RObject.of([['x', [2, 1]]])] }).status).toBe('fail');
  });

  it('checks expected error codes and message substrings', () => {
    const c = {
      ...base,
      modules: ['package test\n\np := 1\np := 2\n'],
      wantErrorCode: 'eval_conflict_error',
      wantError: 'complete rules',
    };
    expect(runCase(c).status).toBe('pass');
    expect(runCase({ ...c, wantError: 'something else' }).status).toBe('fail');
  });

  it('skips cases needing an unimplemented builtin and says which', () => {
    const r = runCase({ ...base, modules: ['package test\n\np := nope.fn(1)\n'], wantResult: [] });
    expect(r).toMatchObject({ status: 'skip', reason: 'builtin nope.fn not implemented' });
  });

  it('tallies by directory', () => {
    const s = summarize([
      { id: 'a', dir: 'd', note: '', status: 'pass' },
      { id: 'b', dir: 'd', note: '', status: 'skip', reason: 'r' },
    ]);
    expect(s).toEqual({
      passed: 1,
      failed: 0,
      skipped: 1,
      total: 2,
      byDir: { d: { passed: 1, failed: 0, skipped: 1 } },
    });
  });
});
