import { describe, expect, it } from 'vitest';
import { parseQuery } from './parser.ts';
import { reorderBody } from './safety.ts';
import type { Expr } from './ast.ts';

const text = (body: Expr[]): string[] => body.map((e) => `${e.loc.row}:${e.loc.col}`);

describe('reorderBody', () => {
  it('moves an expression after the one binding the variable it reads', () => {
    const body = parseQuery('x = y\ny = 1\nz := count([x])');
    expect(text(reorderBody(body))).toEqual(['2:1', '1:1', '3:1']);
  });

  it('keeps negations after their variables are bound and leaves safe bodies alone', () => {
    expect(text(reorderBody(parseQuery('not x == 2\nx := 1')))).toEqual(['2:1', '1:1']);
    expect(text(reorderBody(parseQuery('a := 1\nb := a + 1')))).toEqual(['1:1', '2:1']);
  });
});
