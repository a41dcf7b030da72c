/**
 * Finds the `prodsprint …` command lines a generated artifact runs and checks each against the
 * CLI's own command definitions (issue 15): the commander program cli/main.ts builds, with every
 * action replaced by a no-op, so parsing never runs anything. Where the lines come from: the
 * `run:` / `script:` / `before_script:` / `after_script:` blocks of YAML files (GitHub Actions and
 * GitLab CI), and the code spans of Markdown files (runbooks telling a person what to type).
 */
import type { Command } from 'commander';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { buildProgram } from '../../cli/main.ts';

export interface Invocation {
  file: string;
  line: number;
  /** The words after `prodsprint`, as the shell would pass them (variables left as written). */
  args: string[];
  text: string;
}

const SCRIPT_KEYS = new Set(['run', 'script', 'before_script', 'after_script']);
const OPERATORS = new Set(['&&', '||', ';', '|', '>', '>>', '2>', '<', '&']);

/**
 * Shell words of one command line: quotes removed, `${{ … }}` (substituted by the CI before the
 * shell sees it) kept whole, variables left as they are written.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (!quote && line.startsWith('${{', i)) {
      const end = line.indexOf('}}', i);
      const stop = end < 0 ? line.length : end + 2;
      word += line.slice(i, stop);
      started = true;
      i = stop - 1;
    } else if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === ' ' || c === '\t') {
      if (started) words.push(word);
      word = '';
      started = false;
    } else if (c === '#' && !started) {
      break;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Logical lines of a script: `\` continuations joined, with the index of their first line. */
function logicalLines(script: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]}`;
    out.push({ text, offset: start });
  }
  return out;
}

/** The `prodsprint` invocations in one shell line. */
function invocationsIn(text: string): string[][] {
  const words = shellWords(text);
  const out: string[][] = [];
  words.forEach((word, i) => {
    if (word !== 'prodsprint') return;
    const args: string[] = [];
    for (const next of words.slice(i + 1)) {
      if (OPERATORS.has(next)) break;
      args.push(next);
    }
    out.push(args);
  });
  return out;
}

function lineOf(content: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content[i] === '\n') line++;
  return line;
}

/** Every script string in a YAML tree, with the file line where its text starts. */
function scripts(
  content: string,
  node: Node | null,
  inScript: boolean,
  out: Array<{ text: string; line: number }>,
) {
  if (!node) return;
  if (isScalar(node)) {
    if (inScript && typeof node.value === 'string' && node.range) {
      // A block scalar's text starts on the line after its indicator (`|`).
      const source = content.slice(node.range[0], node.range[1]);
      const block = /^[|>]/.test(source);
      out.push({ text: node.value, line: lineOf(content, node.range[0]) + (block ? 1 : 0) });
    }
  } else if (isSeq(node)) {
    for (const item of node.items) scripts(content, item as Node, inScript, out);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      scripts(content, pair.value as Node, SCRIPT_KEYS.has(key), out);
    }
  }
}

/** Every `prodsprint` invocation an artifact makes, with its file and line. */
export function prodsprintInvocations(file: string, content: string): Invocation[] {
  const found: Array<{ text: string; line: number }> = [];
  if (/\.ya?ml$/.test(file)) {
    for (const doc of parseAllDocuments(content)) {
      if ('contents' in doc) scripts(content, doc.contents as Node | null, false, found);
    }
  } else if (file.endsWith('.md')) {
    content.split('\n').forEach((text, i) => {
      for (const span of text.matchAll(/`([^`\n]+)`/g)) found.push({ text: span[1]!, line: i + 1 });
    });
  }
  const out: Invocation[] = [];
  for (const script of found) {
    for (const { text, offset } of logicalLines(script.text)) {
      for (const args of invocationsIn(text))
        out.push({ file, line: script.line + offset, args, text: text.trim() });
    }
  }
  return out;
}

/** The CLI's program with every action a no-op and every error thrown, never printed. */
function inertProgram(): Command {
  const silent = { stdout: () => {}, stderr: () => {}, isTty: false };
  const program = buildProgram(silent, {}, () => {});
  const visit = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (command !== program) command.action(() => {});
    command.commands.forEach(visit);
  };
  visit(program);
  return program;
}

/** Null when the CLI accepts `args`; else commander's message (unknown option, missing argument…). */
export function cliRejects(args: string[]): string | null {
  try {
    inertProgram().parse(args, { from: 'user' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
