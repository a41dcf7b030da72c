/**
 * Issue 10 bench: how long `prodsprint sprint` takes from a repository to staging, to the first
 * canary step in prod, and to 100% in prod, for each example, on the local Docker target with
 * real components (Docker Engine, Trivy, autocannon or k6, HAProxy, Prometheus on 127.0.0.1).
 * Each run gets a fresh data dir and a fresh repository; images the Docker Engine already has
 * (the runtime bases, built from host files) are reused, as on a user's second day. Printed
 * against the seed SLO (staging <= 20 min, prod canary start <= 30 min) as a ratio.
 * Prints one line per run, then as its last line one JSON object of the figures.
 *
 *   npm run bench -- sprint [--examples orders-api,inventory-api] [--runs 1] [--window 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SprintSummary } from '../../cli/sprint-summary.ts';
import { exampleRepo } from '../../test/fixtures/example-repo.ts';
import { stopEnvironments } from '../../test/fixtures/stop-environments.ts';

const SLO_STAGING_SECONDS = 20 * 60;
const SLO_CANARY_START_SECONDS = 30 * 60;

const { values } = parseArgs({
  options: {
    examples: { type: 'string', default: 'orders-api,inventory-api' },
    runs: { type: 'string', default: '1' },
    window: { type: 'string', default: '5' },
  },
});
const examples = values.examples.split(',').filter(Boolean);
const runs = Number(values.runs);

interface RunFigures {
  example: string;
  run: number;
  outcome: string;
  wallSeconds: number;
  timeToStagingSeconds: number | null;
  timeToCanaryStartSeconds: number | null;
  timeToProdSeconds: number | null;
}

/** One sprint through the CLI, as a user runs it; the summary comes from its --json output. */
async function sprintOnce(example: string, run: number): Promise<RunFigures> {
  const work = mkdtempSync(join(tmpdir(), `prodsprint-bench-sprint-${example}-`));
  try {
    const repo = exampleRepo(join('examples', example), join(work, example));
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          'bin/prodsprint.mjs',
          'sprint',
          repo,
          '--yes-i-approve',
          '--osv',
          'examples/osv',
          '--window',
          values.window,
          '--json',
          '--data-dir',
          join(work, 'data'),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(stdout) as SprintSummary;
    return {
      example,
      run,
      outcome: summary.outcome,
      wallSeconds: round(wallSeconds),
      timeToStagingSeconds: summary.timeToStagingSeconds,
      timeToCanaryStartSeconds: summary.timeToCanaryStartSeconds,
      timeToProdSeconds: summary.timeToProdSeconds,
    };
  } finally {
    await stopEnvironments(join(work, 'data'));
    rmSync(work, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const headroom = (slo: number, measured: number | null) =>
  measured === null ? 'n/a' : `${Math.round(slo / measured)}x under`;

const results: RunFigures[] = [];
for (const example of examples) {
  for (let run = 1; run <= runs; run++) {
    const figures = await sprintOnce(example, run);
    results.push(figures);
    console.log(
      `${example} run ${run}: ${figures.outcome}; staging ${figures.timeToStagingSeconds ?? 'n/a'} s ` +
        `(SLO 20 min: ${headroom(SLO_STAGING_SECONDS, figures.timeToStagingSeconds)}), ` +
        `canary start ${figures.timeToCanaryStartSeconds ?? 'n/a'} s ` +
        `(SLO 30 min: ${headroom(SLO_CANARY_START_SECONDS, figures.timeToCanaryStartSeconds)}), ` +
        `prod 100% ${figures.timeToProdSeconds ?? 'n/a'} s, wall ${figures.wallSeconds} s`,
    );
  }
}
console.log(
  JSON.stringify({
    bench: 'sprint',
    sloStagingSeconds: SLO_STAGING_SECONDS,
    sloCanaryStartSeconds: SLO_CANARY_START_SECONDS,
    canaryWindowSeconds: Number(values.window),
    runs: results,
  }),
);
