/**
 * What a command does, from the programs and subcommands it names: a Celery/RQ/Dramatiq/Sidekiq
 * worker, Celery beat or cron (scheduler), migrations and seeds (one-shot jobs), test runners,
 * development tools (Flower, Storybook, mail catchers), hot-reload development servers and
 * production HTTP servers. A command is split into steps (`&&`, `||`, `;`, lines of a script);
 * the last step that keeps running decides (`migrate && gunicorn` is a web server that migrates
 * first), else the last one-shot step. Words are compared whole, paths by their last segment,
 * so the matching is linear in the command's length; the rules are command-rules.ts. Names of compose services, workloads and
 * Procfile types say less than commands: they give a `medium` guess at best (`sut` excepted).
 * See ../HEURISTICS.md, "Processes".
 */
import type { Confidence, Evidence, ProcessRole } from '../fingerprint.ts';
import { RULES } from './command-rules.ts';

export interface RoleGuess {
  role: ProcessRole;
  confidence: Confidence;
  /** What it is, in a few words ("a Celery worker"). */
  what: string;
  /** A development server that reloads on change (nodemon, `--reload`, `next dev`). */
  devServer: boolean;
  /** A one-shot step before the step that decided (`migrate` in `migrate && gunicorn`). */
  before?: string;
  /** A vendor program (a mail catcher, a database console), not the repository's own code. */
  vendor?: boolean;
}

const LONG_RUNNING = new Set<ProcessRole>([
  'web',
  'worker',
  'scheduler',
  'dev-tool',
  'proxy',
  'backing-store',
]);

/** Lower-cased words of one step; paths become their last segment (`/venv/bin/celery` → `celery`). */
export function commandWords(step: string): string[] {
  const out: string[] = [];
  for (const raw of step.split(/\s+/)) {
    const word = raw
      .replace(/^["'(]+/, '')
      .replace(/["');]+$/, '')
      .toLowerCase();
    if (word === '') continue;
    out.push(
      word.startsWith('-') || !word.includes('/') ? word : word.slice(word.lastIndexOf('/') + 1),
    );
  }
  return out;
}

/** Shell words that start a step which runs nothing of interest (`echo "worker ready"`). */
const SHELL_NOISE = new Set(
  (
    'echo printf >&2 1>&2 set export local sleep until while for if then else elif fi do done ' +
    'case esac return exit trap wait cd mkdir chmod chown rm cp mv ln test [ [[ true false ' +
    'source . shift read unset declare readonly { } function'
  ).split(' '),
);

function classifyStep(step: string): RoleGuess | undefined {
  const w = commandWords(step);
  const first = w[0];
  if (first === undefined || SHELL_NOISE.has(first) || first.endsWith('()')) return undefined;
  const set = new Set(w);
  const has = (word: string) => set.has(word);
  const rule = RULES.find((item) => item.test(w, has));
  if (!rule) return undefined;
  const { role, what, confidence, devServer, vendor } = rule;
  return { role, what, confidence, devServer, ...(vendor ? { vendor } : {}) };
}

/** A step of a command: a command between `&&`/`;`, or a line of a script it runs. */
export interface Step {
  text: string;
  /** Where the step was read when it is not the command itself (a script line, a package script). */
  evidence: Evidence[];
}

export function splitSteps(command: string): string[] {
  return command
    .split(/&&|\|\||;|\n/)
    .map((step) => step.trim())
    .filter(Boolean);
}

/** The guess of the step that decided, with that step. */
export type StepGuess = RoleGuess & { step: Step };

/** The role a sequence of steps gives its process, or undefined when it is not clear. */
export function classifySteps(steps: readonly Step[]): StepGuess | undefined {
  let decided: StepGuess | undefined;
  let oneShot: StepGuess | undefined;
  let jobs: string[] = [];
  let earlier: string[] = [];
  for (const step of steps) {
    const guess = classifyStep(step.text);
    if (!guess) continue;
    if (LONG_RUNNING.has(guess.role)) {
      decided = { ...guess, step };
      earlier = jobs;
      jobs = [];
    } else {
      oneShot = { ...guess, step };
      if (guess.role === 'job' && !jobs.includes(guess.what)) jobs = [...jobs, guess.what];
    }
  }
  if (!decided) return oneShot;
  return earlier.length > 0 ? { ...decided, before: earlier.join(' and ') } : decided;
}

/** The role a command gives its process, or undefined when it is not clear. */
export function classifyCommand(command: string): StepGuess | undefined {
  return classifySteps(splitSteps(command).map((text) => ({ text, evidence: [] })));
}

const NAME_RULES: ReadonlyArray<readonly [ProcessRole, string, RegExp]> = [
  [
    'test-runner',
    'a test runner',
    /(?:^|[-_])(?:tests?|e2e|specs?|integration|cypress|playwright|k6|locust|load[-_]?tests?|loadgenerator|load[-_]generator|perf)\d*(?:[-_]|$)/,
  ],
  [
    'job',
    'a one-shot job',
    /(?:^|[-_])(?:migrate|migrations?|migrator|seed|seeds|seeder|db[-_]?init|init[-_]?db|setup[-_]?db|fixtures)\d*(?:[-_]|$)/,
  ],
  [
    'scheduler',
    'a scheduler',
    /(?:^|[-_])(?:beat|celerybeat|scheduler|cron|cronjob|clock)\d*(?:[-_]|$)/,
  ],
  [
    'worker',
    'a worker',
    /(?:^|[-_])(?:worker|workers|celeryworker|consumer|consumers|queue|celery|sidekiq|jobs)\d*(?:[-_]|$)/,
  ],
  [
    'dev-tool',
    'a development tool',
    /(?:^|[-_])(?:flower|adminer|pgadmin|phpmyadmin|mailhog|maildev|mailpit|storybook|redis[-_]commander|mongo[-_]express|localstack|swagger[-_]ui)\d*(?:[-_]|$)/,
  ],
  [
    'proxy',
    'a proxy',
    /(?:^|[-_])(?:nginx|proxy|traefik|caddy|haproxy|envoy|lb|loadbalancer)\d*(?:[-_]|$)/,
  ],
  [
    'web',
    'a web server',
    /(?:^|[-_])(?:web|api|app|frontend|backend|server|site|www|http|ui)\d*(?:[-_]|$)/,
  ],
];

/**
 * What a compose service, workload or Procfile type name suggests: `medium` at best, since a
 * name is a convention, not a command. `sut` is the Docker Hub automated-test convention.
 */
export function classifyName(name: string): RoleGuess | undefined {
  const lower = name.toLowerCase();
  if (lower === 'sut')
    return {
      role: 'test-runner',
      confidence: 'high',
      what: 'the system-under-test runner (`sut`)',
      devServer: false,
    };
  for (const [role, what, pattern] of NAME_RULES)
    if (pattern.test(lower)) return { role, confidence: 'medium', what, devServer: false };
  return undefined;
}
