/**
 * The command rules of process-commands.ts, first match wins: test runners, then the queue
 * tools whose subcommand decides (Celery beat, worker, Flower), schedulers, development tools,
 * queue workers, one-shot jobs (migrations, seeds, data loads), hot-reload development servers,
 * production HTTP servers, and last a worker or scheduler named by its program or script
 * (`node dist/worker.js`, `Acme.Worker.dll`), which is only `medium`. Each rule tests the whole
 * words of one step (`has`) or the word after a program (`after`); word lists are written as
 * space-separated strings. Sources: each tool's documented CLI.
 */
import type { Confidence, ProcessRole } from '../fingerprint.ts';

export type Test = (words: readonly string[], has: (word: string) => boolean) => boolean;

export interface Rule {
  role: ProcessRole;
  /** What it is, in a few words ("a Celery worker"). */
  what: string;
  test: Test;
  confidence: Confidence;
  /** A development server that reloads on change. */
  devServer: boolean;
  /** A vendor program (a mail catcher), not the repository's own code. */
  vendor: boolean;
}

/** The first word after `program` that is not a flag (`npm run x` skips `run`). */
export function subcommand(w: readonly string[], program: string): string | undefined {
  const at = w.indexOf(program);
  if (at < 0) return undefined;
  for (let index = at + 1; index < w.length; index += 1) {
    const word = w[index] ?? '';
    if (!word.startsWith('-') && word !== 'run' && word !== 'run-script') return word;
  }
  return undefined;
}

const any =
  (list: string): Test =>
  (_w, has) =>
    list.split(' ').some(has);
const all =
  (...tests: Test[]): Test =>
  (w, has) =>
    tests.every((test) => test(w, has));
const or =
  (...tests: Test[]): Test =>
  (w, has) =>
    tests.some((test) => test(w, has));
const not =
  (test: Test): Test =>
  (w, has) =>
    !test(w, has);
/** One of `programs` followed (flags and `run` skipped) by a word matching `pattern`. */
const after =
  (programs: string, pattern: RegExp): Test =>
  (w) =>
    programs.split(' ').some((program) => pattern.test(subcommand(w, program) ?? ''));
/** Some word (not a flag) matches `pattern`, its extension dropped when `stem` is set. */
const word =
  (pattern: RegExp, stem = false): Test =>
  (w) =>
    w.some((item) => !item.startsWith('-') && pattern.test(stem ? stemOf(item) : item));

const stemOf = (item: string) => item.replace(/\.(?:[cm]?[jt]s|py|rb|go|dll|exe|sh|php)$/, '');
const PACKAGE_RUNNERS = 'npm yarn pnpm bun npx deno';
/** `vite`, `vite dev`, `vite serve` (and `vite 3000`) start Vite's dev server. */
const viteDev: Test = (w, has) =>
  has('vite') && /^(?:dev|serve|\d+)?$/.test(subcommand(w, 'vite') ?? '');

type Row = [role: ProcessRole, what: string, test: Test, options?: Partial<Rule>];

const ROWS: Row[] = [
  [
    'test-runner',
    'tests',
    any(
      'pytest py.test tox nox jest vitest mocha ava jasmine karma rspec phpunit behave robot codeceptjs wdio testcafe cucumber-js',
    ),
  ],
  ['test-runner', 'API tests (newman)', any('newman')],
  ['test-runner', 'a load generator (locust)', any('locust')],
  ['test-runner', 'a load test', after('k6 artillery', /^run$/)],
  [
    'test-runner',
    'browser tests',
    or(all(any('playwright'), any('test')), all(any('cypress'), any('run'))),
  ],
  [
    'test-runner',
    'tests',
    after(
      `${PACKAGE_RUNNERS} go dotnet cargo manage.py make rake mix`,
      /^(?:test|tests|e2e|spec|specs|integration)(?:[:_-][\w:-]*)?$/,
    ),
  ],
  [
    'test-runner',
    'tests',
    all(any('mvn mvnw gradle gradlew'), any('test verify check integrationtest')),
  ],
  ['scheduler', 'Celery beat (a scheduler)', all(any('celery'), any('beat'), not(any('worker')))],
  [
    'worker',
    'a Celery worker with an embedded beat scheduler',
    all(any('celery'), any('worker'), any('-b --beat')),
  ],
  ['dev-tool', 'Flower (a Celery dashboard)', any('flower')],
  ['worker', 'a Celery worker', all(any('celery'), any('worker multi'))],
  [
    'scheduler',
    'a scheduler',
    any('rqscheduler rq-scheduler supercronic crond cron schedule:work schedule:run clockwork'),
  ],
  ['scheduler', 'a cron scheduler', all(any('manage.py'), any('crontab'))],
  ['dev-tool', 'Storybook', any('storybook start-storybook build-storybook')],
  ['dev-tool', 'a database studio', all(any('prisma drizzle-kit'), any('studio'))],
  [
    'dev-tool',
    'a mail catcher',
    any('mailhog maildev mailpit mailcatcher smtp4dev'),
    { vendor: true },
  ],
  ['dev-tool', 'a database console', any('adminer pgweb'), { vendor: true }],
  ['dev-tool', 'a notebook server', any('jupyter jupyter-lab')],
  ['worker', 'an RQ worker', or(all(any('rq'), any('worker')), any('rqworker'))],
  [
    'worker',
    'a queue worker',
    any(
      'dramatiq huey_consumer huey_consumer.py arq sidekiq qcluster process_tasks queue:work queue:listen horizon jobs:work good_job shoryuken resque:work messenger:consume',
    ),
  ],
  ['worker', 'a queue worker', all(any('faust taskiq'), any('worker'))],
  [
    'job',
    'database migrations',
    (w) =>
      w.some((x) => !x.startsWith('-') && x.includes('migrat') && !x.includes('makemigrations')),
  ],
  [
    'job',
    'database migrations',
    or(
      all(any('alembic'), any('upgrade')),
      all(any('flask'), any('db'), any('upgrade')),
      all(any('prisma'), any('db'), any('push')),
      all(any('goose dbmate'), any('up')),
      all(any('liquibase'), any('update')),
      any('db:setup db:prepare'),
    ),
  ],
  ['job', 'a data seed', word(/(?:^|[:_.-])seed(?:s|er|ers|ing)?(?:[:_.-]|$)/)],
  ['job', 'a data load', any('loaddata load_initial_data createsuperuser')],
  ['job', 'static files collection', any('collectstatic')],
  [
    'web',
    'a development server that reloads on change',
    any(
      'nodemon ts-node-dev tsnd webpack-dev-server air reflex compiledaemon watchexec watchmedo --reload --watch --hot',
    ),
    { devServer: true },
  ],
  [
    'web',
    'a development server',
    all(any('next nuxt nuxi remix astro svelte-kit vite fastapi'), any('dev')),
    { devServer: true },
  ],
  [
    'web',
    'a development server',
    or(
      viteDev,
      all(any('gatsby'), any('develop')),
      all(any('expo'), any('start')),
      all(any('tsx dotnet'), any('watch')),
    ),
    { devServer: true },
  ],
  [
    'web',
    'a development server',
    or(
      all(any('ng'), any('serve')),
      all(any('react-scripts'), any('start')),
      all(any('vue-cli-service webpack'), any('serve')),
    ),
    { devServer: true },
  ],
  [
    'web',
    "Django's development server",
    all(any('manage.py'), any('runserver')),
    { devServer: true },
  ],
  [
    'web',
    "Flask's development server",
    all(any('flask'), any('run'), any('--debug --reload')),
    { devServer: true },
  ],
  [
    'web',
    'a development script',
    after(
      PACKAGE_RUNNERS,
      /^(?:dev|develop|watch|serve|start[:-]dev|start[:-]watch|dev[:-][\w-]+)$/,
    ),
    { devServer: true, confidence: 'medium' },
  ],
  [
    'web',
    'an HTTP server',
    any(
      'gunicorn uvicorn hypercorn daphne uwsgi waitress-serve granian puma unicorn rackup php-fpm apache2-foreground httpd-foreground catalina.sh streamlit remix-serve http-server nginx',
    ),
  ],
  [
    'web',
    'an HTTP server',
    or(
      all(any('flask'), any('run')),
      all(any('next nuxt'), any('start')),
      all(any('vite astro'), any('preview')),
      all(any('rails'), any('server s')),
      all(any('fastapi'), any('run')),
      (w) => w[0] === 'serve' || subcommand(w, 'npx') === 'serve',
    ),
  ],
  [
    'worker',
    'a worker (by its name)',
    word(
      /(?:^|[-_.])(?:worker|workers|consumer|consumers|processor|queue|queues)(?:[-_.]|$)/,
      true,
    ),
    { confidence: 'medium' },
  ],
  [
    'scheduler',
    'a scheduler (by its name)',
    word(/^(?:clock|scheduler|cron|crontab|beat)$/, true),
    { confidence: 'medium' },
  ],
];

export const RULES: readonly Rule[] = ROWS.map(([role, what, test, options]) => ({
  role,
  what,
  test,
  confidence: 'high',
  devServer: false,
  vendor: false,
  ...options,
}));
