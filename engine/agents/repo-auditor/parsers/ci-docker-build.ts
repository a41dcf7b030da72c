/**
 * Image builds a repository's CI runs: `docker build` / `docker buildx build` / `podman build`
 * commands in GitHub Actions `run:` steps and GitLab CI `script:` lines, and
 * `docker/build-push-action` steps (`context:`, `file:`, `target:`, `build-args:`). Each says how
 * the repository itself builds an image: its context, Dockerfile, target and build args.
 * Paths are read relative to the repository root (GitHub's workspace, GitLab's project dir) or
 * the step's `working-directory`; a script that changes directory first, or a path that uses
 * a variable other than the workspace's, is not guessed at.
 * https://docs.docker.com/reference/cli/docker/buildx/build/
 * https://github.com/docker/build-push-action#inputs
 */
import { ev, joinPath } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import { isRecord } from './compose.ts';
import { parseYaml } from './yaml-safe.ts';

export interface CiBuild {
  context: string;
  dockerfile: string;
  target: string | null;
  args: Record<string, string>;
  evidence: Evidence;
}

const BUILD_COMMAND = /^(?:sudo\s+)?(?:docker|podman)\s+(?:(?:buildx|image)\s+)?build\s/;

/** Options of `docker build` that take a value (as `--opt value` or `--opt=value`). */
const VALUE_OPTIONS = new Set([
  '-f',
  '--file',
  '-t',
  '--tag',
  '--target',
  '--build-arg',
  '--platform',
  '--label',
  '--cache-from',
  '--cache-to',
  '--secret',
  '--ssh',
  '--network',
  '--progress',
  '-o',
  '--output',
  '--iidfile',
  '--add-host',
  '--shm-size',
  '--ulimit',
  '-m',
  '--memory',
  '--memory-swap',
  '--cpu-shares',
  '--cpuset-cpus',
  '--build-context',
  '--metadata-file',
  '--attest',
  '--provenance',
  '--sbom',
  '--builder',
  '--allow',
  '--annotation',
  '--call',
  '--cgroup-parent',
  '--isolation',
]);

/** Workspace variables that name the repository root. */
const WORKSPACE =
  /^(?:\$\{\{\s*github\.workspace\s*\}\}|\$\{?CI_PROJECT_DIR\}?|\$\{?GITHUB_WORKSPACE\}?)(?:\/|$)/;

/** Builds found in a CI file; unparsable YAML gives none (the CI collector reports it). */
export function parseCiBuilds(path: string, text: string): CiBuild[] {
  const parsed = parseYaml(text);
  if (!parsed.ok) return [];
  const out: CiBuild[] = [];
  const lineOf = (needle: string, from: number) => {
    const lines = text.split('\n');
    for (let index = Math.max(0, from - 1); index < lines.length; index += 1)
      if ((lines[index] ?? '').includes(needle)) return index + 1;
    return from;
  };
  for (const doc of parsed.docs) {
    const root = doc.value;
    if (!isRecord(root)) continue;
    if (isRecord(root.jobs)) {
      for (const [job, spec] of Object.entries(root.jobs)) {
        if (!isRecord(spec) || !Array.isArray(spec.steps)) continue;
        const jobDir = workingDirectory(spec.defaults) ?? workingDirectory(root.defaults) ?? '.';
        spec.steps.forEach((step: unknown, index) => {
          if (!isRecord(step)) return;
          const at = doc.keyLine(['jobs', job, 'steps', index]);
          if (typeof step.uses === 'string' && step.uses.startsWith('docker/build-push-action')) {
            const build = buildPushAction(step.with, ev(path, at));
            if (build) out.push(build);
          }
          if (typeof step.run === 'string') {
            const dir =
              typeof step['working-directory'] === 'string' ? step['working-directory'] : jobDir;
            for (const found of scriptBuilds(step.run, dir))
              out.push(toBuild(found, ev(path, lineOf(found.first, at))));
          }
        });
      }
    } else {
      for (const [job, spec] of Object.entries(root)) {
        if (!isRecord(spec) || spec.script === undefined) continue;
        const script = Array.isArray(spec.script)
          ? spec.script.map(String).join('\n')
          : String(spec.script);
        const at = doc.keyLine([job, 'script']);
        for (const found of scriptBuilds(script, '.'))
          out.push(toBuild(found, ev(path, lineOf(found.first, at))));
      }
    }
  }
  return out;
}

function workingDirectory(defaults: unknown): string | undefined {
  const run = isRecord(defaults) ? defaults.run : undefined;
  const dir = isRecord(run) ? run['working-directory'] : undefined;
  return typeof dir === 'string' ? dir : undefined;
}

interface ScriptBuild extends Omit<CiBuild, 'evidence'> {
  /** The command's first line, to find its line in the file. */
  first: string;
}

function toBuild(found: ScriptBuild, evidence: Evidence): CiBuild {
  const { context, dockerfile, target, args } = found;
  return { context, dockerfile, target, args, evidence };
}

/** `docker build` commands of a shell script run in `dir` (repository-relative). */
export function scriptBuilds(script: string, dir: string): ScriptBuild[] {
  const base = repoPath('.', dir);
  if (base === undefined) return [];
  const out: ScriptBuild[] = [];
  let movedAway = false;
  for (const logical of script.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    for (const part of logical.split(/&&|\|\||;|\|/)) {
      const command = part.trim();
      if (/^(?:cd|pushd)\s/.test(command)) movedAway = true;
      if (movedAway || !BUILD_COMMAND.test(`${command} `)) continue;
      const all = words(command);
      const build = buildOfWords(all.slice(all.indexOf('build') + 1), base);
      if (build) out.push({ ...build, first: command.slice(0, 40) });
    }
  }
  return out;
}

/** Splits a command line into words, honouring single and double quotes. */
function words(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started || current) out.push(current);
      current = '';
      started = false;
    } else current += char;
  }
  if (started || current) out.push(current);
  return out;
}

function buildOfWords(argv: string[], base: string): Omit<ScriptBuild, 'first'> | undefined {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? '';
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (!VALUE_OPTIONS.has(name)) continue;
    const value = eq < 0 ? argv[(index += 1)] : word.slice(eq + 1);
    if (value !== undefined) options.set(name, [...(options.get(name) ?? []), value]);
  }
  if (positional.length !== 1) return undefined;
  const context = repoPath(base, positional[0] ?? '');
  const file = options.get('-f') ?? options.get('--file');
  const dockerfile = file
    ? repoPath(base, file.at(-1) ?? '')
    : joinPath(context ?? '.', 'Dockerfile');
  const target = (options.get('--target') ?? []).at(-1) ?? null;
  if (
    context === undefined ||
    dockerfile === undefined ||
    (target !== null && target.includes('$'))
  )
    return undefined;
  const args: Record<string, string> = {};
  for (const pair of options.get('--build-arg') ?? []) {
    const eq = pair.indexOf('=');
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (eq > 0 && !value.includes('$')) args[pair.slice(0, eq)] = value;
  }
  return { context, dockerfile, target, args: sorted(args) };
}

/** A repository-relative path from one a CI step names; undefined for variables, URLs, stdin. */
function repoPath(base: string, path: string): string | undefined {
  const local = path.replace(WORKSPACE, './');
  if (
    local === '' ||
    local === '-' ||
    local.includes('$') ||
    /^[a-z][\w+.-]*:\/\/|^git@/i.test(local)
  )
    return undefined;
  if (local.startsWith('/') || local.startsWith('../') || local === '..') return undefined;
  return joinPath(base, local);
}

function buildPushAction(inputs: unknown, evidence: Evidence): CiBuild | undefined {
  const withs = isRecord(inputs) ? inputs : {};
  const context = typeof withs.context === 'string' ? repoPath('.', withs.context) : '.';
  const file =
    typeof withs.file === 'string'
      ? repoPath('.', withs.file)
      : context === undefined
        ? undefined
        : joinPath(context, 'Dockerfile');
  const target = typeof withs.target === 'string' ? withs.target : null;
  if (context === undefined || file === undefined || (target !== null && target.includes('$')))
    return undefined;
  const args: Record<string, string> = {};
  const raw = withs['build-args'];
  for (const line of typeof raw === 'string' ? raw.split(/\r?\n|,/) : []) {
    const eq = line.indexOf('=');
    const value = line.slice(eq + 1).trim();
    if (eq > 0 && !value.includes('$')) args[line.slice(0, eq).trim()] = value;
  }
  return { context, dockerfile: file, target, args: sorted(args), evidence };
}

function sorted(args: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).sort(([a], [b]) => (a < b ? -1 : 1)));
}
