// GraphQL lexer following the spec (and gqlparser's token descriptions used in error texts).

/** A GraphQL token; `desc` is how error messages name it. */
export type GqlToken = {
  kind: 'Name' | 'Int' | 'Float' | 'String' | 'BlockString' | 'Punct' | 'EOF' | 'Invalid';
  value: string;
  line: number;
  col: number;
};

const PUNCT = ['...', '!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}'];

/** How gqlparser names a token in "Expected X, found Y" messages. */
export function describe(t: GqlToken): string {
  switch (t.kind) {
    case 'EOF':
      return '<EOF>';
    case 'Invalid':
      return '<Invalid>';
    case 'Punct':
      return t.value;
    default:
      return `${t.kind} ${JSON.stringify(t.value)}`;
  }
}

function blockValue(raw: string): string {
  const lines = raw.replace(/\\"""/g, '"""').split(/\r\n|[\n\r]/);
  let common: number | undefined;
  for (const l of lines.slice(1)) {
    const indent = l.length - l.trimStart().length;
    if (indent < l.length && (common === undefined || indent < common)) common = indent;
  }
  const out = lines.map((l, i) => (i === 0 || common === undefined ? l : l.slice(common)));
  while (out.length && out[0]!.trim() === '') out.shift();
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}

/** Tokenise GraphQL source; a lexing problem yields an Invalid token where it starts. */
export function lex(src: string): GqlToken[] {
  const out: GqlToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const tok = (kind: GqlToken['kind'], value: string, at: number): GqlToken => ({
    kind,
    value,
    line,
    col: at - lineStart + 1,
  });
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === ',' || c === '\r' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    const start = i;
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (p) {
      out.push(tok('Punct', p, start));
      i += p.length;
    } else if (/[_A-Za-z]/.test(c)) {
      while (i < src.length && /[_0-9A-Za-z]/.test(src[i]!)) i++;
      out.push(tok('Name', src.slice(start, i), start));
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      if (!m) return [...out, tok('Invalid', c, start)];
      i += m[0].length;
      out.push(tok(m[2] || m[3] ? 'Float' : 'Int', m[0], start));
    } else if (src.startsWith('"""', i)) {
      let end = src.indexOf('"""', i + 3);
      while (end > 0 && src[end - 1] === '\\') end = src.indexOf('"""', end + 3);
      if (end < 0) {
        const rest = src.slice(i);
        const nl = rest.split(/\r\n|[\n\r]/).length - 1;
        if (nl) {
          line += nl;
          lineStart =
            src.length -
            (rest.length - Math.max(rest.lastIndexOf('\n'), rest.lastIndexOf('\r')) - 1);
        }
        return [...out, tok('Invalid', '', src.length)];
      }
      out.push(tok('BlockString', blockValue(src.slice(i + 3, end)), start));
      for (const ch of src.slice(i, end)) if (ch === '\n') line++;
      if (src.slice(i, end).includes('\n')) lineStart = src.lastIndexOf('\n', end) + 1;
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      if (src[j] !== '"') return [...out, tok('Invalid', '', start)];
      try {
        // gqlparser positions a string at its first character inside the quotes.
        out.push(tok('String', JSON.parse(src.slice(i, j + 1)) as string, start + 1));
      } catch {
        return [...out, tok('Invalid', '', start)];
      }
      i = j + 1;
    } else return [...out, tok('Invalid', c, start)];
  }
  out.push(tok('EOF', '', i));
  return out;
}
