import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.ts';

describe('tokenize', () => {
  it('records positions and whether whitespace or a newline came before each token', () => {
    const toks = tokenize('a.b\n  x[0]', 'f.rego');
    expect(toks.map((t) => t.value)).toEqual(['a', '.', 'b', 'x', '[', '0', ']', '']);
    const x = toks[3]!;
    expect([x.row, x.col, x.nl]).toEqual([2, 3, true]);
    expect(toks[4]!.ws).toBe(false);
  });

  it('decodes strings, raw strings and template parts', () => {
    const toks = tokenize('"a\\n" `r\\n` $"v={x}\\{"', 'f.rego');
    expect(toks[0]!.value).toBe('a\n');
    expect(toks[1]!.value).toBe('r\\n');
    expect(toks[2]!.parts).toEqual([
      { lit: 'v=' },
      { src: 'x', offset: 17, row: 1, col: 18 },
      { lit: '{' },
    ]);
  });
});
