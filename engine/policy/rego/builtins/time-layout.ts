// Go time layouts ("2006-01-02T15:04:05Z07:00") for formatting and parsing, over wall-clock
// fields computed with Intl (portable IANA time zones, no Node APIs).

/** Broken-down wall-clock time plus its UTC offset. */
export type Fields = {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nanos: number;
  offsetSec: number;
  zone: string;
  weekday: number;
};

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Named layouts accepted by time.format. */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const TOKENS = [
  'January',
  'Monday',
  'Jan',
  'Mon',
  'MST',
  '2006',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '01',
  '02',
  '_2',
  '002',
  '15',
  '03',
  '04',
  '05',
  '06',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

/** Split a layout into tokens and literal text. */
export function tokenizeLayout(layout: string): { tok?: string; lit?: string; frac?: string }[] {
  const out: { tok?: string; lit?: string; frac?: string }[] = [];
  let i = 0;
  while (i < layout.length) {
    const fm = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (fm && /05$|5$/.test(layout.slice(0, i))) {
      out.push({ frac: fm[0] });
      i += fm[0].length;
      continue;
    }
    const t = TOKENS.find((x) => layout.startsWith(x, i));
    if (t) {
      out.push({ tok: t });
      i += t.length;
    } else {
      out.push({ lit: layout[i]! });
      i++;
    }
  }
  return out;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function offset(sec: number, sep: string, z: boolean, withSec = false): string {
  if (z && sec === 0) return 'Z';
  const sign = sec < 0 ? '-' : '+';
  const a = Math.abs(sec);
  return (
    sign +
    p2(Math.floor(a / 3600)) +
    sep +
    p2(Math.floor((a % 3600) / 60)) +
    (withSec ? sep + p2(a % 60) : '')
  );
}

/** Format wall-clock fields with a Go layout. */
export function formatLayout(f: Fields, layout: string): string {
  let out = '';
  for (const part of tokenizeLayout(layout)) {
    if (part.lit !== undefined) out += part.lit;
    else if (part.frac !== undefined) {
      const digits = String(f.nanos).padStart(9, '0');
      const n = part.frac.length - 1;
      if (part.frac[1] === '0') out += part.frac[0] + digits.slice(0, n);
      else {
        const trimmed = digits.slice(0, n).replace(/0+$/, '');
        if (trimmed) out += part.frac[0] + trimmed;
      }
    } else out += formatToken(f, part.tok!);
  }
  return out;
}

function formatToken(f: Fields, t: string): string {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (t) {
    case 'January':
      return MONTHS[f.month - 1]!;
    case 'Jan':
      return MONTHS[f.month - 1]!.slice(0, 3);
    case 'Monday':
      return DAYS[f.weekday]!;
    case 'Mon':
      return DAYS[f.weekday]!.slice(0, 3);
    case 'MST':
      return f.zone;
    case '2006':
      return String(f.year).padStart(4, '0');
    case '06':
      return p2(f.year % 100);
    case '01':
      return p2(f.month);
    case '1':
      return String(f.month);
    case '02':
      return p2(f.day);
    case '2':
      return String(f.day);
    case '_2':
      return String(f.day).padStart(2, ' ');
    case '15':
      return p2(f.hour);
    case '03':
      return p2(h12);
    case '3':
      return String(h12);
    case '04':
      return p2(f.min);
    case '4':
      return String(f.min);
    case '05':
      return p2(f.sec);
    case '5':
      return String(f.sec);
    case 'PM':
      return f.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return f.hour >= 12 ? 'pm' : 'am';
    case '-0700':
      return offset(f.offsetSec, '', false);
    case '-07:00':
      return offset(f.offsetSec, ':', false);
    case '-07':
      return offset(f.offsetSec, '', false).slice(0, 3);
    case '-07:00:00':
      return offset(f.offsetSec, ':', false, true);
    case 'Z0700':
      return offset(f.offsetSec, '', true);
    case 'Z07:00':
      return offset(f.offsetSec, ':', true);
    case 'Z07':
      return f.offsetSec === 0 ? 'Z' : offset(f.offsetSec, '', false).slice(0, 3);
    case 'Z07:00:00':
      return offset(f.offsetSec, ':', true, true);
    default:
      return t;
  }
}
