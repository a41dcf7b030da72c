/**
 * YAML through the `yaml` package with resource limits: alias expansion is capped
 * (maxAliasCount; a "billion laughs" document fails instead of eating memory), and so is the
 * number of documents per file. Errors come back as values: hostile input is a gap, not a crash.
 */
import { LineCounter, isMap, isScalar, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';

const MAX_ALIASES = 50;
const MAX_DOCUMENTS = 500;

export interface YamlDoc {
  value: unknown;
  /** 1-based line of the key at `path` (or of the document start when not found). */
  keyLine(path: Array<string | number>): number;
}

export type YamlResult = { ok: true; docs: YamlDoc[] } | { ok: false; error: string; line: number };

export function parseYaml(text: string): YamlResult {
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    return { ok: false, error: (error as Error).message, line: 1 };
  }
  if (documents.length > MAX_DOCUMENTS)
    return { ok: false, error: `more than ${MAX_DOCUMENTS} YAML documents`, line: 1 };
  const docs: YamlDoc[] = [];
  for (const doc of documents) {
    const first = doc.errors[0];
    if (first)
      return { ok: false, error: first.message, line: lineCounter.linePos(first.pos[0]).line || 1 };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      return { ok: false, error: (error as Error).message, line: 1 };
    }
    const startLine = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line || 1;
    docs.push({
      value,
      keyLine: (path) => {
        const offset = keyOffset(doc.contents, path);
        return offset === undefined ? startLine : lineCounter.linePos(offset).line || startLine;
      },
    });
  }
  return { ok: true, docs };
}

function keyOffset(
  node: Node | null | undefined,
  path: Array<string | number>,
): number | undefined {
  let current: unknown = node;
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
      current = pair.value;
    } else if (
      current &&
      typeof current === 'object' &&
      'items' in current &&
      Array.isArray(current.items)
    ) {
      const item = current.items[Number(segment)] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      current = item;
    } else {
      return offset;
    }
  }
  return offset;
}
