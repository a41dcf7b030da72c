#!/usr/bin/env node
/**
 * TEST DOUBLE for the k6 binary. It is not k6 and never runs the script it is given.
 *
 * Why: the k6-load integration test must exercise the real process contract (spawn, arguments,
 * exit code, summary file, abort), but k6 cannot be installed on the machines these tests run
 * on (only the npm registry and Debian apt are reachable, and neither carries k6).
 *
 * What it follows, from k6's documented CLI:
 *   k6 version | k6 --version      prints `k6 v<version> (...)`
 *   k6 run [flags] script.js        with --vus/-u, --duration/-d, --env/-e KEY=VALUE,
 *                                   --summary-export FILE, --summary-trend-stats LIST,
 *                                   --quiet/-q, --no-color, --no-usage-report
 * `run` takes its target from the env options BASE_URL + ROUTE (and METHOD, BODY), as the
 * generated script does, really sends requests there from `vus` concurrent loops for the
 * duration, and writes the measured figures in the --summary-export shape documented at
 * https://k6.io/docs/results-visualization/json/#summary-export (rates as passes/fails/value,
 * where a "pass" of http_req_failed is a failed request, as in k6). Statuses 200-399 count as
 * success, k6's default expected_response; with FAILING_FROM=N in the env options, 200..N-1 do, as
 * the generated script's `http.setResponseCallback(http.expectedStatuses(...))` makes k6 count. Unknown flags exit 255, like k6's flag parser.
 *
 * Being a test tool, it refuses any target but the loopback interface.
 */
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const VERSION = '0.0.0-test-double';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function fail(message, code = 255) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Go durations as k6 takes them: 1s, 500ms, 1m30s. */
function parseDuration(text) {
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) fail(`invalid argument "${text}" for "-d, --duration" flag`);
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

function parseRunArgs(argv) {
  const options = {
    vus: 1,
    durationMs: 10_000,
    env: {},
    trendStats: 'avg,min,med,max,p(90),p(95)',
  };
  const valued = new Map([
    ['--vus', 'vus'],
    ['-u', 'vus'],
    ['--duration', 'duration'],
    ['-d', 'duration'],
    ['--env', 'env'],
    ['-e', 'env'],
    ['--summary-export', 'summaryExport'],
    ['--summary-trend-stats', 'trendStats'],
  ]);
  const flags = new Set(['--quiet', '-q', '--no-color', '--no-usage-report']);
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s) : [argv[i]];
    if (flags.has(flag)) continue;
    const key = valued.get(flag);
    if (!key) {
      if (flag.startsWith('-')) fail(`unknown flag: ${flag}`);
      positional.push(argv[i]);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`flag needs an argument: ${flag}`);
    if (key === 'env') {
      const eq = value.indexOf('=');
      options.env[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (key === 'vus') options.vus = Number(value);
    else if (key === 'duration') options.durationMs = parseDuration(value);
    else options[key] = value;
  }
  if (positional.length !== 1) fail('k6 run needs exactly one script');
  if (!existsSync(positional[0])) fail(`The moduleSpecifier "${positional[0]}" couldn't be found`);
  return options;
}

/** k6's percentile: linear interpolation between the closest ranks of the sorted samples. */
function percentile(sorted, pct) {
  const index = (pct / 100) * (sorted.length - 1);
  const low = Math.floor(index);
  if (low >= sorted.length - 1) return sorted[sorted.length - 1];
  return sorted[low] + (sorted[low + 1] - sorted[low]) * (index - low);
}

function trend(samples, stats) {
  const sorted = [...samples].sort((a, b) => a - b);
  const out = {};
  for (const stat of stats.split(',').map((s) => s.trim())) {
    const pct = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
    if (pct) out[stat] = percentile(sorted, Number(pct[1]));
    else if (stat === 'avg') out.avg = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    else if (stat === 'min') out.min = sorted[0];
    else if (stat === 'med') out.med = percentile(sorted, 50);
    else if (stat === 'max') out.max = sorted[sorted.length - 1];
    else if (stat === 'count') out.count = sorted.length;
    else fail(`invalid --summary-trend-stats value: ${stat}`, 104);
  }
  return out;
}

function request(url, method, body, agent, failingFrom) {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const done = (ok) => {
      if (settled) return;
      settled = true;
      resolve({ ms: performance.now() - started, ok });
    };
    const req = http.request(url, { method, agent, timeout: 10_000 }, (res) => {
      res.on('end', () => done(res.statusCode >= 200 && res.statusCode < failingFrom));
      res.on('error', () => done(false));
      res.resume();
    });
    req.on('timeout', () => req.destroy(new Error('request timeout')));
    req.on('error', () => done(false));
    if (body) req.setHeader('content-type', 'application/json');
    req.end(body || undefined);
  });
}

async function run(argv) {
  const options = parseRunArgs(argv);
  const { BASE_URL: base, ROUTE: route = '/', METHOD: method = 'GET', BODY: body } = options.env;
  const failingFrom = options.env.FAILING_FROM ? Number(options.env.FAILING_FROM) : 400;
  if (!base) fail('BASE_URL was not given with -e; the script has no target', 107);
  const url = new URL(base + route);
  if (!LOOPBACK.has(url.hostname)) fail(`the k6 test double only loads loopback, not ${url.host}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.vus });
  const durations = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const vu = async () => {
    while (performance.now() < deadline) {
      const result = await request(url, method, body, agent, failingFrom);
      durations.push(result.ms);
      if (!result.ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: options.vus }, vu));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const count = durations.length;
  const metrics = {
    vus: { value: options.vus, min: options.vus, max: options.vus },
    vus_max: { value: options.vus, min: options.vus, max: options.vus },
  };
  if (count > 0) {
    metrics.http_reqs = { count, rate: count / seconds };
    metrics.iterations = { count, rate: count / seconds };
    metrics.http_req_duration = trend(durations, options.trendStats);
    metrics.http_req_failed = { passes: failed, fails: count - failed, value: failed / count };
  }
  const summary = {
    metrics,
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: {},
      checks: {},
    },
  };
  if (options.summaryExport) writeFileSync(options.summaryExport, JSON.stringify(summary, null, 4));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'version' || command === '--version') {
  process.stdout.write(
    `k6 v${VERSION} (test double on node ${process.version}, ${process.platform}/${process.arch})\n`,
  );
} else if (command === 'run') {
  await run(rest);
} else {
  fail(`unknown command "${command ?? ''}" for "k6"`);
}
