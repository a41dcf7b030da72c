/**
 * Which package managers a RUN step calls (issue 14): the build reaches package mirrors only
 * through build args ProdSprint injects, so it must know which tools to give a mirror to, and a
 * failed install step can then name the mirror that is missing. The scan reads command words,
 * the ones after the start of a command, a pipe, `&&`, `||`, `;`, `(`, `$(` or a newline,
 * skipping `VAR=value`, `sudo`, `env`, `exec`, `time`, and recognises `python -m pip` and
 * `./mvnw` / `./gradlew`. One pass over the text, no regex on it.
 */
export type PackageTool =
  | 'npm'
  | 'npx'
  | 'yarn'
  | 'pnpm'
  | 'bun'
  | 'pip'
  | 'pipenv'
  | 'poetry'
  | 'uv'
  | 'go'
  | 'mvn'
  | 'gradle'
  | 'apt'
  | 'apk'
  | 'gem'
  | 'bundle'
  | 'composer'
  | 'cargo'
  | 'dotnet'
  | 'corepack';

const COMMANDS: Record<string, PackageTool> = {
  npm: 'npm',
  npx: 'npx',
  yarn: 'yarn',
  yarnpkg: 'yarn',
  pnpm: 'pnpm',
  pnpx: 'pnpm',
  bun: 'bun',
  bunx: 'bun',
  pip: 'pip',
  pip3: 'pip',
  pipenv: 'pipenv',
  poetry: 'poetry',
  uv: 'uv',
  uvx: 'uv',
  go: 'go',
  mvn: 'mvn',
  mvnw: 'mvn',
  gradle: 'gradle',
  gradlew: 'gradle',
  apt: 'apt',
  'apt-get': 'apt',
  apk: 'apk',
  gem: 'gem',
  bundle: 'bundle',
  bundler: 'bundle',
  composer: 'composer',
  cargo: 'cargo',
  dotnet: 'dotnet',
  corepack: 'corepack',
};
const PREFIXES = new Set(['sudo', 'env', 'exec', 'time', 'nice', 'nohup', 'command', 'then', 'do']);
const SEPARATORS = new Set(['&&', '||', ';', '|', '(', ')', '{', '}', '$(', '`', '\n', '!']);

/** Splits shell text into words and separator tokens. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push(word);
    word = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '$(') {
      flush();
      out.push(two);
      i += 1;
    } else if (ch === ';' || ch === '|' || ch === '(' || ch === ')' || ch === '`' || ch === '\n') {
      flush();
      out.push(ch);
    } else if (ch === ' ' || ch === '\t' || ch === '\r') flush();
    else if (ch === '"' || ch === "'") continue;
    else word += ch;
  }
  flush();
  return out;
}

/** The tool a command name stands for: `pip3.11` → pip, `/usr/bin/npm` → npm, `./mvnw` → mvn. */
function toolOf(command: string): PackageTool | undefined {
  const base = command.slice(command.lastIndexOf('/') + 1);
  if (COMMANDS[base]) return COMMANDS[base];
  const dot = base.indexOf('.');
  if (dot > 0 && /^pip3?$/.test(base.slice(0, dot))) return 'pip';
  return undefined;
}

/** The package tools the shell text calls, in order of first call. */
export function packageToolsIn(text: string): PackageTool[] {
  const found: PackageTool[] = [];
  let atCommand = true;
  const list = tokens(text);
  for (let i = 0; i < list.length; i += 1) {
    const token = list[i]!;
    if (SEPARATORS.has(token)) {
      atCommand = true;
      continue;
    }
    if (!atCommand) continue;
    if (PREFIXES.has(token) || (token.includes('=') && !token.startsWith('='))) continue;
    if (token.startsWith('-')) continue;
    atCommand = false;
    let tool = toolOf(token);
    const base = token.slice(token.lastIndexOf('/') + 1);
    if (!tool && /^python[0-9.]*$/.test(base) && list[i + 1] === '-m') {
      const module = list[i + 2] ?? '';
      tool =
        module === 'pip'
          ? 'pip'
          : module === 'poetry'
            ? 'poetry'
            : module === 'pipenv'
              ? 'pipenv'
              : module === 'uv'
                ? 'uv'
                : undefined;
    }
    if (tool && !found.includes(tool)) found.push(tool);
  }
  return found;
}
