/**
 * The part of BuildKit's Dockerfile shell lexer (frontend/dockerfile/shell) that planning a
 * build needs: splitting an instruction line into raw words (to find heredoc markers exactly
 * where BuildKit finds them) and expanding `$VAR`, `${VAR}`, `${VAR:-default}`… in FROM
 * references and mount options with the build's ARG values. Hand-written scanners, one pass
 * each: Dockerfiles are untrusted repository text, so no backtracking regex ever sees them.
 */

/** Looks a variable up; undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

export class ShellWordError extends Error {}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

/**
 * Words of `text` as BuildKit's lexer sees them with RawQuotes and RawEscapes: split on
 * unquoted whitespace, quotes and escapes kept in the words.
 */
export function splitRawWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quote) {
      word += ch;
      if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else if (ch === quote) quote = '';
      continue;
    }
    if (isSpace(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += ch;
    if (ch === '\\' && i + 1 < text.length) word += text[++i];
    else if (ch === '"' || ch === "'") quote = ch;
  }
  if (inWord) words.push(word);
  return words;
}

/** A heredoc marker word: `<<EOF`, `<<-EOF`, `3<<"EOF"` (BuildKit's `^(\d*)<<(-?)\s*([^<]*)$`). */
export interface HeredocMarker {
  name: string;
  chomp: boolean;
  expand: boolean;
  fd: number;
}

/** Reads a heredoc marker from one word, or undefined when the word is not one. */
export function heredocMarker(word: string): HeredocMarker | undefined {
  let i = 0;
  while (i < word.length && word[i]! >= '0' && word[i]! <= '9') i += 1;
  const digits = word.slice(0, i);
  if (word.slice(i, i + 2) !== '<<') return undefined;
  i += 2;
  const chomp = word[i] === '-';
  if (chomp) i += 1;
  while (i < word.length && isSpace(word[i]!)) i += 1;
  const rest = word.slice(i);
  if (!rest || rest.includes('<')) return undefined;
  const words = unquoteWords(rest);
  if (words.length !== 1) return undefined;
  const name = words[0]!;
  // Quoted anywhere (`"EOF"`, `'EOF'`, `E"O"F`) means: do not expand the content.
  const quotes = (text: string) => [...text].filter((ch) => ch === '"' || ch === "'").length;
  return { name, chomp, expand: quotes(name) === quotes(rest), fd: digits ? Number(digits) : 0 };
}

/** Words of `text` with quotes and escapes removed and no variable expansion. */
export function unquoteWords(text: string): string[] {
  return splitRawWords(text).map((word) => expandWord(word, () => undefined, { keepUnset: true }));
}

export interface ExpandOptions {
  /** Leave `$X` of an unset X as written (BuildKit's SkipUnsetEnv). */
  keepUnset?: boolean;
  /** Every variable name the expansion looked up. */
  referenced?: Set<string>;
}

/**
 * Expands one Dockerfile word as BuildKit's ProcessWord does: quotes removed, `\` escapes,
 * `$NAME`, `${NAME}`, `${NAME:-w}`, `${NAME-w}`, `${NAME:+w}`, `${NAME+w}`, `${NAME:?w}`.
 */
export function expandWord(
  text: string,
  lookup: VariableLookup,
  options: ExpandOptions = {},
): string {
  return new Expander(text, lookup, options).word('');
}

class Expander {
  private pos = 0;
  private readonly text: string;
  private readonly lookup: VariableLookup;
  private readonly options: ExpandOptions;

  constructor(text: string, lookup: VariableLookup, options: ExpandOptions) {
    this.text = text;
    this.lookup = lookup;
    this.options = options;
  }

  /** Reads up to (not including) `stop` (a `}` inside `${…}`), or to the end. */
  word(stop: string): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (stop && ch === stop) return out;
      this.pos += 1;
      if (ch === "'") out += this.until("'");
      else if (ch === '"') out += this.doubleQuoted();
      else if (ch === '\\') out += this.pos < this.text.length ? this.text[this.pos++] : '';
      else if (ch === '$') out += this.variable();
      else out += ch;
    }
    return out;
  }

  private until(end: string): string {
    const close = this.text.indexOf(end, this.pos);
    if (close < 0) throw new ShellWordError(`unexpected end of text: missing ${end}`);
    const inner = this.text.slice(this.pos, close);
    this.pos = close + 1;
    return inner;
  }

  private doubleQuoted(): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++]!;
      if (ch === '"') return out;
      if (ch === '\\' && '"$\\'.includes(this.text[this.pos] ?? ' ')) out += this.text[this.pos++];
      else if (ch === '$') out += this.variable();
      else out += ch;
    }
    throw new ShellWordError('unexpected end of text: missing "');
  }

  private name(): string {
    let end = this.pos;
    while (end < this.text.length && /[A-Za-z0-9_]/.test(this.text[end]!)) end += 1;
    const name = this.text.slice(this.pos, end);
    this.pos = end;
    return name;
  }

  private variable(): string {
    if (this.text[this.pos] === '{') {
      this.pos += 1;
      const name = this.name();
      if (!name) throw new ShellWordError('bad substitution: ${ without a variable name');
      const value = this.get(name);
      if (this.text[this.pos] === '}') {
        this.pos += 1;
        return value ?? (this.options.keepUnset ? `\${${name}}` : '');
      }
      const colon = this.text[this.pos] === ':';
      if (colon) this.pos += 1;
      const op = this.text[this.pos++];
      const word = this.word('}');
      if (this.text[this.pos] !== '}')
        throw new ShellWordError(`bad substitution: \${${name} not closed`);
      this.pos += 1;
      const unset = colon ? !value : value === undefined;
      if (op === '-') return unset ? word : value!;
      if (op === '+') return unset ? '' : word;
      if (op === '?') {
        if (unset) throw new ShellWordError(`${name}: ${word || 'is not allowed to be unset'}`);
        return value!;
      }
      throw new ShellWordError(`unsupported modifier \${${name}${colon ? ':' : ''}${op ?? ''}…}`);
    }
    const name = this.name();
    if (!name) return '$';
    const value = this.get(name);
    return value ?? (this.options.keepUnset ? `$${name}` : '');
  }

  private get(name: string): string | undefined {
    this.options.referenced?.add(name);
    return this.lookup(name);
  }
}

/** Quotes a string for a POSIX shell (single quotes). */
export function shellQuote(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}
