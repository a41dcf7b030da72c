/**
 * The canonical JSON text OPA hashes for JSON bundle members (bundle/hash.go `walk`): object
 * keys sorted bytewise (Go sort.Strings over UTF-8), no whitespace, strings as Go's encoder
 * writes them with SetEscapeHTML(false), and numbers kept verbatim (OPA decodes with
 * UseNumber, so `1.0` stays `1.0`). Produced straight from the text, because JSON.parse would
 * lose number spelling. Throws SyntaxError on invalid JSON.
 */
export function opaCanonicalJson(text: string): string {
  const parser = new Parser(text);
  parser.space();
  const out = parser.value();
  parser.space();
  if (parser.at < text.length) parser.fail('unexpected text after the JSON value');
  return out;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class Parser {
  at = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  fail(why: string): never {
    throw new SyntaxError(`${why} at offset ${this.at}`);
  }

  space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at++;
  }

  value(): string {
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return goString(this.string());
    for (const re of [NUMBER, LITERAL]) {
      re.lastIndex = this.at;
      const m = re.exec(this.text);
      if (m) {
        this.at += m[0].length;
        return m[0];
      }
    }
    return this.fail('expected a JSON value');
  }

  object(): string {
    const members = new Map<string, string>();
    this.at++;
    this.space();
    if (this.text[this.at] === '}') return (this.at++, '{}');
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a key');
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') this.fail('expected ":"');
      this.space();
      members.set(key, this.value()); // Go maps keep the last duplicate, as here
      this.space();
      const c = this.text[this.at++];
      if (c === '}') break;
      if (c !== ',') this.fail('expected "," or "}"');
    }
    const keys = [...members.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goString(k)}:${members.get(k)!}`).join(',')}}`;
  }

  array(): string {
    const items: string[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') return (this.at++, '[]');
    for (;;) {
      this.space();
      items.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === ']') break;
      if (c !== ',') this.fail('expected "," or "]"');
    }
    return `[${items.join(',')}]`;
  }

  /** Reads a JSON string literal and returns its value. */
  string(): string {
    const start = this.at;
    this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') break;
      if (c < ' ') this.fail('control character in string');
      this.at += c === '\\' ? 2 : 1;
    }
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }
}

const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// eslint-disable-next-line no-control-regex -- control characters are exactly what Go escapes
const GO_ESCAPED = /["\\\u0000-\u001f\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string as Go's encoding/json writes it with SetEscapeHTML(false) (Go >= 1.22). */
function goString(s: string): string {
  const escaped = s.replace(
    GO_ESCAPED,
    (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // Lone surrogates cannot be UTF-8; Go writes U+FFFD for invalid input.
  return `"${escaped.replace(LONE_SURROGATE, '\ufffd')}"`;
}
