import { describe, expect, it } from 'vitest';
import { RObject, RSet, keyOf } from './value.ts';
import { compare, equals, parseJSON, toJSONText, toRegoText } from './value-ops.ts';

describe('value ordering and equality', () => {
  it('orders types as OPA does: null < boolean < number < string < array < object < set', () => {
    const vs = [new RSet(), new RObject(), [], 'a', 1, true, null];
    expect([...vs].sort(compare)).toEqual([null, true, 1, 'a', [], new RObject(), new RSet()]);
  });

  it('compares big integers exactly and 1 equal to 1.0', () => {
    expect(compare(18446744073709551615n, 18446744073709551614n)).toBe(1);
    expect(equals(1, 1.0)).toBe(true);
    expect(keyOf(2 ** 60)).toBe(keyOf(BigInt(2 ** 60)));
  });

  it('treats sets and objects structurally', () => {
    expect(equals(RSet.of([1, 2]), RSet.of([2, 1]))).toBe(true);
    expect(equals(RObject.of([['a', 1]]), RObject.of([['a', 2]]))).toBe(false);
  });
});

describe('value conversion', () => {
  it('parses JSON losslessly', () => {
    expect(parseJSON('{"n": 9223372036854775807}')).toEqual(
      RObject.of([['n', 9223372036854775807n]]),
    );
  });

  it('serialises like Go: sorted keys, sets as sorted arrays, HTML escaped', () => {
    const v = RObject.of([
      ['b', RSet.of([3, 1])],
      ['a', '<x>'],
    ]);
    expect(toJSONText(v)).toBe('{"a":"\\u003cx\\u003e","b":[1,3]}');
  });

  it('renders Rego text with set() for the empty set', () => {
    expect(toRegoText([new RSet(), RSet.of(['x'])])).toBe('[set(), {"x"}]');
  });
});
