import { describe, expect, it } from 'vitest';
import { defaultBuiltins } from './registry.ts';
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import type { BuiltinContext } from './types.ts';

const table = defaultBuiltins();
const ctx = (): BuiltinContext => ({ cache: new Map(), nowNs: () => 1_700_000_000_000_000_000n });
const call = (name: string, ...args: Value[]): Value | undefined =>
  table.get(name)!.fn(args, ctx());

describe('numbers and aggregates', () => {
  it('keeps integer arithmetic exact beyond 2^53', () => {
    expect(call('plus', 9007199254740993n, 1)).toBe(9007199254740994n);
    expect(call('mul', 18446744073709551617n, 2)).toBe(36893488147419103234n);
    expect(call('sum', [9223372036854775807n, 1])).toBe(9223372036854775808n);
  });

  it('follows Go semantics for rounding, division and remainders', () => {
    expect(call('round', -2.5)).toBe(-3);
    expect(call('div', 10, 4)).toBe(2.5);
    expect(call('rem', -7, 3)).toBe(-1);
    expect(() => call('rem', 1, 0)).toThrow(/modulo by zero/);
  });

  it('computes set differences and ranges', () => {
    expect(call('minus', RSet.of([1, 2, 3]), RSet.of([2]))).toEqual(RSet.of([1, 3]));
    expect(call('numbers.range', 3, 1)).toEqual([3, 2, 1]);
    expect(call('bits.lsh', 9223372036854775807n, 1)).toBe(18446744073709551614n);
  });
});

describe('strings', () => {
  it('formats with Go verbs', () => {
    expect(call('sprintf', 'hi %02d %s %v %.2f', [5, 'there', RSet.of([1]), 3.14159])).toBe(
      'hi 05 there {1} 3.14',
    );
    expect(call('sprintf', '%s', [123456789123456789123n])).toBe('123456789123456789123');
  });

  it('indexes by code point and trims cut sets', () => {
    expect(call('indexof', 'héllo', 'l')).toBe(2);
    expect(call('substring', 'héllo', 1, 3)).toBe('éll');
    expect(call('trim', '..a.b..', '.')).toBe('a.b');
    expect(call('strings.split_n', 'a.b.c', '.', -2)).toEqual(['b', 'c']);
  });
});

describe('regex and glob', () => {
  it('translates RE2 named groups and finds submatches', () => {
    expect(call('regex.match', '^(?P<x>a+)$', 'aaa')).toBe(true);
    expect(call('regex.find_all_string_submatch_n', 'a(b)', 'abab', -1)).toEqual([
      ['ab', 'b'],
      ['ab', 'b'],
    ]);
  });

  it('matches globs with delimiters and super-asterisks', () => {
    expect(call('glob.match', '*.github.com', [], 'api.github.com')).toBe(true);
    expect(call('glob.match', '*.github.com', [], 'a.b.github.com')).toBe(false);
    expect(call('glob.match', '**.github.com', [], 'a.b.github.com')).toBe(true);
    expect(call('glob.match', '{a,b}.x', null, 'b.x')).toBe(true);
  });
});

describe('encoding', () => {
  it('round-trips base64, base64url and hex', () => {
    expect(call('base64.encode', 'héllo?')).toBe('aMOpbGxvPw==');
    expect(call('base64.decode', 'aMOpbGxvPw==')).toBe('héllo?');
    expect(call('base64url.encode_no_pad', 'héllo?')).toBe('aMOpbGxvPw');
    expect(call('hex.decode', call('hex.encode', 'ok')!)).toBe('ok');
  });

  it('marshals JSON like Go and parses YAML', () => {
    expect(
      call(
        'json.marshal',
        RObject.of([
          ['b', 1],
          ['a', RSet.of([2, 1])],
        ]),
      ),
    ).toBe('{"a":[1,2],"b":1}');
    expect(call('yaml.unmarshal', 'a: [1, 2]')).toEqual(RObject.of([['a', [1, 2]]]));
    expect(
      call(
        'urlquery.encode_object',
        RObject.of([
          ['q', 'a b'],
          ['x', ['1', '2']],
        ]),
      ),
    ).toBe('q=a+b&x=1&x=2');
  });
});

describe('time', () => {
  it('parses and formats RFC 3339 with nanoseconds and zones', () => {
    expect(call('time.parse_rfc3339_ns', '2017-06-02T19:00:00-07:00')).toBe(1496455200000000000n);
    expect(call('time.format', [1496455200000000000n, 'UTC'])).toBe('2017-06-03T02:00:00Z');
    expect(call('time.date', [1517832000000000000n, 'America/Los_Angeles'])).toEqual([2018, 2, 5]);
    expect(call('time.parse_duration_ns', '1h30m')).toBe(5400000000000);
  });

  it('caches time.now_ns within one query', () => {
    const c = ctx();
    const now = table.get('time.now_ns')!;
    expect(now.fn([], c)).toBe(now.fn([], c));
  });
});

describe('net, semver, uuid, graph and json documents', () => {
  it('handles CIDRs for IPv4 and IPv6', () => {
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(call('net.cidr_merge', ['192.0.2.0/25', '192.0.2.128/25'])).toEqual(
      RSet.of(['192.0.2.0/24']),
    );
    expect(call('net.cidr_merge', ['2001:db8::/33', '2001:db8:8000::/33'])).toEqual(
      RSet.of(['2001:db8::/32']),
    );
  });

  it('compares semantic versions', () => {
    expect(call('semver.compare', '1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(call('semver.is_valid', 'v1.0.0')).toBe(false);
  });

  it('parses UUIDs', () => {
    expect(call('uuid.parse', '00000000-0000-4000-8000-000000000000')).toEqual(
      RObject.of([
        ['version', 4],
        ['variant', 'RFC4122'],
      ]),
    );
    expect(call('uuid.parse', 'nope')).toBeUndefined();
  });

  it('walks values and follows graphs', () => {
    const g = RObject.of([
      ['a', ['b']],
      ['b', ['c']],
      ['c', []],
      ['d', []],
    ]);
    expect(call('graph.reachable', g, ['a'])).toEqual(RSet.of(['a', 'b', 'c']));
    expect(table.get('walk')!.fn([[7]], ctx())).toEqual([
      [[], [7]],
      [[0], 7],
    ]);
  });

  it('filters, removes and patches JSON documents', () => {
    const doc = RObject.of([
      [
        'a',
        RObject.of([
          ['b', 1],
          ['c', 2],
        ]),
      ],
    ]);
    expect(call('json.filter', doc, ['a/b'])).toEqual(RObject.of([['a', RObject.of([['b', 1]])]]));
    expect(call('json.remove', doc, ['a/b'])).toEqual(RObject.of([['a', RObject.of([['c', 2]])]]));
    const patched = call('json.patch', doc, [
      RObject.of([
        ['op', 'add'],
        ['path', '/a/d'],
        ['value', 3],
      ]),
    ]);
    expect((patched as RObject).get('a')).toEqual(
      RObject.of([
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ]),
    );
  });
});

describe('json schema', () => {
  const schema = RObject.of([
    ['properties', RObject.of([['id', RObject.of([['type', 'integer']])]])],
    ['required', ['id']],
  ]);

  it('reports gojsonschema-shaped errors', () => {
    expect(call('json.match_schema', RObject.of([['id', 5]]), schema)).toEqual([true, []]);
    const [ok, errs] = call('json.match_schema', '{"id": "x"}', schema) as [boolean, RObject[]];
    expect(ok).toBe(false);
    expect(errs[0]!.get('error')).toBe('id: Invalid type. Expected: integer, given: string');
    const [, missing] = call('json.match_schema', '{}', schema) as [boolean, RObject[]];
    expect(missing[0]!.get('error')).toBe('(root): id is required');
  });

  it('rejects schemas with unknown types', () => {
    expect(call('json.verify_schema', '{"type": "nope"}')).toEqual([
      false,
      'jsonschema: has a primitive type that is NOT VALID -- given: /nope/ Expected valid values are:[array boolean integer number null object string]',
    ]);
  });
});

describe('regex.globs_match and template_match', () => {
  it('decides whether two glob-regexes share a non-empty match', () => {
    expect(call('regex.globs_match', 'a.a.[0-9]+z', '.b.b.')).toBe(false);
    expect(call('regex.globs_match', '[a-z]+', 'fo*')).toBe(true);
    expect(call('regex.globs_match', 'a+', 'b*')).toBe(false);
    expect(call('regex.globs_match', 'a*', 'b*')).toBe(false);
  });

  it('matches templates with embedded regexes', () => {
    expect(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo:{[0-9]+}', 'urn:foo:bar', '{', '}')).toBe(false);
  });

  it('converts to numbers and parses units', () => {
    expect(call('to_number', '-1.5')).toBe(-1.5);
    expect(call('to_number', true)).toBe(1);
    expect(call('units.parse', '1500m')).toBe(1.5);
    expect(call('units.parse', '2Ki')).toBe(2048);
    expect(call('units.parse_bytes', '1.5KB')).toBe(1500);
  });
});
