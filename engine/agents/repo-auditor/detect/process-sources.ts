/**
 * Process descriptions from compose files, Procfiles and the services themselves: each compose
 * service (its role from compose-roles.ts, linked to the service whose build it is), each
 * Procfile process type (`web` gets HTTP, `release` runs once per deploy, `worker`/`clock` are
 * background processes), what a service's image runs by default, package.json scripts that
 * start workers or schedulers, and a worker a queue library implies when nothing runs one.
 * https://devcenter.heroku.com/articles/procfile
 */
import { ev, joinPath, relativeTo } from '../evidence.ts';
import type { Evidence } from '../fingerprint.ts';
import { parseProcfile } from '../parsers/procfile.ts';
import type { RepoView } from '../repo-view.ts';
import { resolveSteps } from './command-resolve.ts';
import type { ComposeEntry, ComposeRoles } from './compose-roles.ts';
import { clip } from './compose-roles.ts';
import type { Candidate } from './process-candidate.ts';
import { CONFIDENCE_RANK, defaultRun, serviceOfImage } from './process-candidate.ts';
import { classifyCommand, classifyName, classifySteps } from './process-commands.ts';
import type { BuiltService } from './services.ts';
import { isMachineMadePath } from './source-scan.ts';

const TEST_DATA_DIR = /(?:^|\/)(?:fixtures|__fixtures__|testdata|test-data)\//;

export async function composeCandidates(
  entries: readonly ComposeEntry[],
  roles: ComposeRoles,
  services: readonly BuiltService[],
  view: RepoView,
  budget: { reads: number },
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const entry of entries) {
    const role = roles.get(entry);
    if (!role || isMachineMadePath(entry.file) || TEST_DATA_DIR.test(entry.file)) continue;
    const owner =
      services.find((built) => built.compose.includes(role.base)) ??
      (role.vendor ? undefined : serviceOfImage(role.base.image, services));
    let { command } = role;
    let decided: Pick<Candidate, 'role' | 'confidence' | 'reason' | 'evidence' | 'devServer'> =
      role;
    if (owner && (command === null || role.basis === 'name' || role.basis === 'fallback')) {
      // Compose sets no command: it runs the service's image, which says more than a name does.
      const run = await defaultRun(owner, view, budget);
      command ??= run.command;
      const better = CONFIDENCE_RANK[run.confidence] < CONFIDENCE_RANK[role.confidence];
      if (
        (role.basis === 'fallback' && better) ||
        (role.basis === 'name' && better && run.role === role.role)
      )
        decided = run;
    }
    const evidence: Evidence[] = [
      ...entry.evidence,
      ...(entry.command ? [entry.command.evidence] : []),
      ...decided.evidence,
    ];
    out.push({
      name: entry.name,
      service: owner ?? null,
      role: decided.role,
      confidence: decided.confidence,
      reason: decided.reason,
      command,
      image: role.base.build === null ? role.base.image : null,
      port:
        role.port ?? (decided.role === 'web' && owner ? (owner.service.port?.value ?? null) : null),
      evidence,
      origin: 'compose',
      usage: role.usage,
      usageWhy: role.usageWhy,
      variant: role.variant,
      devServer: decided.devServer,
    });
  }
  return out;
}

const PROCFILE_TYPES: ReadonlyArray<readonly [RegExp, Candidate['role'], string]> = [
  [/^web$/, 'web', 'the Procfile `web` process (the one that receives HTTP traffic)'],
  [/^release$/, 'job', 'the Procfile `release` process (runs once before each release starts)'],
  [/worker|consumer|queue|jobs/, 'worker', 'a Procfile background process'],
  [/clock|scheduler|cron|beat/, 'scheduler', 'a Procfile scheduler process'],
];

/** Every process type of the service's Procfile. */
export async function procfileCandidates(
  built: BuiltService,
  view: RepoView,
  budget: { reads: number },
): Promise<Candidate[]> {
  const path = joinPath(built.service.path, 'Procfile');
  const text = view.has(path) ? await view.text(path) : undefined;
  if (!text) return [];
  const out: Candidate[] = [];
  for (const entry of parseProcfile(text)) {
    const steps = await resolveSteps(entry.command, procfileContext(built, view, budget));
    const guess = classifySteps(steps);
    const typed = PROCFILE_TYPES.find(([pattern]) => pattern.test(entry.type));
    const explicit = typed && (typed[1] === 'web' || typed[1] === 'job');
    const role = explicit || !guess ? (typed?.[1] ?? 'worker') : guess.role;
    const what = guess ? `; it runs ${guess.what}` : '';
    const reason = typed
      ? `${typed[2]}${what}`
      : guess
        ? `a Procfile process that runs ${guess.what}`
        : 'a Procfile process other than `web` receives no HTTP traffic; what it runs is not clear';
    out.push({
      name: entry.type,
      service: built,
      role,
      confidence: typed || guess?.confidence === 'high' ? 'high' : 'medium',
      reason,
      command: entry.command,
      image: null,
      port: role === 'web' ? (built.service.port?.value ?? null) : null,
      evidence: [ev(path, entry.line), ...(guess?.step.evidence ?? [])],
      origin: 'procfile',
      usage: 'prod',
      variant: null,
      devServer: guess?.devServer === true && role === 'web',
    });
  }
  return out;
}

function procfileContext(built: BuiltService, view: RepoView, budget: { reads: number }) {
  const scripts = built.manifest?.ecosystem === 'node' ? built.manifest.scripts : null;
  return { view, scripts, image: null, dir: built.service.path, budget };
}

/** What the service's image runs when no compose file, Procfile or manifest says otherwise. */
export async function imageCandidate(
  built: BuiltService,
  view: RepoView,
  budget: { reads: number },
): Promise<Candidate> {
  const run = await defaultRun(built, view, budget);
  const { service } = built;
  return {
    name: service.name.split('/').at(-1) || service.name,
    service: built,
    role: run.role,
    confidence: run.confidence,
    reason: run.reason,
    command: run.command,
    image: null,
    port: run.role === 'web' ? (service.port?.value ?? null) : null,
    evidence: run.evidence,
    origin: 'image',
    usage: 'prod',
    variant: null,
    devServer: run.devServer,
  };
}

const WORKER_SCRIPT =
  /^(?:start[:-])?(?:worker|workers|queue|queues|consumer|consumers|jobs|scheduler|cron|clock)(?:[:-][\w-]+)?$/;

/** package.json scripts that start a worker or a scheduler (`"worker": "node dist/worker.js"`). */
export function packageCandidates(built: BuiltService): Candidate[] {
  const manifest = built.manifest;
  if (manifest?.ecosystem !== 'node') return [];
  const out: Candidate[] = [];
  for (const [name, script] of manifest.scripts) {
    if (/^(?:start|dev|test|build|lint)(?:[:-]|$)/.test(name) && !WORKER_SCRIPT.test(name))
      continue;
    const guess = classifyCommand(script.command);
    const named = WORKER_SCRIPT.test(name)
      ? classifyName(name.replace(/^start[:-]/, ''))
      : undefined;
    const role = guess?.role === 'worker' || guess?.role === 'scheduler' ? guess.role : named?.role;
    if (role !== 'worker' && role !== 'scheduler') continue;
    out.push({
      name,
      service: built,
      role,
      confidence: 'medium',
      reason: `the package.json script \`${name}\` starts ${guess?.what ?? named?.what ?? 'it'} (\`${clip(script.command)}\`); no compose file, Procfile or manifest runs it`,
      command: `${manifest.declaredPackageManager?.value ?? 'npm'} run ${name}`,
      image: null,
      port: null,
      evidence: [script.evidence],
      origin: 'package',
      usage: 'prod',
      variant: null,
      devServer: false,
    });
  }
  return out;
}

/**
 * A worker the code implies but nothing runs: a Celery app object, or RQ/Dramatiq as a
 * dependency, with no worker process for the service. Low confidence: it becomes a question.
 */
export function inferredWorker(built: BuiltService, hasWorker: boolean): Candidate | undefined {
  if (hasWorker) return undefined;
  const { service, manifest } = built;
  const celery = built.entries.find((entry) => entry.kind === 'celery-app');
  const module = celery
    ? relativeTo(service.path, celery.file).replace(/\.py$/, '').replace(/\//g, '.')
    : undefined;
  const queue = service.queues.find((item) => ['rq', 'dramatiq'].includes(item.value));
  if (!celery && !queue) return undefined;
  const command = celery
    ? `celery -A ${module} worker`
    : queue?.value === 'rq'
      ? 'rq worker'
      : null;
  const evidence = celery
    ? [celery.evidence]
    : (queue?.evidence ?? [ev(manifest?.files[0] ?? service.path)]);
  return {
    name: `${service.name.split('/').at(-1) || service.name}-worker`,
    service: built,
    role: 'worker',
    confidence: 'low',
    reason: celery
      ? 'a Celery app is defined but no compose file, Procfile or manifest starts its worker'
      : `${queue?.value ?? 'a queue library'} is a dependency but nothing in the repository runs its worker`,
    command,
    image: null,
    port: null,
    evidence,
    origin: 'inferred',
    usage: 'prod',
    variant: null,
    devServer: false,
  };
}
