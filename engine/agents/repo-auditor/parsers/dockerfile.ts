/**
 * Dockerfile reader for the instructions the fingerprint needs: FROM (with its stage name),
 * ARG before the first FROM, EXPOSE, CMD, ENTRYPOINT, HEALTHCHECK, USER, ENV, the sources of
 * COPY/ADD and the RUN commands. Follows the Dockerfile reference for line continuations (the
 * escape character, `\` or the one set by a `# escape=` parser directive), heredocs
 * (`RUN <<EOF` … `EOF`, whose body is not instructions), comments and the exec (JSON array) vs
 * shell forms. Which stage describes the running image, and what it inherits from the stages it
 * is built FROM, is dockerfile-stages.ts's concern.
 * https://docs.docker.com/reference/dockerfile/
 */

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  /** The image reference as written after FROM (may be an earlier stage's name or use ARGs). */
  baseImage: string;
  /** The stage name (`FROM image AS name`), lower-cased as Docker compares it; null if unnamed. */
  name: string | null;
  line: number;
  exposes: Array<{ port: number; line: number }>;
  cmd?: { command: string; line: number };
  entrypoint?: { command: string; line: number };
  healthcheck?: { command: string; line: number };
  user?: { name: string; line: number };
  env: Array<{ name: string; line: number }>;
  /**
   * COPY/ADD from the build context (not `--from=`): their source paths and the destination as
   * written (the destination maps a script the image runs back to its file in the repository).
   */
  copies: Array<{ sources: string[]; destination: string; line: number }>;
  runs: Array<{ command: string; line: number }>;
}

export interface ParsedDockerfile {
  instructions: DockerInstruction[];
  stages: DockerStage[];
  /** ARGs declared before the first FROM: the only ones FROM lines may use. */
  globalArgs: Array<{ name: string; value: string | null; line: number }>;
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = splitInstructions(text);
  const stages: DockerStage[] = [];
  const globalArgs: ParsedDockerfile['globalArgs'] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter((part) => part !== '' && !part.startsWith('--'));
      const name = words.length >= 3 && words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      stages.push({
        baseImage: words[0] ?? '',
        name: name ? name.toLowerCase() : null,
        line: ins.line,
        exposes: [],
        env: [],
        copies: [],
        runs: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (ins.keyword === 'ARG') globalArgs.push(...argsOf(ins));
      continue;
    }
    switch (ins.keyword) {
      case 'EXPOSE':
        for (const token of ins.args.split(/\s+/)) {
          const port = Number.parseInt(token, 10);
          if (port > 0 && port < 65536) stage.exposes.push({ port, line: ins.line });
        }
        break;
      case 'CMD':
        stage.cmd = { command: commandText(ins.args), line: ins.line };
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = { command: commandText(ins.args), line: ins.line };
        break;
      case 'HEALTHCHECK': {
        const command = ins.args.replace(/^(?:--\S+\s+)*/, '');
        stage.healthcheck = {
          command: /^NONE\b/i.test(command) ? 'NONE' : commandText(command.replace(/^CMD\s+/i, '')),
          line: ins.line,
        };
        break;
      }
      case 'USER':
        stage.user = { name: ins.args.trim(), line: ins.line };
        break;
      case 'ENV':
        for (const name of envNames(ins.args)) stage.env.push({ name, line: ins.line });
        break;
      case 'COPY':
      case 'ADD': {
        const copy = copySources(ins.args, ins.keyword === 'ADD');
        if (copy) stage.copies.push({ ...copy, line: ins.line });
        break;
      }
      case 'RUN':
        stage.runs.push({ command: ins.args, line: ins.line });
        break;
    }
  }
  return { instructions, stages, globalArgs };
}

/** The command the final stage runs: ENTRYPOINT followed by CMD, as Docker combines them. */
export function startCommandOf(stage: DockerStage): { command: string; line: number } | undefined {
  if (stage.entrypoint && stage.cmd)
    return {
      command: `${stage.entrypoint.command} ${stage.cmd.command}`,
      line: stage.entrypoint.line,
    };
  return stage.entrypoint ?? stage.cmd;
}

function splitInstructions(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines[0] ?? '') ? '`' : '\\';
  const out: DockerInstruction[] = [];
  let buffer = '';
  let startLine = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    if (buffer === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buffer !== '' && trimmed.startsWith('#')) continue;
    if (buffer === '') startLine = index + 1;
    if (trimmed.endsWith(escape)) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buffer += trimmed;
    pushInstruction(out, buffer, startLine);
    index = skipHeredocs(lines, index, buffer);
    buffer = '';
  }
  if (buffer !== '') pushInstruction(out, buffer, startLine);
  return out;
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][\w]*)\2/g;

/** Skips the bodies of the heredocs an instruction opens (`RUN <<EOF`); returns the last line. */
function skipHeredocs(lines: string[], index: number, instruction: string): number {
  let at = index;
  for (const match of instruction.matchAll(HEREDOC)) {
    const delimiter = match[3] ?? '';
    const strip = match[1] === '-';
    for (at += 1; at < lines.length; at += 1) {
      const line = lines[at] ?? '';
      if ((strip ? line.replace(/^\t+/, '') : line).trimEnd() === delimiter) break;
    }
  }
  return at;
}

function pushInstruction(out: DockerInstruction[], text: string, line: number): void {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  if (!match) return;
  out.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line });
}

/** Exec form `["node","server.js"]` becomes `node server.js`; shell form is kept as written. */
export function commandText(args: string): string {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parts: unknown = JSON.parse(trimmed);
      if (Array.isArray(parts) && parts.every((part) => typeof part === 'string'))
        return parts.join(' ');
    } catch {
      // Not valid JSON: Docker runs it in shell form, so do we.
    }
  }
  return trimmed.replace(/\s+/g, ' ');
}

/** `ARG NAME`, `ARG NAME=value`, several per line. */
function argsOf(ins: DockerInstruction): ParsedDockerfile['globalArgs'] {
  const out: ParsedDockerfile['globalArgs'] = [];
  for (const word of ins.args.split(/\s+/)) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (!/^[A-Za-z_]\w*$/.test(name)) continue;
    out.push({ name, value: eq < 0 ? null : unquote(word.slice(eq + 1)), line: ins.line });
  }
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/**
 * Source paths and destination of a COPY/ADD from the build context; undefined for `--from=`
 * copies (they read another stage or image), heredoc files and ADD of URLs, which name nothing
 * in the context.
 */
function copySources(
  args: string,
  isAdd: boolean,
): { sources: string[]; destination: string } | undefined {
  let words: string[];
  const trimmed = args.trim();
  const flags = trimmed.match(/^(?:--\S+\s+)*/)?.[0] ?? '';
  if (/--from=/.test(flags)) return undefined;
  const rest = trimmed.slice(flags.length);
  if (rest.startsWith('[')) {
    try {
      const parts: unknown = JSON.parse(rest);
      if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string'))
        return undefined;
      words = parts as string[];
    } catch {
      return undefined;
    }
  } else {
    words = rest.split(/\s+/).filter(Boolean).map(unquote);
  }
  const sources = words
    .slice(0, -1)
    .filter((source) => !source.startsWith('<<') && !(isAdd && /^(?:https?:|git@)/.test(source)));
  return sources.length > 0 ? { sources, destination: words.at(-1) ?? '' } : undefined;
}

function envNames(args: string): string[] {
  if (!args.includes('=')) {
    const name = args.split(/\s+/)[0];
    return name ? [name] : [];
  }
  const names: string[] = [];
  for (const match of args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g))
    if (match[1]) names.push(match[1]);
  return names;
}
