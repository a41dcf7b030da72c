import { describe, expect, it } from 'vitest';
import { opaCanonicalJson } from './opa-json.ts';

describe("opaCanonicalJson (OPA bundle/hash.go's JSON form)", () => {
  it.each([
    ['{ "b": 1, "a": [true, null, "x"] }', '{"a":[true,null,"x"],"b":1}'],
    ['{"n": 1.0, "e": 1E+2, "neg": -0}', '{"e":1E+2,"n":1.0,"neg":-0}'],
    ['{"a": 1, "a": 2}', '{"a":2}'],
    ['"<&>"', '"<&>"'],
    ['"\\u00e9\\u2028\\/\\b\\u0001"', '"é\\u2028/\\b\\u0001"'],
    ['{"é": 1, "z": 2, "Z": 3}', '{"Z":3,"z":2,"é":1}'],
    ['{"\\ud83d\\ude00": 1, "\\uffff": 2}', '{"\uffff":2,"😀":1}'],
    [' [ ] ', '[]'],
  ])('%s → %s', (input, expected) => {
    expect(opaCanonicalJson(input)).toBe(expected);
  });

  it.each(['{"a":1,}', '[1 2]', '01', '{"a" 1}', '"x', 'nul', '{} x', '"\t"'])(
    'refuses %s',
    (input) => {
      expect(() => opaCanonicalJson(input)).toThrow(SyntaxError);
    },
  );
});
