// Time builtins over epoch nanoseconds. Time zones come from Intl (IANA database), so the
// family is portable. time.now_ns is cached per query, as OPA requires.
import { builtinError, typeError } from '../errors.ts';
import { isNumber, num, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { intArg, str } from './args.ts';
import { DAYS, NAMED_LAYOUTS, formatLayout } from './time-layout.ts';
import type { Fields } from './time-layout.ts';
import { daysFromCivil, parseDuration, parseLayout, toNanos } from './time-parse.ts';
import { def } from './types.ts';
import type { BuiltinTable } from './types.ts';

const NS = 1_000_000_000n;
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

function inRange(name: string, ns: bigint): Value {
  if (ns < MIN || ns > MAX) builtinError(name, 'time outside of valid range');
  return num(ns);
}

function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const zoneCache = new Map<string, Intl.DateTimeFormat>();

function zoneOffset(tz: string, secs: number): number {
  let f = zoneCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    zoneCache.set(tz, f);
  }
  const parts = Object.fromEntries(
    f.formatToParts(new Date(secs * 1000)).map((p) => [p.type, p.value]),
  );
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const local =
    daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86400 +
    Number(parts.hour) * 3600 +
    Number(parts.minute) * 60 +
    Number(parts.second);
  return local - secs;
}

/** Wall-clock fields of an instant in a time zone ("" or "UTC" for UTC). */
export function fieldsOf(ns: bigint, tz: string): Fields {
  let secs = ns / NS;
  let nanos = ns % NS;
  if (nanos < 0n) {
    nanos += NS;
    secs -= 1n;
  }
  const s = Number(secs);
  const utc = tz === '' || tz === 'UTC';
  const offsetSec = utc ? 0 : zoneOffset(tz === 'Local' ? 'UTC' : tz, s);
  const local = s + offsetSec;
  const days = Math.floor(local / 86400);
  const rem = local - days * 86400;
  const [year, month, day] = civil(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    min: Math.floor((rem % 3600) / 60),
    sec: rem % 60,
    nanos: Number(nanos),
    offsetSec,
    zone: utc ? 'UTC' : tz,
    weekday: (((days + 4) % 7) + 7) % 7,
  };
}

function nsOf(name: string, v: Value): bigint {
  if (!isNumber(v)) return typeError(name, `operand 1 must be number but got ${typeName(v)}`);
  if (typeof v === 'number' && Math.abs(v) > 9.2e18) builtinError(name, 'timestamp too big');
  const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (b < MIN || b > MAX) builtinError(name, 'timestamp too big');
  return b;
}

function instant(name: string, v: Value): { ns: bigint; tz: string; layout?: string } {
  if (Array.isArray(v)) {
    if (v.length < 1 || v.length > 3)
      typeError(name, 'operand 1 must be array of length 1, 2 or 3');
    const tz = v[1] ?? '';
    const layout = v[2];
    if (typeof tz !== 'string') typeError(name, `timezone must be a string`);
    if (layout !== undefined && typeof layout !== 'string')
      typeError(name, 'layout must be a string');
    return { ns: nsOf(name, v[0]!), tz, layout };
  }
  if (!isNumber(v))
    return typeError(name, `operand 1 must be one of {number, array} but got ${typeName(v)}`);
  return { ns: nsOf(name, v), tz: '' };
}

function fieldsArg(name: string, v: Value): Fields {
  const { ns, tz } = instant(name, v);
  try {
    return fieldsOf(ns, tz);
  } catch {
    return builtinError(name, `unknown time zone ${tz}`);
  }
}

// Mirrors OPA's time.diff: field-wise difference of the later and earlier instant, borrowing
// from the next larger unit when a field goes negative.
function diff(a: Fields, b: Fields, an: bigint, bn: bigint): Value[] {
  if (an > bn) [a, b] = [b, a];
  let year = b.year - a.year;
  let month = b.month - a.month;
  let day = b.day - a.day;
  let hour = b.hour - a.hour;
  let min = b.min - a.min;
  let sec = b.sec - a.sec;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    const [, , d32] = civil(daysFromCivil(a.year, a.month, 32));
    day += 32 - d32;
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
}

/** Time builtins. */
export const timeBuiltins: BuiltinTable = {
  'time.now_ns': def(0, (_a, ctx) => {
    const hit = ctx.cache.get('time.now_ns');
    if (hit !== undefined) return hit;
    const v = num(ctx.nowNs());
    ctx.cache.set('time.now_ns', v);
    return v;
  }),
  'time.parse_rfc3339_ns': def(1, (a) => {
    const s = str('time.parse_rfc3339_ns', a, 0);
    let ns: bigint;
    try {
      ns = parseLayout('2006-01-02T15:04:05Z07:00', s);
    } catch (e) {
      return builtinError(
        'time.parse_rfc3339_ns',
        `parsing time ${JSON.stringify(s)}: ${e instanceof Error ? e.message : ''}`,
      );
    }
    return inRange('time.parse_rfc3339_ns', ns);
  }),
  'time.parse_ns': def(2, (a) => {
    const layout = str('time.parse_ns', a, 0);
    const value = str('time.parse_ns', a, 1);
    let ns: bigint;
    try {
      ns = parseLayout(NAMED_LAYOUTS[layout] ?? layout, value);
    } catch (e) {
      return builtinError(
        'time.parse_ns',
        `parsing time ${JSON.stringify(value)}: ${e instanceof Error ? e.message : ''}`,
      );
    }
    return inRange('time.parse_ns', ns);
  }),
  'time.parse_duration_ns': def(1, (a) => {
    try {
      return num(parseDuration(str('time.parse_duration_ns', a, 0)));
    } catch (e) {
      return builtinError(
        'time.parse_duration_ns',
        e instanceof Error ? e.message : 'invalid duration',
      );
    }
  }),
  'time.format': def(1, ([v]) => {
    const { tz, layout } = instant('time.format', v!);
    const f = fieldsArg('time.format', Array.isArray(v) ? [v[0]!, tz] : v!);
    return formatLayout(
      f,
      NAMED_LAYOUTS[layout ?? ''] ?? layout ?? '2006-01-02T15:04:05.999999999Z07:00',
    );
  }),
  'time.date': def(1, ([v]) => {
    const f = fieldsArg('time.date', v!);
    return [f.year, f.month, f.day];
  }),
  'time.clock': def(1, ([v]) => {
    const f = fieldsArg('time.clock', v!);
    return [f.hour, f.min, f.sec];
  }),
  'time.weekday': def(1, ([v]) => DAYS[fieldsArg('time.weekday', v!).weekday]!),
  'time.add_date': def(4, (a) => {
    const ns = nsOf('time.add_date', a[0]!);
    const f = fieldsOf(ns, '');
    let mo = f.month - 1 + intArg('time.add_date', a, 2);
    const y = f.year + intArg('time.add_date', a, 1) + Math.floor(mo / 12);
    mo = ((mo % 12) + 12) % 12;
    return inRange(
      'time.add_date',
      toNanos(y, mo + 1, f.day + intArg('time.add_date', a, 3), f.hour, f.min, f.sec, f.nanos, 0),
    );
  }),
  'time.diff': def(2, ([x, y]) => {
    const a = instant('time.diff', x!);
    const b = instant('time.diff', y!);
    const fa = fieldsOf(a.ns, a.tz);
    const fb = fieldsOf(b.ns, a.tz);
    return diff(fa, fb, a.ns, b.ns);
  }),
};
