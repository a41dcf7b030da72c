// Parsing of Go layouts and durations into nanoseconds (bigint).
import { MONTHS, DAYS, tokenizeLayout } from './time-layout.ts';

const NS = 1_000_000_000n;

/** Days since the epoch of a civil date (proleptic Gregorian), valid for any year. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch nanoseconds of civil fields at a UTC offset. */
export function toNanos(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  nanos: number,
  offsetSec: number,
): bigint {
  const secs =
    BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetSec);
  return secs * NS + BigInt(nanos);
}

function num(s: string, i: number, min: number, max: number): [number, number] {
  const m = new RegExp(`^\\d{${min},${max}}`).exec(s.slice(i));
  if (!m) throw new Error('cannot parse');
  return [Number(m[0]), i + m[0].length];
}

/** Parse a value with a Go layout; returns epoch nanoseconds. */
export function parseLayout(layout: string, value: string): bigint {
  let y = 1,
    mo = 1,
    d = 1,
    h = 0,
    mi = 0,
    s = 0,
    nanos = 0,
    off = 0,
    pm: boolean | undefined;
  let i = 0;
  for (const part of tokenizeLayout(layout)) {
    if (part.lit !== undefined) {
      if (value[i] !== part.lit)
        throw new Error(`cannot parse "${value.slice(i)}" as "${part.lit}"`);
      i++;
      continue;
    }
    if (part.frac !== undefined) {
      const m = /^[.,](\d+)/.exec(value.slice(i));
      if (m) {
        nanos = Number(m[1]!.padEnd(9, '0').slice(0, 9));
        i += m[0].length;
      } else if (part.frac[1] === '0') throw new Error('cannot parse fraction');
      continue;
    }
    const t = part.tok!;
    switch (t) {
      case '2006':
        [y, i] = num(value, i, 4, 4);
        break;
      case '06':
        [y, i] = num(value, i, 2, 2);
        y += y >= 69 ? 1900 : 2000;
        break;
      case '01':
      case '1':
        [mo, i] = num(value, i, t.length, 2);
        break;
      case '02':
      case '2':
        [d, i] = num(value, i, t.length, 2);
        break;
      case '_2':
        if (value[i] === ' ') i++;
        [d, i] = num(value, i, 1, 2);
        break;
      case '15':
        [h, i] = num(value, i, 1, 2);
        break;
      case '03':
      case '3':
        [h, i] = num(value, i, t.length, 2);
        break;
      case '04':
      case '4':
        [mi, i] = num(value, i, t.length, 2);
        break;
      case '05':
      case '5': {
        [s, i] = num(value, i, t.length, 2);
        const m = /^\.(\d+)/.exec(value.slice(i));
        if (m) {
          nanos = Number(m[1]!.padEnd(9, '0').slice(0, 9));
          i += m[0].length;
        }
        break;
      }
      case 'PM':
      case 'pm':
        pm = value.slice(i, i + 2).toUpperCase() === 'PM';
        i += 2;
        break;
      case 'January':
      case 'Jan': {
        const idx = MONTHS.findIndex((n) => value.startsWith(t === 'Jan' ? n.slice(0, 3) : n, i));
        if (idx < 0) throw new Error('cannot parse month');
        mo = idx + 1;
        i += t === 'Jan' ? 3 : MONTHS[idx]!.length;
        break;
      }
      case 'Monday':
      case 'Mon': {
        const idx = DAYS.findIndex((n) => value.startsWith(t === 'Mon' ? n.slice(0, 3) : n, i));
        if (idx < 0) throw new Error('cannot parse day');
        i += t === 'Mon' ? 3 : DAYS[idx]!.length;
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}|^[+-]\d+/.exec(value.slice(i));
        if (!m) throw new Error('cannot parse zone');
        i += m[0].length;
        break;
      }
      default: {
        if (t.startsWith('Z') && value[i] === 'Z') {
          i++;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(value.slice(i));
        if (!m) throw new Error('cannot parse offset');
        off =
          (m[1] === '-' ? -1 : 1) *
          (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
        i += m[0].length;
      }
    }
  }
  if (i !== value.length) throw new Error(`extra text: "${value.slice(i)}"`);
  if (pm !== undefined) h = (h % 12) + (pm ? 12 : 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    throw new Error('value out of range');
  return toNanos(y, mo, d, h, mi, s, nanos, off);
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
};

/** Parse a Go duration ("1h30m", "100ms", "-1.5s") into nanoseconds. */
export function parseDuration(s: string): bigint {
  const m = /^([+-])?((?:\d*\.?\d+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) {
    if (s === '0') return 0n;
    throw new Error(`time: invalid duration "${s}"`);
  }
  let total = 0;
  for (const [, n, u] of m[2]!.matchAll(/(\d*\.?\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(n) * Number(UNITS[u!]!);
  const v = BigInt(Math.round(total));
  return m[1] === '-' ? -v : v;
}
