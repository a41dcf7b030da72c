import { describe, expect, it } from 'vitest';
import { evaluate, RObject, RSet } from './index.ts';
import type { Value } from './index.ts';
import type { RegoError } from './errors.ts';

const run = (src: string, query: string, input?: Value) =>
  evaluate([{ file: 'p.rego', source: src }], query, { input });

describe('evaluate: rules', () => {
  it('evaluates complete, partial set, partial object and default rules', () => {
    const src = `package t
default allow := false
allow if input.user == "admin"
deny contains msg if { some r in input.roles; r == "guest"; msg := "guest" }
labels[k] := upper(v) if { some k, v in input.l }
`;
    const input = RObject.of([
      ['user', 'bob'],
      ['roles', ['guest']],
      ['l', RObject.of([['a', 'x']])],
    ]);
    const [row] = run(src, 'a := data.t.allow; d := data.t.deny; l := data.t.labels', input);
    expect(row).toEqual({ a: false, d: RSet.of(['guest']), l: RObject.of([['a', 'X']]) });
  });

  it('follows else chains and multiple function bodies', () => {
    const src = `package t
grade(n) := "a" if n >= 90 else := "b" if n >= 80 else := "c"
f(1) := "one"
f(2) := "two"
`;
    expect(run(src, 'x := [data.t.grade(95), data.t.grade(85), data.t.grade(1)]')).toEqual([
      { x: ['a', 'b', 'c'] },
    ]);
    expect(run(src, 'x := data.t.f(2)')).toEqual([{ x: 'two' }]);
    expect(run(src, 'x := data.t.f(3)')).toEqual([]);
  });

  it('builds objects from ref-head rules', () => {
    const [row] = run('package t\np[q].r := i if q := ["a", "b"][i]\n', 'x := data.t.p');
    expect(row!.x).toEqual(
      RObject.of([
        ['a', RObject.of([['r', 0]])],
        ['b', RObject.of([['r', 1]])],
      ]),
    );
  });

  it('raises eval_conflict_error when a complete rule has two values', () => {
    expect(() => run('package t\np := 1\np := 2\n', 'x := data.t.p')).toThrow(
      /eval_conflict_error: complete rules must not produce multiple outputs/,
    );
  });
});

describe('evaluate: expressions', () => {
  it('enumerates solutions by iteration and unification', () => {
    const rows = run('package t\n', '[x, y] = [a, 2]; a := [1, 3][_]; y > 1');
    expect(rows.map((r) => r.x)).toEqual([1, 3]);
    expect(rows.every((r) => r.y === 2)).toBe(true);
  });

  it('supports not, every, comprehensions and membership', () => {
    const src = `package t
nums := [1, 2, 3]
all_pos if every n in nums { n > 0 }
no_big if not big
big if { some n in nums; n > 10 }
sq := {n: n * n | some n in nums}
has2 if 2 in nums
`;
    const [row] = run(
      src,
      'a := data.t.all_pos; b := data.t.no_big; c := data.t.sq; d := data.t.has2',
    );
    expect(row).toEqual({
      a: true,
      b: true,
      c: RObject.of([
        [1, 1],
        [2, 4],
        [3, 9],
      ]),
      d: true,
    });
  });

  it('replaces input, data and functions with `with`', () => {
    const src = 'package t\nallow if input.x == 1\nf(x) := x\ng := f(5)\n';
    expect(run(src, 'data.t.allow with input.x as 1')).toEqual([{}]);
    expect(run(src, 'x := data.t.g with data.t.f as 7')).toEqual([{ x: 7 }]);
  });

  it('keeps big integers exact through arithmetic', () => {
    expect(run('package t\n', 'x := 9223372036854775807 + 1')).toEqual([
      { x: 9223372036854775808n },
    ]);
  });

  it('reports strict builtin errors with their location', () => {
    try {
      evaluate([{ file: 'p.rego', source: 'package t\n\np := 1 / 0\n' }], 'x := data.t.p', {
        strict: true,
      });
      expect.unreachable();
    } catch (err) {
      expect((err as RegoError).message).toBe('p.rego:3: eval_builtin_error: div: divide by zero');
    }
    expect(run('package t\n\np := 1 / 0\n', 'x := data.t.p')).toEqual([]);
  });
});

describe('evaluate: print', () => {
  it('prints operands, including undefined ones, without failing the body', () => {
    const out: string[] = [];
    const rows = evaluate(
      [{ file: 'p.rego', source: 'package t\np if { print("v", input.x, [1]); true }\n' }],
      'data.t.p',
      { print: (m) => out.push(m) },
    );
    expect(rows).toEqual([{}]);
    expect(out).toEqual(['v <undefined> [1]']);
  });
});

describe('checkFunctions', () => {
  it('reports unknown functions and arity mismatches with locations', async () => {
    const { prepare, checkFunctions } = await import('./index.ts');
    const policy = prepare([
      {
        file: 'c.rego',
        source: 'package t\nf(x) := x\np := nope(1)\nq := f(1, 2, 3)\nr := count([1])\ns := f(1)\n',
      },
    ]);
    const msgs = checkFunctions(policy).map((e) => e.message);
    expect(msgs).toEqual([
      'c.rego:3: rego_type_error: undefined function nope',
      'c.rego:4: rego_type_error: data.t.f: arity mismatch: expected 1 arguments, got 3',
    ]);
  });
});

describe('annotations', () => {
  it('exposes METADATA blocks through rego.metadata.rule and chain', () => {
    const src =
      '# METADATA\n# description: pkg\npackage t\n\n# METADATA\n# title: P\n# authors:\n# - Ann <a@x.io>\np := [rego.metadata.rule(), count(rego.metadata.chain())]\n';
    const [row] = run(src, 'x := data.t.p');
    const [rule, chainLength] = row!.x as [RObject, number];
    expect(rule).toEqual(
      RObject.of([
        ['title', 'P'],
        [
          'authors',
          [
            RObject.of([
              ['name', 'Ann'],
              ['email', 'a@x.io'],
            ]),
          ],
        ],
        ['scope', 'rule'],
      ]),
    );
    expect(chainLength).toBe(2);
  });
});

describe('iteration order', () => {
  it('iterates objects by key and sets in canonical order, as OPA does', () => {
    const src =
      'package t\np := [k | some k, _ in {"b": 1, "a": 2}]\nq := concat(",", {"b", "a"})\n';
    expect(run(src, 'p := data.t.p; q := data.t.q')).toEqual([{ p: ['a', 'b'], q: 'a,b' }]);
  });
});
