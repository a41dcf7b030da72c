/**
 * go.mod and go.work. Their grammar is line-based (https://go.dev/ref/mod#go-mod-file): a
 * directive per line, or a parenthesised block of them. A file with no `module` directive, or a
 * line that is not a known directive, is reported as malformed rather than half-understood.
 */
import { ev } from '../evidence.ts';
import { emptyManifest } from '../manifest.ts';
import type { ManifestParse } from '../manifest.ts';

const DIRECTIVES = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'replace',
  'exclude',
  'retract',
  'tool',
  'ignore',
  'use',
]);

interface GoLine {
  directive: string;
  args: string;
  line: number;
}

function goLines(text: string): GoLine[] | { error: string; line: number } {
  const out: GoLine[] = [];
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] ?? '').replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block) {
      if (line === ')') block = undefined;
      else out.push({ directive: block, args: line, line: index + 1 });
      continue;
    }
    const match = /^(\w+)\s*(.*)$/.exec(line);
    const directive = match?.[1] ?? '';
    if (!DIRECTIVES.has(directive))
      return { error: `unknown directive "${line.slice(0, 40)}"`, line: index + 1 };
    const args = match?.[2] ?? '';
    if (args === '(') block = directive;
    else out.push({ directive, args, line: index + 1 });
  }
  if (block) return { error: `unclosed "${block} (" block`, line: lines.length };
  return out;
}

export function parseGoMod(path: string, dir: string, text: string): ManifestParse {
  const lines = goLines(text);
  if (!Array.isArray(lines)) return { ok: false, ...lines };
  const module = lines.find((line) => line.directive === 'module');
  if (!module) return { ok: false, error: 'no module directive', line: 1 };
  const manifest = emptyManifest('go', dir, path);
  manifest.name = module.args.replace(/"/g, '').trim();
  for (const line of lines) {
    if (line.directive !== 'require') continue;
    const name = line.args.split(/\s+/)[0];
    if (name) manifest.deps.set(name, ev(path, line.line));
  }
  return { ok: true, manifest };
}

/** The `use` directories of a go.work file, with their lines. */
export function parseGoWork(
  path: string,
  text: string,
):
  | { ok: true; uses: Array<{ dir: string; line: number }> }
  | { ok: false; error: string; line: number } {
  const lines = goLines(text);
  if (!Array.isArray(lines)) return { ok: false, ...lines };
  return {
    ok: true,
    uses: lines
      .filter((line) => line.directive === 'use')
      .map((line) => ({ dir: line.args.replace(/"/g, '').trim(), line: line.line })),
  };
}

/** Go dependency names are module paths; majors (`/v4`) are kept off for lookups. */
export function goModuleBase(name: string): string {
  return name.replace(/\/v\d+$/, '');
}
