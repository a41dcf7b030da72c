// Tokeniser for Rego source. Keywords are lexed as identifiers because Rego lets most keywords
// appear as ref segments (data.foo.if); the parser decides by context.
import { RegoError } from './errors.ts';

/** A template string part: literal text or the source of an embedded expression. */
export type TemplatePart =
  { lit: string } | { src: string; offset: number; row: number; col: number };

/** One token; ws/nl record whether whitespace or a newline came before it. */
export type Token = {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'template' | 'eof';
  value: string;
  row: number;
  col: number;
  ws: boolean;
  nl: boolean;
  raw?: boolean;
  parts?: TemplatePart[];
};

const puncts = [
  ':=',
  '==',
  '!=',
  '<=',
  '>=',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '.',
  ',',
  ';',
  ':',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
];

/** A `#` comment: its row and text after the `#`. */
export type Comment = { row: number; text: string };

/** Split Rego source into tokens; comments are appended to `comments` when given. */
export function tokenize(
  src: string,
  file: string,
  startRow = 1,
  startCol = 1,
  comments?: Comment[],
): Token[] {
  const out: Token[] = [];
  let i = 0;
  let row = startRow;
  let lineStart = -(startCol - 1);
  let ws = false;
  let nl = false;
  const err = (msg: string): never => {
    throw new RegoError('rego_parse_error', msg, { file, row, col: i - lineStart + 1 });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      i++;
      row++;
      lineStart = i;
      ws = nl = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      ws = true;
      continue;
    }
    if (c === '#') {
      const from = i + 1;
      while (i < src.length && src[i] !== '\n') i++;
      comments?.push({ row, text: src.slice(from, i) });
      ws = true;
      continue;
    }
    const tok = (kind: Token['kind'], value: string, start: number): Token => ({
      kind,
      value,
      row,
      col: start - lineStart + 1,
      ws,
      nl,
    });
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      out.push(tok('ident', src.slice(start, i), start));
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0|[1-9][0-9]*)?(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      if (m[0] === '') err('illegal number');
      i += m[0].length;
      out.push(tok('number', m[0], start));
    } else if (c === '"') {
      const [value, end] = readString(src, i, err);
      i = end;
      out.push(tok('string', value, start));
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) err('non-terminated raw string');
      const value = src.slice(i + 1, end);
      for (const ch of value) if (ch === '\n') row++;
      i = end + 1;
      const t = tok('string', value, start);
      t.raw = true;
      out.push(t);
    } else if (c === '$' && (src[i + 1] === '"' || src[i + 1] === '`')) {
      const t = tok('template', '', start);
      const r = readTemplate(src, i + 1, row, lineStart, err);
      t.parts = r.parts;
      i = r.end;
      row = r.row;
      lineStart = r.lineStart;
      out.push(t);
    } else {
      const p = puncts.find((q) => src.startsWith(q, i));
      if (!p) err(`illegal token ${JSON.stringify(c)}`);
      i += p!.length;
      out.push(tok('punct', p!, start));
    }
    ws = nl = false;
  }
  out.push({ kind: 'eof', value: '', row, col: i - lineStart + 1, ws: true, nl: true });
  return out;
}

function readString(src: string, i: number, err: (m: string) => never): [string, number] {
  let j = i + 1;
  while (j < src.length && src[j] !== '"') {
    if (src[j] === '\n') err('non-terminated string');
    j += src[j] === '\\' ? 2 : 1;
  }
  if (j >= src.length) err('non-terminated string');
  try {
    return [JSON.parse(src.slice(i, j + 1)) as string, j + 1];
  } catch {
    return err('illegal escape sequence in string');
  }
}

type TemplateScan = { parts: TemplatePart[]; end: number; row: number; lineStart: number };

function readTemplate(
  src: string,
  i: number,
  row: number,
  lineStart: number,
  err: (m: string) => never,
): TemplateScan {
  const quoteChar = src[i]!;
  const raw = quoteChar === '`';
  const parts: TemplatePart[] = [];
  let lit = '';
  let j = i + 1;
  for (;;) {
    if (j >= src.length) err('non-terminated template string');
    const c = src[j]!;
    if (c === quoteChar) break;
    if (c === '\\' && (src[j + 1] === '{' || src[j + 1] === '}')) {
      lit += src[j + 1];
      j += 2;
      continue;
    }
    if (!raw && c === '\\') {
      const n = src[j + 1];
      let k = j + 1;
      if (n === 'u') k += 4;
      lit += JSON.parse('"' + src.slice(j, k + 1) + '"') as string;
      j = k + 1;
      continue;
    }
    if (c === '{') {
      if (lit) parts.push({ lit });
      lit = '';
      let depth = 1;
      let k = j + 1;
      while (k < src.length && depth > 0) {
        const d = src[k]!;
        if (d === '"') {
          k = readString(src, k, err)[1];
          continue;
        }
        if (d === '{') depth++;
        if (d === '}') depth--;
        k++;
      }
      if (depth > 0) err('non-terminated template expression');
      parts.push({ src: src.slice(j + 1, k - 1), offset: j + 1, row, col: j + 1 - lineStart + 1 });
      j = k;
      continue;
    }
    if (c === '\n') {
      if (!raw) err('non-terminated template string');
      row++;
      lineStart = j + 1;
    }
    lit += c;
    j++;
  }
  if (lit) parts.push({ lit });
  return { parts, end: j + 1, row, lineStart };
}
