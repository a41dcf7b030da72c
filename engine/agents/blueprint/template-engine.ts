/**
 * A deliberately small text template language for templates/: `[[name]]` inserts a value,
 * `[[#each list]]…[[/each]]` repeats, `[[#if flag]]…[[/if]]` and `[[#unless flag]]…[[/unless]]`
 * choose, and `[[> path]]` alone on a line includes another template indented to match. Square
 * brackets keep clear of the `{{ }}` of Helm and `${{ }}` of GitHub Actions, which
 * the templates contain verbatim. Nothing here reads files or clocks, so rendering is pure.
 */

export type TemplateValue =
  string | number | boolean | null | undefined | TemplateValue[] | { [key: string]: TemplateValue };

export type TemplateScope = Record<string, TemplateValue>;

const TAG = /\[\[([#/]?)(each|if|unless)?\s*([A-Za-z_.][\w.-]*)?\]\]/g;

interface Token {
  kind: 'text' | 'value' | 'open' | 'close';
  text: string;
  block?: 'each' | 'if' | 'unless';
  path?: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const [whole, sigil, block, path] = match;
    if (match.index > last) tokens.push({ kind: 'text', text: source.slice(last, match.index) });
    last = match.index + whole.length;
    if (sigil === '#' && block && path) {
      tokens.push({ kind: 'open', text: whole, block: block as Token['block'], path });
    } else if (sigil === '/' && block) {
      tokens.push({ kind: 'close', text: whole, block: block as Token['block'] });
    } else if (!sigil && !block && path) {
      tokens.push({ kind: 'value', text: whole, path });
    } else {
      throw new Error(`template: malformed tag ${whole}`);
    }
  }
  if (last < source.length) tokens.push({ kind: 'text', text: source.slice(last) });
  return tokens;
}

function lookup(scopes: TemplateValue[], path: string): TemplateValue {
  if (path === '.') return scopes[scopes.length - 1];
  const [head, ...rest] = path.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope && typeof scope === 'object' && !Array.isArray(scope) && head! in scope) {
      let value: TemplateValue = scope[head!];
      for (const key of rest) {
        if (!value || typeof value !== 'object' || Array.isArray(value) || !(key in value)) {
          throw new Error(`template: ${path} is not defined`);
        }
        value = value[key];
      }
      return value;
    }
  }
  throw new Error(`template: ${path} is not defined`);
}

function truthy(value: TemplateValue): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** Index of the close tag matching the open tag at `start`. */
function matchingClose(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'open') depth++;
    if (token.kind === 'close' && --depth === 0) {
      if (token.block !== tokens[start]!.block)
        throw new Error(`template: ${token.text} mismatched`);
      return i;
    }
  }
  throw new Error(`template: ${tokens[start]!.text} is never closed`);
}

function renderTokens(tokens: Token[], scopes: TemplateValue[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'text') {
      out += token.text;
    } else if (token.kind === 'value') {
      const value = lookup(scopes, token.path!);
      if (value !== null && typeof value === 'object') {
        throw new Error(`template: ${token.path} is not a scalar`);
      }
      out += value === undefined || value === null ? '' : String(value);
    } else if (token.kind === 'open') {
      const close = matchingClose(tokens, i);
      const body = tokens.slice(i + 1, close);
      const value = lookup(scopes, token.path!);
      if (token.block === 'each') {
        if (!Array.isArray(value)) throw new Error(`template: ${token.path} is not a list`);
        for (const item of value) out += renderTokens(body, [...scopes, item]);
      } else if (truthy(value) === (token.block === 'if')) {
        out += renderTokens(body, scopes);
      }
      i = close;
    } else {
      throw new Error(`template: ${token.text} without an opening tag`);
    }
  }
  return out;
}

const PARTIAL = /^([ \t]*)\[\[> ([\w./-]+)\]\][ \t]*$/gm;

function expandPartials(source: string, partial: (path: string) => string, depth = 0): string {
  if (depth > 8) throw new Error('template: partials nest too deep');
  return source.replace(PARTIAL, (_line, indent: string, path: string) => {
    const body = expandPartials(partial(path), partial, depth + 1).replace(/\n$/, '');
    return body
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n');
  });
}

/**
 * Renders `source` against `scope`. A block tag alone on its line takes its line with it, so
 * templates can be indented YAML without leaving blank lines behind.
 */
export function renderTemplate(
  source: string,
  scope: TemplateScope,
  partial: (path: string) => string = (path) => {
    throw new Error(`template: partial ${path} is not available here`);
  },
): string {
  const compact = expandPartials(source, partial).replace(
    /^[ \t]*(\[\[[#/](?:each|if|unless)[^\]]*\]\])[ \t]*\r?\n/gm,
    '$1',
  );
  return renderTokens(tokenize(compact), [scope]);
}
