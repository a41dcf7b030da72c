import { describe, expect, it } from 'vitest';
import { parseModule, parseQuery } from './parser.ts';
import { RegoError } from './errors.ts';

describe('parseModule', () => {
  it('parses rules of every kind with their heads', () => {
    const m = parseModule(
      `package a.b
import rego.v1
default allow := false
allow if input.ok
deny contains msg if { msg := "no" }
obj[k] := v if { some k, v in input.o }
p.q[r].s := 1 if r := "x"
f(x) := y if { y := x + 1 } else := 0
`,
      'm.rego',
    );
    expect(m.pkg).toEqual(['a', 'b']);
    expect(m.rules.map((r) => r.kind)).toEqual(['value', 'value', 'set', 'value', 'value', 'func']);
    expect(m.rules[0]!.isDefault).toBe(true);
    expect(m.rules[4]!.ref).toHaveLength(4);
    expect(m.rules[5]!.else).toBeDefined();
  });

  it('reports parse errors with file, row and column', () => {
    try {
      parseModule('package x\n\np := [1,\n', 'bad.rego');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RegoError);
      const e = err as RegoError;
      expect(e.code).toBe('rego_parse_error');
      expect(e.location?.file).toBe('bad.rego');
      expect(e.message).toMatch(/^bad\.rego:\d+: rego_parse_error/);
    }
  });

  it('accepts keywords as ref segments', () => {
    const m = parseModule('package foo.if\n\nelse.x := 1\n', 'k.rego');
    expect(m.pkg).toEqual(['foo', 'if']);
    expect(m.rules).toHaveLength(1);
  });
});

describe('parseQuery', () => {
  it('splits expressions on newlines and semicolons and keeps operator precedence', () => {
    const q = parseQuery('x := 1 + 2 * 3; y = x\nnot z');
    expect(q).toHaveLength(3);
    expect(q[2]!.negated).toBe(true);
    const rhs = q[0]!.kind === 'assign' ? q[0]!.right : undefined;
    expect(rhs?.type === 'call' && rhs.fn.type === 'var' ? rhs.fn.name : '').toBe('plus');
  });
});
