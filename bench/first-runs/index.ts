/**
 * Issue 14 bench: how far a first `prodsprint sprint` gets on the repositories users bring, with
 * no edit to them. Each repository gets a fresh data dir (a new user's first run) and the same
 * offline inputs: the mirrors given here, set with `prodsprint config set` before the sprint.
 * Prints one line per repository — staging and prod reached, or the stage that stopped it and
 * its remedy, and the time to staging — then the table's totals, and as its last line one JSON
 * object of the figures.
 *
 *   npm run bench -- first-runs <repo-dir>... [--mirror npm=http://127.0.0.1:4873]...
 *                   [--registry-mirror http://127.0.0.1:15000] [--osv examples/osv] [--window 5]
 *
 * Mirrors must be on the loopback interface: a bench sends no traffic anywhere else (the sprint's
 * builds reach them only through ProdSprint's relay). Environments a sprint leaves running are
 * stopped before the next repository.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SprintSummary } from '../../cli/sprint-summary.ts';
import { stopEnvironments } from '../../test/fixtures/stop-environments.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mirror: { type: 'string', multiple: true, default: [] },
    'registry-mirror': { type: 'string' },
    osv: { type: 'string', default: 'examples/osv' },
    window: { type: 'string', default: '5' },
    'perf-seconds': { type: 'string', default: '3' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npm run bench -- first-runs <repo-dir>... [--mirror npm=URL]...');
  process.exit(2);
}

const settings: Array<[string, string]> = [];
for (const entry of values.mirror) {
  const [ecosystem, url] = [
    entry.slice(0, entry.indexOf('=')),
    entry.slice(entry.indexOf('=') + 1),
  ];
  settings.push([`mirrors.${ecosystem}`, loopbackUrl(url, `--mirror ${entry}`)]);
}
if (values['registry-mirror'])
  settings.push(['registry.mirror', loopbackUrl(values['registry-mirror'], '--registry-mirror')]);

function loopbackUrl(url: string, flag: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    console.error(`first-runs: ${flag}: not a URL`);
    process.exit(2);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    console.error(`first-runs: ${flag}: a bench only talks to loopback mirrors (got ${host})`);
    process.exit(2);
  }
  return url;
}

interface RepoFigures {
  repo: string;
  outcome: string;
  reachedStaging: boolean;
  promoted: boolean;
  stoppedAt: string | null;
  reason: string | null;
  remedy: string | null;
  timeToStagingSeconds: number | null;
  timeToProdSeconds: number | null;
  wallSeconds: number;
  warnings: number;
}

function cli(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/prodsprint.mjs', ...args, '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

async function firstRun(repo: string): Promise<RepoFigures> {
  const work = mkdtempSync(join(tmpdir(), 'prodsprint-bench-first-run-'));
  const dataDir = join(work, 'data');
  const started = performance.now();
  try {
    await cli(dataDir, ['init', '--json']);
    for (const [key, url] of settings) await cli(dataDir, ['config', 'set', key, url, '--json']);
    const run = await cli(dataDir, [
      'sprint',
      repo,
      '--yes-i-approve',
      '--osv',
      values.osv,
      '--window',
      values.window,
      '--perf-seconds',
      values['perf-seconds'],
      '--json',
    ]);
    const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
    const parsed = JSON.parse(run.stdout || '{}') as Partial<SprintSummary> & {
      title?: string;
      detail?: string;
      remedy?: string;
    };
    if (!parsed.outcome) {
      // The sprint stopped before apply: the Problem document says why.
      return {
        repo: basename(repo),
        outcome: 'stopped',
        reachedStaging: false,
        promoted: false,
        stoppedAt: 'plan',
        reason: parsed.detail ?? parsed.title ?? `exit ${run.code}`,
        remedy: parsed.remedy ?? null,
        timeToStagingSeconds: null,
        timeToProdSeconds: null,
        wallSeconds,
        warnings: 0,
      };
    }
    return {
      repo: basename(repo),
      outcome: parsed.outcome,
      reachedStaging: parsed.timeToStagingSeconds !== null,
      promoted: parsed.outcome === 'promoted',
      stoppedAt: parsed.blockedAt?.stage ?? null,
      reason: parsed.blockedAt?.reason ?? null,
      remedy: parsed.blockedAt?.remedy ?? null,
      timeToStagingSeconds: parsed.timeToStagingSeconds ?? null,
      timeToProdSeconds: parsed.timeToProdSeconds ?? null,
      wallSeconds,
      warnings: parsed.warnings?.length ?? 0,
    };
  } finally {
    await stopEnvironments(dataDir);
    rmSync(work, { recursive: true, force: true });
  }
}

const short = (text: string | null, max = 160) =>
  text && text.length > max ? `${text.slice(0, max - 1)}…` : (text ?? '');

const results: RepoFigures[] = [];
for (const repo of positionals.map((p) => resolve(p))) {
  const figures = await firstRun(repo);
  results.push(figures);
  const where = figures.promoted
    ? `promoted (staging ${figures.timeToStagingSeconds} s, prod ${figures.timeToProdSeconds} s)`
    : figures.reachedStaging
      ? `reached staging in ${figures.timeToStagingSeconds} s; stopped at ${figures.stoppedAt}: ${short(figures.reason)}`
      : `stopped at ${figures.stoppedAt}: ${short(figures.reason)}`;
  console.log(`${figures.repo}: ${where}`);
  if (!figures.promoted && figures.remedy) console.log(`  remedy: ${short(figures.remedy, 240)}`);
  if (figures.warnings) console.log(`  ${figures.warnings} warning(s)`);
}
const reachedStaging = results.filter((r) => r.reachedStaging).length;
const promoted = results.filter((r) => r.promoted).length;
const blockedWithRemedy = results.filter((r) => !r.reachedStaging && r.remedy).length;
console.log(
  `${results.length} repositories: ${reachedStaging} reached staging, ${promoted} promoted, ` +
    `${blockedWithRemedy} stopped before staging with a remedy, ` +
    `${results.length - reachedStaging - blockedWithRemedy} stopped without one`,
);
console.log(
  JSON.stringify({
    bench: 'first-runs',
    repos: results.length,
    reachedStaging,
    promoted,
    blockedWithRemedy,
    results,
  }),
);
