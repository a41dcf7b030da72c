// semver, units, uuid builtins.
import { builtinError } from '../errors.ts';
import { RObject, num } from '../value.ts';
import type { Value } from '../value.ts';
import { str } from './args.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(name: string, s: string, i: number): RegExpExecArray {
  const m = SEMVER.exec(s);
  if (!m || s.startsWith('v'))
    return builtinError(
      name,
      `operand ${i + 1}: string ${JSON.stringify(s)} is not a valid SemVer`,
    );
  return m;
}

function cmpIdent(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Math.sign(Number(BigInt(a) - BigInt(b)));
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare two semantic versions (-1, 0, 1). */
export function compareSemver(a: RegExpExecArray, b: RegExpExecArray): number {
  for (let i = 1; i <= 3; i++) {
    const d = BigInt(a[i]!) - BigInt(b[i]!);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  const pa = a[4];
  const pb = b[4];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const xa = pa.split('.');
  const xb = pb.split('.');
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const c = cmpIdent(xa[i]!, xb[i]!);
    if (c !== 0) return c;
  }
  return Math.sign(xa.length - xb.length);
}

const SI: Record<string, number> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  p: 1e15,
  e: 1e18,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
  pi: 2 ** 50,
  ei: 2 ** 60,
};

function parseUnits(name: string, s: string, bytes: boolean): Value {
  const t = s.replace(/"/g, '');
  if (/\s/.test(t)) return builtinError(name, 'spaces not allowed in resource strings');
  const m = /^([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)$/.exec(t);
  if (!m)
    return builtinError(name, bytes ? 'could not parse byte amount' : 'could not parse units');
  let unit = m[2]!;
  if (bytes) unit = unit.toLowerCase().replace(/b$/, '');
  else if (unit === 'm') return num(Number(m[1]) * 1e-3);
  const mult = SI[bytes ? unit : unit.toLowerCase()];
  if (mult === undefined) return builtinError(name, `unknown unit ${m[2]}`);
  const v = Number(m[1]) * mult;
  return bytes ? num(BigInt(Math.floor(v))) : num(v);
}

const UUID =
  /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/;
const UUID32 =
  /^([0-9a-fA-F]{8})([0-9a-fA-F]{4})([0-9a-fA-F]{4})([0-9a-fA-F]{4})([0-9a-fA-F]{12})$/;

// Accepts the forms Go's uuid.Parse accepts: plain, urn:uuid: (any case), 38 chars with one
// wrapping character on each side, and 32 hex digits.
function parseUUID(input: string): Value | undefined {
  let s = input;
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') s = s.slice(9);
  else if (s.length === 38) s = s.slice(1, -1);
  const m = s.length === 32 ? UUID32.exec(s) : UUID.exec(s);
  if (!m) return undefined;
  const hex = m.slice(1).join('');
  const version = parseInt(hex[12]!, 16);
  const vbits = parseInt(hex[16]!, 16);
  const variant =
    vbits < 8
      ? 'Reserved, NCS backward compatibility.'
      : vbits < 12
        ? 'RFC4122'
        : vbits < 14
          ? 'Reserved, Microsoft Corporation backward compatibility.'
          : 'Reserved, future definition.';
  const o = RObject.of([
    ['version', version],
    ['variant', variant],
  ]);
  if (version === 1 || version === 2) {
    const timeLow = BigInt('0x' + hex.slice(0, 8));
    const timeMid = BigInt('0x' + hex.slice(8, 12));
    const timeHi = BigInt('0x' + hex.slice(13, 16));
    const t100ns = (timeHi << 48n) | (timeMid << 32n) | timeLow;
    const unixNs = (t100ns - 122192928000000000n) * 100n;
    const node = hex.slice(20);
    const nodeBytes = node.match(/../g)!;
    const first = parseInt(nodeBytes[0]!, 16);
    o.set('time', num(unixNs));
    o.set('clocksequence', parseInt(hex.slice(16, 20), 16) & 0x3fff);
    o.set('nodeid', nodeBytes.join('-'));
    o.set(
      'macvariables',
      `${first & 2 ? 'local' : 'global'}:${first & 1 ? 'multicast' : 'unicast'}`,
    );
    if (version === 2) {
      const domain = parseInt(hex.slice(18, 20), 16);
      o.set('domain', ['Person', 'Group', 'Org'][domain] ?? `Domain${domain}`);
      o.set('id', Number(timeLow));
    }
  }
  return o;
}

function pseudoRandomUUID(seed: string): string {
  let h = 2166136261;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const c of seed + i) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    bytes.push((h >>> 0) & 255);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** semver, units and uuid builtins. */
export const miscBuiltins: BuiltinTable = {
  'semver.is_valid': def(1, ([v]) => typeof v === 'string' && SEMVER.test(v) && !v.startsWith('v')),
  'semver.compare': def(2, (a) =>
    compareSemver(
      semver('semver.compare', str('semver.compare', a, 0), 0),
      semver('semver.compare', str('semver.compare', a, 1), 1),
    ),
  ),
  'units.parse': def(1, (a) => parseUnits('units.parse', str('units.parse', a, 0), false)),
  'units.parse_bytes': def(1, (a) =>
    parseUnits('units.parse_bytes', str('units.parse_bytes', a, 0), true),
  ),
  'uuid.parse': def(1, (a) => parseUUID(str('uuid.parse', a, 0))),
  'uuid.rfc4122': def(1, (a, ctx) => {
    const key = 'uuid.rfc4122:' + str('uuid.rfc4122', a, 0);
    const hit = ctx.cache.get(key);
    if (hit !== undefined) return hit;
    const v = pseudoRandomUUID(key + String(ctx.nowNs()) + Math.random());
    ctx.cache.set(key, v);
    return v;
  }),
};
