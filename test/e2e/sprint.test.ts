/**
 * The main job end to end (issue 10 acceptance): `prodsprint sprint` on both examples reaches a
 * promoted release with real gate figures and a verified audit bundle, and a broken example
 * stops at the gate that must stop it, with that gate's remedy. Real components throughout:
 * the local Docker Engine (started when needed), images built from host runtimes, Trivy,
 * autocannon, HAProxy and Prometheus on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBrokenExample } from '../fixtures/broken-examples.ts';

const work = mkdtempSync(join(tmpdir(), 'prodsprint-sprint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Summary {
  outcome: string;
  version: string;
  gates: Array<{ gate: string; status: string; figures: string }>;
  blockedAt: { stage: string; reason: string; remedy: string | null } | null;
  releasePhase: string | null;
  timeToStagingSeconds: number | null;
  timeToProdSeconds: number | null;
  syntheticTraffic: { requests: number; connectionErrors: number } | null;
  bundle: { path: string; verified: boolean; entries: number } | null;
}

/** A repository the way a user has one: the example's files, committed. */
function repoOf(source: string, name: string): string {
  const dir = join(work, name);
  cpSync(source, dir, {
    recursive: true,
    filter: (path) => !/(__pycache__|\.pytest_cache|\/coverage)$/.test(path),
  });
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@localhost', ...args], {
      cwd: dir,
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'initial');
  return dir;
}

function sprint(repo: string, extra: string[] = []) {
  const dataDir = join(work, `data-${repo.split('/').pop()}`);
  const run = spawnSync(
    process.execPath,
    [
      'bin/prodsprint.mjs',
      'sprint',
      repo,
      '--yes-i-approve',
      '--json',
      '--data-dir',
      dataDir,
      ...extra,
    ],
    { encoding: 'utf8', timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } },
  );
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(run.stdout) as Summary;
  } catch {
    summary = undefined;
  }
  return { run, summary };
}

const gate = (summary: Summary, name: string) => summary.gates.find((g) => g.gate === name)!;

describe.each([
  { example: 'orders-api', coverage: /line coverage \d+(\.\d+)?%/ },
  { example: 'inventory-api', coverage: /line coverage \d+(\.\d+)?%/ },
])('prodsprint sprint on examples/$example', ({ example, coverage }) => {
  const { run, summary } = sprint(repoOf(join('examples', example), example), [
    '--osv',
    'examples/osv',
  ]);

  it('exits 0 with a promoted release', () => {
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    expect(summary?.outcome).toBe('promoted');
    expect(summary?.releasePhase).toBe('promoted');
  });

  it('passed every gate with real figures', () => {
    for (const g of summary!.gates) expect(g.status, g.gate).toBe('passed');
    expect(gate(summary!, 'tests').figures).toMatch(coverage);
    expect(gate(summary!, 'tests').figures).toMatch(/[1-9]\d* passed, 0 failed/);
    expect(gate(summary!, 'sbom').figures).toMatch(/CycloneDX 1\.6, [1-9]\d* components/);
    expect(gate(summary!, 'vulnerabilities').figures).toMatch(/0 finding\(s\) against [1-9]/);
    expect(gate(summary!, 'perf').figures).toMatch(
      /p95 \d+(\.\d+)? ms, errors 0\.00% \(autocannon/,
    );
    expect(gate(summary!, 'policy').figures).toBe('baseline allow');
  });

  it('reports time to staging and to prod, and a canary that saw no connection errors', () => {
    expect(summary!.timeToStagingSeconds).toBeGreaterThan(0);
    expect(summary!.timeToProdSeconds).toBeGreaterThan(summary!.timeToStagingSeconds!);
    expect(summary!.syntheticTraffic!.requests).toBeGreaterThan(0);
    expect(summary!.syntheticTraffic!.connectionErrors).toBe(0);
  });

  it('exports an audit bundle that verifies', () => {
    expect(summary!.bundle!.verified).toBe(true);
    expect(summary!.bundle!.entries).toBeGreaterThan(10);
  });
});

describe('prodsprint sprint on a broken example', () => {
  it.each(['failing-test', 'vulnerable-dependency', 'perf-regression'] as const)(
    '%s stops at the right gate with its remedy',
    (kind) => {
      const broken = makeBrokenExample(kind, join(work, 'broken'));
      const repo = repoOf(broken.dir, `broken-${kind}`);
      const osv = broken.osvFile ? ['--osv', broken.osvFile] : ['--osv', 'examples/osv'];
      const { run, summary } = sprint(repo, osv);
      expect(run.status, run.stderr.slice(-3000)).toBe(6);
      expect(summary?.outcome).toBe('blocked');
      const stoppedAt = summary!.blockedAt!;
      const expectedStage = broken.expected.gate === 'tests' ? 'tests' : 'policy';
      expect(stoppedAt.stage).toBe(expectedStage);
      if (broken.expected.gate === 'vulnerabilities')
        expect(stoppedAt.reason).toMatch(/baseline\.vulns/);
      if (broken.expected.gate === 'perf') expect(stoppedAt.reason).toMatch(/baseline\.perf/);
      expect(`${stoppedAt.reason} ${stoppedAt.remedy}`).toMatch(broken.expected.remediation);
      expect(summary!.releasePhase).toBeNull();
      expect(summary!.bundle!.verified).toBe(true);
    },
  );
});
