/**
 * Dockerfile reader for the instructions the fingerprint needs: FROM, EXPOSE, CMD, ENTRYPOINT,
 * HEALTHCHECK, USER, ENV. Follows the Dockerfile reference for line continuations (the escape
 * character, `\` or the one set by a `# escape=` parser directive), comments and the exec
 * (JSON array) vs shell forms. Only the final build stage describes the running image.
 * https://docs.docker.com/reference/dockerfile/
 */

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  baseImage: string;
  line: number;
  exposes: Array<{ port: number; line: number }>;
  cmd?: { command: string; line: number };
  entrypoint?: { command: string; line: number };
  healthcheck?: { command: string; line: number };
  user?: { name: string; line: number };
  env: Array<{ name: string; line: number }>;
}

export interface ParsedDockerfile {
  instructions: DockerInstruction[];
  stages: DockerStage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = splitInstructions(text);
  const stages: DockerStage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const image = ins.args.split(/\s+/).find((part) => !part.startsWith('--')) ?? '';
      stages.push({ baseImage: image, line: ins.line, exposes: [], env: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
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
    }
  }
  return { instructions, stages };
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
    buffer = '';
  }
  if (buffer !== '') pushInstruction(out, buffer, startLine);
  return out;
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
