/**
 * Issue 9 bench: how long from a threshold breach (the bad v3 starts receiving canary traffic)
 * to 0% traffic on it, when the breach is seen only through Prometheus (1 s scrape interval)
 * and the rollback goes through HAProxy's runtime API, read back. Real components on 127.0.0.1.
 * Prints one line per run, a summary, then as its last line one JSON object of the figures.
 *
 *   npm run bench -- release [--runs 20] [--canary-percent 1] [--window 5]
 */
import { parseArgs } from 'node:util';
import { evaluateHealth } from '../../engine/targets/health/thresholds.ts';
import { sampleAppVersion } from '../../test/fixtures/sample-app/image.ts';
import { startSteadyClient } from '../../test/release/load.ts';
import { startReleaseStack } from '../../test/release/release-stack.ts';
import type { ReleaseStack } from '../../test/release/release-stack.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'canary-percent': { type: 'string', default: '1' },
    window: { type: 'string', default: '5' },
  },
});
const runs = Number(values.runs);
const canaryPercent = Number(values['canary-percent']);
const windowSeconds = Number(values.window);
const thresholds = { maxErrorRate: 0.05, maxP95Seconds: 0.2, minRequests: 10 };
const pollMs = 250;
const runLimitMs = 60_000;

interface RunResult {
  detectSeconds: number;
  zeroSeconds: number;
  reasons: string[];
}

async function waitForCleanWindow(stack: ReleaseStack): Promise<void> {
  const deadline = Date.now() + (windowSeconds + 15) * 1000;
  while (Date.now() < deadline) {
    const v3 = (await stack.target.health(windowSeconds)).versions.v3;
    if (v3 && v3.requests === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('v3 still shows traffic in the health window; the previous run did not settle');
}

async function oneRun(stack: ReleaseStack): Promise<RunResult> {
  const load = startSteadyClient(stack.haproxy.url, {
    concurrency: 8,
    maxMs: runLimitMs,
    maxRequests: 500_000,
  });
  try {
    const breachAt = performance.now();
    await stack.target.setTraffic({ v2: 100 - canaryPercent, v3: canaryPercent });
    for (;;) {
      if (performance.now() - breachAt > runLimitMs)
        throw new Error('no breach detected within 60 s');
      const evaluation = evaluateHealth(
        (await stack.target.health(windowSeconds)).versions.v3,
        thresholds,
      );
      if (evaluation.verdict === 'unhealthy') {
        const detectSeconds = (performance.now() - breachAt) / 1000;
        const applied = await stack.target.setTraffic({ v2: 100, v3: 0 });
        if (applied.v3 !== 0) throw new Error(`router still gives v3 ${applied.v3}%`);
        return {
          detectSeconds,
          zeroSeconds: (performance.now() - breachAt) / 1000,
          reasons: evaluation.reasons,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    const stats = await load.stop();
    if (stats.connectionErrors > 0)
      console.log(`  (client saw ${stats.connectionErrors} connection errors)`);
  }
}

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

const stack = await startReleaseStack('bench');
try {
  console.log(
    `release bench: ${runs} runs, v3 at ${canaryPercent}%, scrape 1 s, window ${windowSeconds} s, poll ${pollMs} ms`,
  );
  await stack.target.deploy(sampleAppVersion('v2'));
  await stack.target.setTraffic({ v2: 100 });
  await stack.target.deploy(sampleAppVersion('v3'));
  const results: RunResult[] = [];
  for (let run = 1; run <= runs; run++) {
    await waitForCleanWindow(stack);
    const result = await oneRun(stack);
    results.push(result);
    console.log(
      `run ${run}/${runs}: breach seen after ${result.detectSeconds.toFixed(2)} s, ` +
        `v3 at 0% after ${result.zeroSeconds.toFixed(2)} s (${result.reasons.join('; ')})`,
    );
  }
  const zero = results.map((r) => r.zeroSeconds).sort((a, b) => a - b);
  const detect = results.map((r) => r.detectSeconds).sort((a, b) => a - b);
  const figures = {
    bench: 'release',
    runs,
    canaryPercent,
    scrapeIntervalSeconds: 1,
    windowSeconds,
    breachToZeroP50Seconds: round(quantile(zero, 0.5)),
    breachToZeroP95Seconds: round(quantile(zero, 0.95)),
    breachToZeroMaxSeconds: round(zero.at(-1) ?? Number.NaN),
    detectP50Seconds: round(quantile(detect, 0.5)),
    detectP95Seconds: round(quantile(detect, 0.95)),
  };
  console.log(
    `breach → 0% on v3: p50 ${figures.breachToZeroP50Seconds} s, p95 ${figures.breachToZeroP95Seconds} s, ` +
      `max ${figures.breachToZeroMaxSeconds} s (target p95 <= 10 s)`,
  );
  console.log(JSON.stringify(figures));
} finally {
  await stack.close();
}
