// sprintf with Go fmt verbs (%v %s %d %f %e %g %x %X %o %b %q %t %%), widths and precision.
import { isNumber, numberText } from '../value.ts';
import type { Value } from '../value.ts';
import { toRegoText } from '../value-ops.ts';

function plain(v: Value): string {
  if (typeof v === 'string') return v;
  return toRegoText(v);
}

function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21))
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

function number(v: Value): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return goFloat(v);
  if (typeof v === 'number' && Math.abs(v) > 1e20) return goFloat(v);
  return isNumber(v) ? numberText(v) : plain(v);
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (flags.includes('0')) {
    const neg = s.startsWith('-') ? '-' : '';
    return neg + '0'.repeat(width - s.length) + s.slice(neg.length);
  }
  return ' '.repeat(width - s.length) + s;
}

function intText(v: Value, radix: number, upper: boolean): string {
  if (!isNumber(v) || (typeof v === 'number' && !Number.isInteger(v)))
    return `%!${radix === 10 ? 'd' : 'x'}(${plain(v)})`;
  const s = BigInt(v).toString(radix);
  return upper ? s.toUpperCase() : s;
}

function verb(c: string, v: Value, prec: number | undefined, flags: string): string {
  switch (c) {
    case 'v':
      return isNumber(v) ? number(v) : plain(v);
    case 's':
      return isNumber(v) ? number(v) : plain(v);
    case 'd':
      return intText(v, 10, false);
    case 'x':
    case 'X':
      if (typeof v === 'string')
        return [...new TextEncoder().encode(v)]
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('')
          [c === 'X' ? 'toUpperCase' : 'toLowerCase']();
      return intText(v, 16, c === 'X');
    case 'o':
      return intText(v, 8, false);
    case 'b':
      return intText(v, 2, false);
    case 'f':
    case 'F':
      return isNumber(v) ? Number(v).toFixed(prec ?? 6) : `%!f(${plain(v)})`;
    case 'e':
      return isNumber(v)
        ? Number(v)
            .toExponential(prec ?? 6)
            .replace(/e([+-])(\d)$/, 'e$10$2')
        : `%!e(${plain(v)})`;
    case 'g':
      return isNumber(v)
        ? prec === undefined
          ? goFloat(Number(v))
          : String(Number(Number(v).toPrecision(prec)))
        : `%!g(${plain(v)})`;
    case 't':
      return typeof v === 'boolean' ? String(v) : `%!t(${plain(v)})`;
    case 'q':
      return JSON.stringify(plain(v));
    default:
      return flags + `%!${c}(${plain(v)})`;
  }
}

/** Format like Go's fmt.Sprintf with Rego values as operands. */
export function sprintf(fmt: string, args: Value[]): string {
  let out = '';
  let ai = 0;
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', width, prec, c] = m;
    if (c === '%') {
      out += '%';
      continue;
    }
    if (ai >= args.length) {
      out += `%!${c}(MISSING)`;
      continue;
    }
    const s = verb(c!, args[ai++]!, prec === undefined ? undefined : Number(prec), flags);
    out += pad(s, width ? Number(width) : 0, flags);
  }
  out += fmt.slice(last);
  if (ai < args.length)
    out +=
      '%!(EXTRA ' +
      args
        .slice(ai)
        .map((a) => `${typeof a === 'string' ? 'string' : 'value'}=${plain(a)}`)
        .join(', ') +
      ')';
  return out;
}
