/**
 * What a command really runs, so that its role can be read: `npm run worker` runs the package's
 * `worker` script; `/start-celeryworker` is the file the Dockerfile COPYs there
 * (`COPY ./compose/celery/worker/start /start-celeryworker`), read line by line; `sh -c "…"`
 * runs its string. An entrypoint script that ends in `exec "$@"` hands over to the command it
 * is given (the CMD), so `docker-entrypoint.sh uwsgi …` is uWSGI, with what the script does
 * before (migrations) kept as earlier steps. At most three levels deep, and a bounded number of
 * scripts per audit; vendored, minified and generated files are never read (their commands
 * are not the app's).
 */
import { ev, joinPath } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { DockerStage } from '../parsers/dockerfile.ts';
import type { RepoView } from '../repo-view.ts';
import { splitSteps } from './process-commands.ts';
import type { Step } from './process-commands.ts';
import { MAX_LINE, isMachineMadePath } from './source-scan.ts';

/** Scripts read per audit: commands are few, but a hostile repository could name thousands. */
const MAX_SCRIPT_READS = 60;
const MAX_SCRIPT_BYTES = 64 * 1024;
const MAX_DEPTH = 3;

export interface CommandContext {
  view: RepoView;
  /** Scripts of the package the image runs (for `npm run x`, `yarn x`, `pnpm x`). */
  scripts: ProjectManifest['scripts'] | null;
  /** The Dockerfile stage the command runs in and its build context. */
  image: { dockerfile: string; stage: DockerStage; context: string } | null;
  /** Folder relative script paths are looked up in (the build context or the service folder). */
  dir: string;
  budget: { reads: number };
}

export function newBudget(): { reads: number } {
  return { reads: 0 };
}

const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
/** `yarn <builtin>` is yarn's own command, not a script. */
const YARN_BUILTINS = new Set([
  'install',
  'add',
  'remove',
  'upgrade',
  'init',
  'dlx',
  'exec',
  'node',
  'workspace',
  'workspaces',
  'why',
  'info',
  'config',
  'set',
]);
const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/env', 'ash', 'dash']);
const HAND_OVER = /^(?:exec\s+)?"?\$(?:@|\*|\{@\})"?$/;

/** The steps `command` runs, package scripts and scripts expanded; `args` is what `"$@"` is. */
export async function resolveSteps(
  command: string,
  ctx: CommandContext,
  args: string | null = null,
  depth = 0,
): Promise<Step[]> {
  const out: Step[] = [];
  for (const text of splitSteps(command))
    out.push(...(await resolveStep(text, [], ctx, args, depth)));
  return out;
}

async function resolveStep(
  text: string,
  evidence: Evidence[],
  ctx: CommandContext,
  args: string | null,
  depth: number,
): Promise<Step[]> {
  const words = stripPrefixes(text.split(/\s+/).filter(Boolean));
  const here: Step = { text, evidence };
  if (words.length === 0) return [];
  if (HAND_OVER.test(words.join(' ')))
    return args === null ? [] : resolveSteps(args, ctx, null, depth + 1);
  if (depth >= MAX_DEPTH) return [here];
  const first = words[0] ?? '';
  if (SHELLS.has(first) && words[1] === '-c') {
    const inner = words
      .slice(2)
      .join(' ')
      .replace(/^["']|["']$/g, '');
    return (await resolveSteps(inner, ctx, args, depth + 1)).map((step) =>
      withEvidence(step, evidence),
    );
  }
  const script = packageScript(words, ctx);
  if (script) {
    const steps = await resolveSteps(script.command, ctx, args, depth + 1);
    return steps.map((step) => withEvidence(step, [...evidence, script.evidence]));
  }
  const file = scriptFile(SHELLS.has(first) ? words.slice(1) : words, ctx);
  if (file && ctx.budget.reads < MAX_SCRIPT_READS) {
    ctx.budget.reads += 1;
    const body = await ctx.view.text(file, MAX_SCRIPT_BYTES);
    if (body !== undefined && isShellScript(file, body)) {
      const rest = words.slice(SHELLS.has(first) ? 2 : 1).join(' ');
      const handed = rest === '' ? args : rest;
      return scriptSteps(file, body, ctx, handed, depth + 1);
    }
  }
  // A program given as ENTRYPOINT takes the CMD as its arguments (`dotnet Worker.dll`).
  return [args !== null && depth === 0 ? { text: `${text} ${args}`, evidence } : here];
}

function withEvidence(step: Step, evidence: Evidence[]): Step {
  return evidence.length === 0
    ? step
    : { text: step.text, evidence: [...evidence, ...step.evidence] };
}

/** Drops `exec`, `env`, `NAME=value` assignments, `cross-env`, `dumb-init`, `tini --`. */
function stripPrefixes(words: string[]): string[] {
  let at = 0;
  while (at < words.length) {
    const word = words[at] ?? '';
    if (word === 'exec' || word === 'env' || word === 'cross-env' || word === '--') at += 1;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) at += 1;
    else if (/(?:^|\/)(?:dumb-init|tini)$/.test(word)) at += 1;
    else break;
  }
  return words.slice(at);
}

/** `npm start`, `npm run x`, `yarn x`, `pnpm x`, `bun run x` → the script, with extra args. */
function packageScript(
  words: string[],
  ctx: CommandContext,
): { command: string; evidence: Evidence } | undefined {
  const manager = words[0] ?? '';
  if (!ctx.scripts || !PACKAGE_MANAGERS.has(manager)) return undefined;
  let at = 1;
  while (words[at]?.startsWith('-')) at += 1;
  if (words[at] === 'run' || words[at] === 'run-script') at += 1;
  const name = words[at];
  if (!name || (manager === 'yarn' && YARN_BUILTINS.has(name))) return undefined;
  const script = ctx.scripts.get(name);
  if (!script) return undefined;
  const extra = words.slice(at + 1).filter((word) => word !== '--');
  return {
    command: [script.command, ...extra].join(' '),
    evidence: script.evidence,
  };
}

/** The repository file a script path in a command is, if it can be found. */
function scriptFile(words: string[], ctx: CommandContext): string | undefined {
  const path = (words[0] ?? '').replace(/^["']|["']$/g, '');
  if (!/^(?:\/|\.{1,2}\/)|\.(?:sh|bash)$/.test(path) || path.includes('$')) return undefined;
  const candidates: string[] = [];
  for (const copy of ctx.image?.stage.copies ?? []) {
    const [source] = copy.sources;
    if (copy.sources.length !== 1 || !source) continue;
    const into = copy.destination.endsWith('/')
      ? `${copy.destination}${source.slice(source.lastIndexOf('/') + 1)}`
      : copy.destination;
    if (into === path) candidates.push(joinPath(ctx.image?.context ?? '.', source));
  }
  const relative = path.replace(/^\/+/, '');
  candidates.push(joinPath(ctx.dir, relative));
  // `/app/start.sh` after `WORKDIR /app` + `COPY . .` is `start.sh` in the context.
  const slash = relative.indexOf('/');
  if (slash > 0) candidates.push(joinPath(ctx.dir, relative.slice(slash + 1)));
  return candidates.find((file) => ctx.view.has(file) && !isMachineMadePath(file));
}

/** Only shell scripts are read as steps: a Python or JS file's lines are not commands. */
function isShellScript(file: string, body: string): boolean {
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(body);
  if (shebang) {
    const program = shebang[1]?.endsWith('/env') ? (shebang[2] ?? '') : (shebang[1] ?? '');
    return /(?:^|\/)(?:ba|da|a|z)?sh$/.test(program);
  }
  return /\.(?:sh|bash)$/.test(file);
}

async function scriptSteps(
  file: string,
  body: string,
  ctx: CommandContext,
  args: string | null,
  depth: number,
): Promise<Step[]> {
  const out: Step[] = [];
  const lines = body.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const start = index;
    let line = (lines[index] ?? '').trim();
    // A trailing backslash continues the command on the next line.
    while (line.endsWith('\\') && index + 1 < lines.length && line.length <= MAX_LINE) {
      index += 1;
      line = `${line.slice(0, -1)} ${(lines[index] ?? '').trim()}`;
    }
    if (line === '' || line.startsWith('#') || line.length > MAX_LINE) continue;
    for (const text of splitSteps(line))
      out.push(...(await resolveStep(text, [ev(file, start + 1)], ctx, args, depth)));
  }
  return out;
}
