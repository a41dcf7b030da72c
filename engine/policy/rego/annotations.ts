// METADATA comment blocks (OPA annotations, https://www.openpolicyagent.org/docs/policy-language#annotations):
// a run of `#` comments starting with `METADATA` directly above a package or rule, holding YAML.
import { parse } from 'yaml';
import type { Comment } from './lexer.ts';
import { RObject } from './value.ts';
import type { Value } from './value.ts';
import { fromJS } from './value-ops.ts';

function author(a: unknown): Value {
  if (typeof a !== 'string') return fromJS(a);
  const m = /^(.*?)\s*<([^>]+)>$/.exec(a.trim());
  return m
    ? RObject.of([
        ['name', m[1]!],
        ['email', m[2]!],
      ])
    : RObject.of([['name', a.trim()]]);
}

/** Annotations of the METADATA block ending on the row above `row`, if any. */
export function annotationsAbove(
  comments: Comment[],
  row: number,
  defaultScope: string,
): Value | undefined {
  const byRow = new Map(comments.map((c) => [c.row, c.text]));
  let r = row - 1;
  const lines: string[] = [];
  while (byRow.has(r)) lines.unshift(byRow.get(r--)!);
  const start = lines.findIndex((l) => l.trim() === 'METADATA');
  if (start < 0) return undefined;
  const yaml = lines
    .slice(start + 1)
    .map((l) => (l.startsWith(' ') ? l.slice(1) : l))
    .join('\n');
  let doc: unknown;
  try {
    doc = parse(yaml) ?? {};
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const out = fromJS(doc) as RObject;
  const authors = (doc as { authors?: unknown }).authors;
  if (Array.isArray(authors)) out.set('authors', authors.map(author));
  if (!out.has('scope')) out.set('scope', defaultScope);
  return out;
}
