/**
 * A Dockerfile parser that reads exactly what BuildKit's parser reads
 * (moby/buildkit frontend/dockerfile/parser/parser.go, ported rule by rule): parser directives
 * (`# syntax=`, `# escape=`, `# check=`) at the top only, line continuations with the escape
 * token, comment and empty lines inside continuations, flags `--x=y` before the arguments,
 * exec (JSON) vs shell form, and heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`, several on one line)
 * whose bodies follow the instruction line.
 *
 * Why not the npm library `dockerfile-ast`: it finds heredoc ranges but not their names,
 * chomping, quoting or bodies, and it is written for an editor (positions, diagnostics), so its
 * reading of edge cases is not BuildKit's; the translation for the legacy builder must see the
 * same instructions BuildKit would run. Every scanner here is a single pass over the text.
 */
import { UnsupportedDockerfileError } from './errors.ts';
import { heredocMarker, splitRawWords, type HeredocMarker } from './shell-words.ts';

export interface Heredoc extends HeredocMarker {
  /** The body as BuildKit keeps it: every line with its line ending, no terminator. */
  content: string;
}

export interface Instruction {
  /** Upper-case keyword: `RUN`, `COPY`, … */
  keyword: string;
  /** Flag words as written after the keyword, without the leading `--` (`mount=type=cache,…`). */
  flags: string[];
  /** The arguments after the flags, the continuation lines joined (BuildKit's `args`). */
  args: string;
  /** The exec form's words, when the arguments are a JSON array of strings. */
  json: string[] | undefined;
  heredocs: Heredoc[];
  /** 1-based first and last line in the file (heredoc bodies included). */
  startLine: number;
  endLine: number;
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParsedDockerfile {
  escape: '\\' | '`';
  directives: Directive[];
  instructions: Instruction[];
  /** The file's lines with their line endings. */
  lines: string[];
}

const DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['ADD', 'COPY', 'RUN']);

const trimNewline = (line: string) => {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '\n' || line[end - 1] === '\r')) end -= 1;
  return line.slice(0, end);
};
const isSpace = (ch: string | undefined) =>
  ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
const trimLeft = (text: string) => {
  let start = 0;
  while (start < text.length && isSpace(text[start])) start += 1;
  return text.slice(start);
};
const isComment = (line: string) => trimLeft(line).startsWith('#');

/** Splits keeping line endings, as BuildKit's scanLines does. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\n') {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * `foo \` → `foo ` and true: the line continues. Mirrors BuildKit's
 * `([^\\])\\[ \t]*$|^\\[ \t]*$` without a regex (an escaped escape does not continue).
 */
function trimContinuation(line: string, escape: string): { text: string; continues: boolean } {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end -= 1;
  if (end === 0 || line[end - 1] !== escape) return { text: line, continues: false };
  if (end >= 2 && line[end - 2] === escape) return { text: line, continues: false };
  return { text: line.slice(0, end - 1), continues: true };
}

/** `# name=value` at the top of the file; undefined when the line is not one. */
function directiveOf(line: string): { name: string; value: string } | undefined {
  if (!line.startsWith('#')) return undefined;
  const body = trimLeft(line.slice(1));
  let i = 0;
  while (i < body.length && /[A-Za-z0-9]/.test(body[i]!)) i += 1;
  if (i === 0 || !/[A-Za-z]/.test(body[0]!)) return undefined;
  const name = body.slice(0, i).toLowerCase();
  let rest = trimLeft(body.slice(i));
  if (!rest.startsWith('=')) return undefined;
  rest = trimLeft(rest.slice(1)).trimEnd();
  if (!rest || !DIRECTIVES.has(name)) return undefined;
  return { name, value: rest };
}

/** Splits the flags (`--x=y` words before the arguments) off, as extractBuilderFlags does. */
export function extractFlags(text: string, escape: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text[pos])) pos += 1;
    if (text[pos] !== '-' || text[pos + 1] !== '-') return { flags, rest: text.slice(pos) };
    let word = '';
    let quote = '';
    let quoted = false;
    for (; pos < text.length; pos += 1) {
      const ch = text[pos]!;
      if (!quote && isSpace(ch)) break;
      if (quote && ch === quote) quote = '';
      else if (!quote && (ch === '"' || ch === "'")) {
        quote = ch;
        quoted = true;
      } else if (ch === escape) {
        if (pos + 1 < text.length) word += text[++pos];
      } else word += ch;
    }
    if (word === '--') {
      while (pos < text.length && isSpace(text[pos])) pos += 1;
      return { flags, rest: text.slice(pos) };
    }
    if (word.length > 2 || quoted) flags.push(word.slice(2));
  }
}

function parseJson(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  } catch {
    // Not JSON: shell form, as BuildKit falls back.
  }
  return undefined;
}

function fail(line: number, reason: string): never {
  throw new UnsupportedDockerfileError(
    line,
    'Dockerfile syntax',
    reason,
    `fix line ${line} of the Dockerfile (BuildKit refuses it too)`,
  );
}

/** Parses a Dockerfile; throws UnsupportedDockerfileError where BuildKit's parser would fail. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = splitLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  let escape: '\\' | '`' = '\\';
  const directives: Directive[] = [];
  const instructions: Instruction[] = [];
  let directivesDone = false;
  let index = 0;
  while (index < lines.length) {
    const first = trimLeft(trimNewline(lines[index]!));
    index += 1;
    const startLine = index;
    if (!directivesDone) {
      const directive = directiveOf(first);
      if (!directive) directivesDone = true;
      else {
        if (directives.some((seen) => seen.name === directive.name))
          fail(startLine, `only one ${directive.name} parser directive can be used`);
        directives.push({ ...directive, line: startLine });
        if (directive.name === 'escape') {
          if (directive.value !== '\\' && directive.value !== '`')
            fail(startLine, `invalid escape token '${directive.value}' does not match \` or \\`);
          escape = directive.value;
        }
      }
    }
    if (first.startsWith('#')) continue;
    let { text: logical, continues } = trimContinuation(first, escape);
    if (!continues && logical.length === 0) continue;
    while (continues && index < lines.length) {
      const raw = lines[index]!;
      index += 1;
      if (isComment(raw)) continue;
      const line = trimNewline(raw);
      if (trimLeft(line).length === 0) continue;
      const next = trimContinuation(line, escape);
      logical += next.text;
      continues = next.continues;
    }
    directivesDone = true;
    instructions.push(instructionOf(logical, escape, startLine, index));
    const instruction = instructions[instructions.length - 1]!;
    if (!canHaveHeredoc(instruction) || !logical.includes('<<')) continue;
    for (const word of splitRawWords(logical)) {
      const marker = heredocMarker(word);
      if (!marker) continue;
      let content = '';
      let terminated = false;
      while (index < lines.length) {
        const raw = lines[index]!;
        index += 1;
        let candidate = trimNewline(raw);
        if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === marker.name) {
          terminated = true;
          break;
        }
        content += raw;
      }
      if (!terminated) fail(startLine, `unterminated heredoc ${marker.name}`);
      instruction.heredocs.push({ ...marker, content });
    }
    instruction.endLine = index;
  }
  if (instructions.length === 0) fail(lines.length, 'file with no instructions');
  return { escape, directives, instructions, lines };
}

function instructionOf(
  logical: string,
  escape: string,
  startLine: number,
  endLine: number,
): Instruction {
  const trimmed = logical.trim();
  let cut = 0;
  while (cut < trimmed.length && !isSpace(trimmed[cut])) cut += 1;
  const keyword = trimmed.slice(0, cut).toUpperCase();
  const { flags, rest } = extractFlags(trimmed.slice(cut), escape);
  const args = rest.trim();
  return { keyword, flags, args, json: parseJson(args), heredocs: [], startLine, endLine };
}

function canHaveHeredoc(instruction: Instruction): boolean {
  if (HEREDOC_KEYWORDS.has(instruction.keyword)) return true;
  if (instruction.keyword !== 'ONBUILD') return false;
  const inner = instruction.args.split(/[ \t]/, 1)[0]!.toUpperCase();
  return HEREDOC_KEYWORDS.has(inner);
}
