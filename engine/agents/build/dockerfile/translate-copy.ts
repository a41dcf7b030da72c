/**
 * COPY and ADD for the legacy builder: `--link` dropped (it changes layer reuse, not content),
 * `--from=<n>` renumbered after pruning, and what the legacy builder lacks rebuilt exactly from
 * a side image ProdSprint builds next to the context (side-files.ts): heredoc sources
 * (`COPY <<EOF /etc/app.conf`, files of mode 0644 as BuildKit makes them) and `--chmod`
 * (the staged copies carry the modes BuildKit would give). Sources that download (`ADD
 * https://…`, `ADD git@…`) are refused: the build runs offline.
 */
import { UnsupportedDockerfileError } from './errors.ts';
import { applyChmod, isOctalMode } from './file-mode.ts';
import { flag, parseFlags } from './flags.ts';
import type { Instruction } from './parse.ts';
import { heredocMarker, splitRawWords, unquoteWords } from './shell-words.ts';

/** A file of the side image: literal content, or copies of context paths with new modes. */
export type SideFile =
  | { kind: 'content'; path: string; content: string; mode: number }
  | { kind: 'context'; path: string; sources: string[]; chmod: string };

/** The stage alias of the side image in the translated Dockerfile. */
export const SIDE_STAGE = 'prodsprint-side';

export interface CopyContext {
  /** How a `--from` stage is written in the output (renumbered index or name), or the image. */
  fromRef(from: string): string;
  notes: string[];
  sideFiles: SideFile[];
}

const KNOWN = new Set([
  'from',
  'chown',
  'chmod',
  'link',
  'parents',
  'exclude',
  'checksum',
  'keep-git-dir',
  'unpack',
]);

function refuse(line: number, feature: string, reason: string, remedy: string): never {
  throw new UnsupportedDockerfileError(line, feature, reason, remedy);
}

function downloads(source: string): boolean {
  const lower = source.toLowerCase();
  return ['http://', 'https://', 'git@', 'git://', 'ssh://'].some((scheme) =>
    lower.startsWith(scheme),
  );
}

/** Sources and destination as written (quotes kept for shell form), heredoc words marked. */
function operands(instruction: Instruction): string[] {
  return instruction.json ?? splitRawWords(instruction.args);
}

/** `./a/../b/` → `b`; `/` or `.` → ``. Throws when the path leaves the context. */
function contextPath(source: string, line: number): string {
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0)
        refuse(
          line,
          `COPY source ${source}`,
          'it leaves the build context',
          `copy from inside the build context on line ${line}`,
        );
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Translates one COPY/ADD; undefined lines = keep as written. */
export function translateCopy(
  instruction: Instruction,
  context: CopyContext,
): string[] | undefined {
  const line = instruction.startLine;
  const keyword = instruction.keyword;
  const flags = parseFlags(instruction.flags);
  for (const name of flags.keys()) {
    if (
      !KNOWN.has(name) ||
      (keyword === 'ADD' && name === 'from') ||
      (keyword === 'COPY' && ['checksum', 'keep-git-dir', 'unpack'].includes(name))
    )
      refuse(
        line,
        `${keyword} --${name}`,
        `${keyword} has no --${name} option`,
        `remove --${name} from line ${line}`,
      );
    if (['parents', 'exclude', 'unpack'].includes(name))
      refuse(
        line,
        `${keyword} --${name}`,
        'the legacy builder cannot copy this way and no exact rewrite exists',
        `remove --${name} from line ${line} and list the copied paths explicitly`,
      );
  }
  const words = operands(instruction);
  if (words.length < 2)
    refuse(line, keyword, `${keyword} needs a source and a destination`, `fix line ${line}`);
  const sources = words.slice(0, -1);
  if (keyword === 'ADD')
    for (const source of unquoteWords(sources.join(' ')))
      if (downloads(source))
        refuse(
          line,
          `ADD ${source.startsWith('http') ? '<http(s) URL>' : '<git URL>'}`,
          `the build would download ${source}, and image builds run offline`,
          `put the file into the repository and ADD it from the build context (or fetch it in a RUN step through a configured package mirror), then change line ${line}`,
        );
  const chmod = flag(flags, 'chmod');
  const heredocs = instruction.json ? [] : sources.filter((word) => heredocMarker(word));
  if (heredocs.length > 0) return [heredocCopy(instruction, words, chmod, context)];
  if (chmod !== undefined) return [chmodCopy(instruction, words, chmod, context)];
  const renumbered = flag(flags, 'from');
  if (flags.has('link'))
    context.notes.push(
      `line ${line}: dropped --link (it changes how layers are reused, not what they hold)`,
    );
  if (
    !flags.has('link') &&
    (renumbered === undefined || context.fromRef(renumbered) === renumbered)
  )
    return undefined;
  const kept = instruction.flags.filter(
    (word) => !/^link(=|$)/i.test(word) && !/^from=/i.test(word),
  );
  const from = renumbered === undefined ? [] : [`from=${context.fromRef(renumbered)}`];
  return [[keyword, ...[...from, ...kept].map((word) => `--${word}`), instruction.args].join(' ')];
}

function checkChmod(chmod: string, line: number): void {
  try {
    applyChmod(chmod, 0o644, false);
  } catch {
    refuse(
      line,
      `--chmod=${chmod}`,
      'not a valid mode',
      `fix --chmod on line ${line} (octal like 755 or symbolic like u+x)`,
    );
  }
  if (isOctalMode(chmod) && parseInt(chmod, 8) !== 0o755)
    refuse(
      line,
      `--chmod=${chmod}`,
      'BuildKit also gives this mode to the destination directories it creates, which the legacy builder cannot reproduce',
      `use --chmod=755 or a symbolic mode (e.g. --chmod=a=rX,u+w) on line ${line}, or chmod in a RUN step after the COPY`,
    );
}

function otherFlags(instruction: Instruction): string[] {
  return instruction.flags.filter((word) => /^chown=/i.test(word)).map((word) => `--${word}`);
}

function heredocCopy(
  instruction: Instruction,
  words: string[],
  chmod: string | undefined,
  context: CopyContext,
): string {
  const line = instruction.startLine;
  if (chmod !== undefined) checkChmod(chmod, line);
  const dest = words.at(-1)!;
  const paths: string[] = [];
  let next = 0;
  for (const word of words.slice(0, -1)) {
    const marker = heredocMarker(word);
    if (!marker)
      refuse(
        line,
        `${instruction.keyword} with heredoc and file sources`,
        'no exact rewrite mixes both',
        `split line ${line} into one COPY of the heredocs and one of the files`,
      );
    const heredoc = instruction.heredocs[next++]!;
    const content = heredoc.chomp ? heredoc.content.replace(/^\t+/gm, '') : heredoc.content;
    if (heredoc.expand && /[$\\'"]/.test(content))
      refuse(
        line,
        `${instruction.keyword} heredoc with variables`,
        "BuildKit expands its variables with the build's ARG and ENV values, which ProdSprint cannot reproduce exactly",
        `quote the delimiter on line ${line} (<<"${heredoc.name}") if the text needs no expansion, or put the file in the repository and COPY it`,
      );
    if (heredoc.name.includes('/'))
      refuse(
        line,
        `heredoc ${heredoc.name}`,
        'a heredoc name with / is a path',
        `rename the heredoc on line ${line}`,
      );
    const path = `content/${context.sideFiles.length + 1}/${heredoc.name}`;
    const mode = chmod === undefined ? 0o644 : applyChmod(chmod, 0o644, false);
    context.sideFiles.push({ kind: 'content', path, content, mode });
    paths.push(`/${path}`);
  }
  const copy =
    `COPY --from=${SIDE_STAGE} ${otherFlags(instruction).join(' ')} ${JSON.stringify([...paths, dest])}`.replace(
      / {2}/g,
      ' ',
    );
  context.notes.push(
    `line ${line}: ${instruction.keyword} heredoc → \`${copy}\` (the file comes from ProdSprint's side image)`,
  );
  return copy;
}

function chmodCopy(
  instruction: Instruction,
  words: string[],
  chmod: string,
  context: CopyContext,
): string {
  const line = instruction.startLine;
  checkChmod(chmod, line);
  if (instruction.keyword === 'ADD')
    refuse(
      line,
      'ADD --chmod',
      'ADD unpacks archives, which the rewrite through a COPY would not',
      `use COPY --chmod on line ${line} (or ADD without --chmod)`,
    );
  if (flag(parseFlags(instruction.flags), 'from') !== undefined)
    refuse(
      line,
      'COPY --from --chmod',
      'the files come from another image, whose modes ProdSprint cannot stage',
      `drop --chmod on line ${line} and chmod in a RUN step`,
    );
  const raw = words.slice(0, -1);
  const sources = instruction.json ?? unquoteWords(raw.join(' '));
  if (raw.some((source) => source.includes('$')))
    refuse(
      line,
      'COPY --chmod with a variable source',
      'ProdSprint stages the sources before the build',
      `write the source paths on line ${line} without variables`,
    );
  const path = `chmod/${context.sideFiles.length + 1}`;
  const cleaned = sources.map((source) => contextPath(source, line));
  context.sideFiles.push({ kind: 'context', path, sources: cleaned, chmod });
  const staged = cleaned.map((source) => `/${path}${source ? `/${source}` : ''}`);
  const copy =
    `COPY --from=${SIDE_STAGE} ${otherFlags(instruction).join(' ')} ${JSON.stringify([...staged, words.at(-1)!])}`.replace(
      / {2}/g,
      ' ',
    );
  context.notes.push(
    `line ${line}: --chmod=${chmod} → \`${copy}\` (the legacy builder has no --chmod; the side image holds the files with those modes)`,
  );
  return copy;
}
