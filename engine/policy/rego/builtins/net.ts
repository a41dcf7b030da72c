// CIDR builtins over IPv4/IPv6 addresses held as bigint.
import { builtinError, typeError } from '../errors.ts';
import { RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { str } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

type Net = { v6: boolean; addr: bigint; bits: number };

function parseIP(s: string): { v6: boolean; addr: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, addr: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':')) return undefined;
  let head = s;
  let v4tail: bigint | undefined;
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const v4 = parseIP(m[2]!);
    if (!v4) return undefined;
    v4tail = v4.addr;
    head = m[1] + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - a.length - b.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const groups = [...a, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...b];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let addr = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (v4tail !== undefined) addr = (addr & ~0xffffffffn) | v4tail;
  return { v6: true, addr };
}

function parseCIDR(name: string, s: string): Net {
  const [ip, len, extra] = s.split('/');
  const p = parseIP(ip!);
  const max = p?.v6 ? 128 : 32;
  if (!p || extra !== undefined || len === undefined || !/^\d+$/.test(len) || Number(len) > max)
    return builtinError(name, `invalid CIDR address: ${s}`);
  return { ...p, bits: Number(len) };
}

function parseNetOrIP(name: string, s: string): Net {
  if (s.includes('/')) return parseCIDR(name, s);
  const p = parseIP(s);
  if (!p) return builtinError(name, `invalid IP address: ${s}`);
  return { ...p, bits: p.v6 ? 128 : 32 };
}

const width = (n: Net): number => (n.v6 ? 128 : 32);
const mask = (n: Net): bigint =>
  ((1n << BigInt(width(n))) - 1n) ^ ((1n << BigInt(width(n) - n.bits)) - 1n);
const first = (n: Net): bigint => n.addr & mask(n);
const last = (n: Net): bigint => first(n) | ((1n << BigInt(width(n) - n.bits)) - 1n);

function contains(a: Net, b: Net): boolean {
  return a.v6 === b.v6 && first(b) >= first(a) && last(b) <= last(a);
}

/** Text form of an address (RFC 5952 compression for IPv6). */
export function formatIP(v6: boolean, addr: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 255n)).join('.');
  const groups = [...Array(8)].map((_, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return hex.slice(0, best).join(':') + '::' + hex.slice(best + bestLen).join(':');
}

function entries(name: string, v: Value, i: number): [Value, string][] {
  const elem = (key: Value, x: Value): [Value, string] => {
    if (typeof x === 'string') return [key, x];
    if (Array.isArray(x) && typeof x[0] === 'string') return [key, x[0]];
    return builtinError(name, `operand ${i + 1}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, k) => elem(k, x));
  if (v instanceof RSet) return v.values().map((x) => elem(x, x));
  if (v instanceof RObject) return v.entries().map(([k, x]) => elem(k, x));
  return typeError(
    name,
    `operand ${i + 1} must be one of {string, array, set, object} but got ${typeName(v)}`,
  );
}

function merge(nets: Net[]): Net[] {
  const sorted = nets
    .map((n) => ({ ...n, addr: first(n) }))
    .sort((a, b) =>
      a.v6 !== b.v6
        ? a.v6
          ? 1
          : -1
        : a.addr < b.addr
          ? -1
          : a.addr > b.addr
            ? 1
            : a.bits - b.bits,
    );
  let out: Net[] = [];
  for (const n of sorted) if (!out.some((o) => contains(o, n))) out.push(n);
  for (let changed = true; changed;) {
    changed = false;
    const next: Net[] = [];
    for (let i = 0; i < out.length; i++) {
      const a = out[i]!;
      const b = out[i + 1];
      if (b && a.v6 === b.v6 && a.bits === b.bits && a.bits > 0) {
        const parent = { ...a, bits: a.bits - 1 };
        if (first(parent) === a.addr && last(parent) === last(b) && first(b) === last(a) + 1n) {
          next.push({ ...parent, addr: first(parent) });
          i++;
          changed = true;
          continue;
        }
      }
      next.push(a);
    }
    out = next;
  }
  return out;
}

/** Net builtins. */
export const netBuiltins: BuiltinTable = {
  'net.cidr_contains': def(2, (a) =>
    contains(
      parseCIDR('net.cidr_contains', str('net.cidr_contains', a, 0)),
      parseNetOrIP('net.cidr_contains', str('net.cidr_contains', a, 1)),
    ),
  ),
  'net.cidr_overlap': def(2, (a) =>
    contains(
      parseCIDR('net.cidr_overlap', str('net.cidr_overlap', a, 0)),
      parseNetOrIP('net.cidr_overlap', str('net.cidr_overlap', a, 1)),
    ),
  ),
  'net.cidr_intersects': def(2, (a) => {
    const x = parseCIDR('net.cidr_intersects', str('net.cidr_intersects', a, 0));
    const y = parseCIDR('net.cidr_intersects', str('net.cidr_intersects', a, 1));
    return x.v6 === y.v6 && first(x) <= last(y) && first(y) <= last(x);
  }),
  'net.cidr_is_valid': def(1, ([v]) => {
    if (typeof v !== 'string') return false;
    try {
      parseCIDR('net.cidr_is_valid', v);
      return true;
    } catch {
      return false;
    }
  }),
  'net.cidr_expand': def(1, (a) => {
    const n = parseCIDR('net.cidr_expand', str('net.cidr_expand', a, 0));
    if (width(n) - n.bits > 20) builtinError('net.cidr_expand', 'CIDR too large to expand');
    const out = new RSet();
    for (let x = first(n); x <= last(n); x++) out.add(formatIP(n.v6, x));
    return out;
  }),
  'net.cidr_contains_matches': def(2, ([x, y]) => {
    const name = 'net.cidr_contains_matches';
    const out = new RSet();
    const ys = entries(name, y!, 1).map(([k, s]) => [k, parseNetOrIP(name, s)] as const);
    for (const [k1, s1] of entries(name, x!, 0)) {
      const n1 = parseCIDR(name, s1);
      for (const [k2, n2] of ys) if (contains(n1, n2)) out.add([k1, k2]);
    }
    return out;
  }),
  'net.cidr_merge': def(1, ([v]) => {
    const name = 'net.cidr_merge';
    const items = Array.isArray(v)
      ? v
      : v instanceof RSet
        ? v.values()
        : typeError(name, `operand 1 must be one of {array, set} but got ${typeName(v!)}`);
    const nets = items.map((s) => {
      if (typeof s !== 'string')
        return typeError(
          name,
          `operand 1 must be one of {array, set} of strings but got ${typeName(s)}`,
        );
      if (s.includes('/')) return parseCIDR(name, s);
      const p = parseIP(s);
      if (!p) return builtinError(name, `IPv4 invalid: needs prefix length`);
      if (p.v6) return builtinError(name, 'IPv6 invalid: needs prefix length');
      // Go falls back to the classful default mask for a bare IPv4 address.
      const octet = Number(p.addr >> 24n);
      return { ...p, bits: octet < 128 ? 8 : octet < 192 ? 16 : 24 };
    });
    return RSet.of(merge(nets).map((n) => `${formatIP(n.v6, n.addr)}/${n.bits}`));
  }),
};
