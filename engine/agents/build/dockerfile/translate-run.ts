/**
 * RUN for the legacy builder, with BuildKit's meaning kept:
 * - heredocs become the exact command BuildKit runs (dockerfile2llb dispatchRun): a lone
 *   `RUN <<EOF` runs its body as a shell script (`<<-` strips leading tabs), one whose body
 *   starts with `#!` is written to /dev/pipes/<name> and run by its interpreter as the kernel
 *   would, and any other heredoc (`RUN python3 <<EOF`, several heredocs) is handed to the shell
 *   with its bodies appended, so the shell itself reads them;
 * - cache and tmpfs mounts are dropped (they only speed a build up or give scratch space);
 * - bind mounts become a COPY before the RUN (from the context, a stage or an image);
 * - secret and ssh mounts are refused: ProdSprint passes no secrets into builds.
 */
import { UnsupportedDockerfileError } from './errors.ts';
import { parseFlags, parseMount, type Mount } from './flags.ts';
import type { Instruction } from './parse.ts';
import { heredocMarker, shellQuote } from './shell-words.ts';

export interface RunContext {
  /** The stage's shell (SHELL instruction, else `/bin/sh -c`). */
  shell: string[];
  /** How a `from=` stage is written in the output (renumbered index or name), or the image. */
  fromRef(from: string): string;
  notes: string[];
}

export interface TranslatedRun {
  /** Instructions to emit (COPY for bind mounts, then the RUN); undefined = keep as written. */
  lines: string[] | undefined;
  /** The shell text the step runs (for finding package managers). */
  script: string;
}

const GLOB = /[*?[\\]/;
const MAX_LINE = 60 * 1024;

function refuse(line: number, feature: string, reason: string, remedy: string): never {
  throw new UnsupportedDockerfileError(line, feature, reason, remedy);
}

/** The command a heredoc RUN runs, exactly as BuildKit builds it. */
function heredocCommand(instruction: Instruction, context: RunContext): string[] {
  const line = instruction.startLine;
  if (instruction.json)
    refuse(
      line,
      'RUN heredoc in exec form',
      'BuildKit refuses it too',
      `write line ${line} in shell form`,
    );
  const first = instruction.heredocs[0]!;
  if (heredocMarker(instruction.args)) {
    const data = first.chomp ? first.content.replace(/^\t+/gm, '') : first.content;
    if (data.startsWith('#!'))
      return [...context.shell, shebangLauncher(first.name, data), 'sh', data];
    return [...context.shell, data];
  }
  let script = instruction.args;
  for (const heredoc of instruction.heredocs) script += `\n${heredoc.content}${heredoc.name}`;
  return [...context.shell, script];
}

/**
 * BuildKit mounts a shebang script at /dev/pipes/<name> (mode 0755) and runs it, so the kernel
 * starts the interpreter its first line names. Here the script arrives as $1 and is written
 * there (/dev is a per-container tmpfs, so nothing reaches the layer; a non-root USER falls back
 * to /dev/shm), then that interpreter is started on it, the `#!` line split as Linux splits it:
 * the interpreter, then the rest of the line as one optional argument.
 */
function shebangLauncher(name: string, data: string): string {
  const newline = data.indexOf('\n');
  const first = (newline < 0 ? data : data.slice(0, newline)).slice(2);
  let i = 0;
  while (first[i] === ' ' || first[i] === '\t') i += 1;
  let j = i;
  while (j < first.length && first[j] !== ' ' && first[j] !== '\t') j += 1;
  const interpreter = first.slice(i, j);
  const argument = first.slice(j).trim();
  const run = [interpreter, ...(argument ? [argument] : [])].map(shellQuote).join(' ');
  return [
    'mkdir -p /dev/pipes 2>/dev/null; d=/dev/pipes; [ -w "$d" ] || d=/dev/shm',
    `f="$d"/${shellQuote(name)}; printf '%s' "$1" > "$f" && chmod 755 "$f" 2>/dev/null`,
    `exec ${run} "$f"`,
  ].join('\n');
}

function bindCopy(mount: Mount, line: number, context: RunContext): string {
  if (!mount.target)
    refuse(
      line,
      '--mount=type=bind without target',
      'BuildKit needs a target',
      `add target=<path> to the mount on line ${line}`,
    );
  const source = mount.source ?? '';
  if (GLOB.test(source))
    refuse(
      line,
      `--mount source ${source}`,
      'COPY would read the name as a pattern',
      `rename the mounted path on line ${line} so it has no * ? [ or \\`,
    );
  let clean = source.replace(/^\/+/, '');
  if (!clean) clean = mount.from ? '/' : '.';
  else if (mount.from) clean = `/${clean}`;
  const from = mount.from ? `--from=${context.fromRef(mount.from)} ` : '';
  const copy = `COPY ${from}${JSON.stringify([clean, mount.target])}`;
  context.notes.push(
    `line ${line}: --mount=${mount.text} became \`${copy}\` before the RUN (the files stay in the image; BuildKit mounts them for this step only${mount.readOnly ? '' : ', and here writes to them are kept'})`,
  );
  return copy;
}

/** Translates one RUN; throws UnsupportedDockerfileError for what cannot be kept exact. */
export function translateRun(instruction: Instruction, context: RunContext): TranslatedRun {
  const line = instruction.startLine;
  const flags = parseFlags(instruction.flags);
  const copies: string[] = [];
  for (const [name, values] of flags) {
    if (name === 'network') {
      context.notes.push(
        `line ${line}: dropped --network=${values.at(-1)} (the legacy builder runs every step on the build's network)`,
      );
    } else if (name === 'security') {
      if (values.at(-1) === 'insecure')
        refuse(
          line,
          'RUN --security=insecure',
          'the legacy builder cannot run a privileged step',
          `remove --security=insecure from line ${line}`,
        );
      context.notes.push(`line ${line}: dropped --security=sandbox (the default)`);
    } else if (name !== 'mount') {
      refuse(
        line,
        `RUN --${name}`,
        'the legacy builder has no such option',
        `remove --${name} from line ${line}`,
      );
    }
  }
  for (const text of flags.get('mount') ?? []) {
    const mount = parseMount(text);
    if (mount.type === 'secret' || mount.type === 'ssh')
      refuse(
        line,
        `RUN --mount=type=${mount.type}`,
        'ProdSprint passes no secrets or SSH agents into image builds (they would end up in logs or layers)',
        mount.type === 'secret'
          ? `remove the secret mount from line ${line}; package-mirror credentials are added by ProdSprint's relay: configure the mirror with \`prodsprint config set mirrors.<npm|pypi|go|maven> <url>\``
          : `remove the ssh mount from line ${line} and fetch private dependencies through a package mirror (\`prodsprint config set mirrors.<npm|pypi|go|maven> <url>\`) or vendor them into the repository`,
      );
    if (mount.type === 'bind') copies.push(bindCopy(mount, line, context));
    else
      context.notes.push(
        mount.type === 'cache'
          ? `line ${line}: dropped --mount=${text} (a BuildKit cache only speeds up the build; what the step writes there stays in the layer)`
          : `line ${line}: dropped --mount=${text} (scratch space; what the step writes there stays in the layer)`,
      );
  }
  if (instruction.heredocs.length > 0) {
    const command = heredocCommand(instruction, context);
    // The legacy parser reads a Dockerfile line with a 64 KiB buffer.
    if (JSON.stringify(command).length > MAX_LINE)
      refuse(
        line,
        'RUN heredoc longer than 60 KiB',
        'the legacy builder cannot read an instruction line that long',
        `move the script of line ${line} into a file in the repository, COPY it and RUN it`,
      );
    context.notes.push(
      `line ${line}: heredoc RUN written in exec form ${JSON.stringify(command.slice(0, context.shell.length))} + its script`,
    );
    return {
      lines: [...copies, `RUN ${JSON.stringify(command)}`],
      script: command.slice(context.shell.length).join('\n'),
    };
  }
  const script = instruction.json ? instruction.json.join(' ') : instruction.args;
  if (instruction.flags.length === 0) return { lines: undefined, script };
  return { lines: [...copies, `RUN ${instruction.args}`], script };
}
