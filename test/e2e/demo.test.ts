/**
 * The README's main job (issue 10 acceptance): `npm run demo` = setup + scripts/demo.sh, which
 * runs `prodsprint sprint` on both examples. Setup has already run (it is what started this
 * suite); this drives the rest exactly as a user's shell would, and asserts the final state
 * from each sprint's JSON summary: release promoted, every gate passed with real figures, a
 * verified audit bundle. Real components throughout: the local Docker Engine (started when
 * needed), images built from host runtimes, Trivy, autocannon, HAProxy and Prometheus on
 * 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SprintSummary } from '../../cli/sprint-summary.ts';
import { stopEnvironments } from '../fixtures/stop-environments.ts';

const EXAMPLES = ['orders-api', 'inventory-api'] as const;
/** Each example once, then orders-api again after a change. */
const SPRINTS = EXAMPLES.length + 1;
const dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-demo-'));
afterAll(async () => {
  await stopEnvironments(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the main job (npm run demo)', () => {
  const run = spawnSync('bash', ['scripts/demo.sh'], {
    env: { ...process.env, PRODSPRINT_HOME: dataDir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 900_000,
  });
  const summaryOf = (example: string) =>
    JSON.parse(readFileSync(join(dataDir, 'demo', `${example}.json`), 'utf8')) as SprintSummary;

  it('exits 0', () => {
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
  });

  it('initialises the data dir and checks the machine', () => {
    expect(run.stdout).toContain(`Initialised ProdSprint in ${dataDir}`);
    expect(existsSync(join(dataDir, 'prodsprint.db'))).toBe(true);
    expect(run.stdout).toMatch(/\[ok\] +Node\.js +Node 2\d\./);
    expect(run.stdout).toMatch(/^Ready\./m);
  });

  it('prints, for each example, a promoted sprint with both times and a verified bundle', () => {
    const promoted = run.stdout.match(/^Sprint of prj_[0-9a-f]{32} version [0-9a-f]{12}: .*$/gm);
    expect(promoted).toHaveLength(SPRINTS);
    for (const line of promoted!) expect(line).toMatch(/: PROMOTED$/);
    expect(
      run.stdout.match(
        /^ {2}time +to staging \d+(\.\d)? s, to canary start \d+(\.\d)? s, to prod \d+(\.\d)? s$/gm,
      ),
    ).toHaveLength(SPRINTS);
    expect(
      run.stdout.match(/^ {2}audit bundle +\S+\.tar\.gz \(verified, \d+ entries\)$/gm),
    ).toHaveLength(SPRINTS);
  });

  describe.each(EXAMPLES)('examples/%s', (example) => {
    it('reaches a promoted release', () => {
      const summary = summaryOf(example);
      expect(summary.outcome).toBe('promoted');
      expect(summary.releasePhase).toBe('promoted');
      expect(summary.selfApproved).toBe(true);
      expect(summary.branch).toMatch(/^prodsprint\/blueprint-v\d+$/);
    });

    it('passed every gate with real figures', () => {
      const summary = summaryOf(example);
      const gate = (name: string) => summary.gates.find((g) => g.gate === name)!;
      for (const g of summary.gates) expect(g.status, g.gate).toBe('passed');
      expect(gate('tests').figures).toMatch(/^[1-9]\d* passed, 0 failed, line coverage \d/);
      if (example === 'orders-api')
        expect(gate('tests').figures).toMatch(
          /with PostgreSQL \(dbmate, 1 migration\(s\) applied\)/,
        );
      expect(gate('sbom').figures).toMatch(/CycloneDX 1\.6, [1-9]\d* components/);
      expect(gate('vulnerabilities').figures).toMatch(/^0 finding\(s\) against [1-9]\d* /);
      expect(gate('config-scan').figures).toBe('trivy config: 0 HIGH/CRITICAL');
      expect(gate('perf').figures).toMatch(/^p95 \d+(\.\d+)? ms, errors 0\.00% \((autocannon|k6) /);
      expect(gate('policy').figures).toBe('baseline allow');
    });

    it('reports time to staging and to prod, and a canary that saw no connection errors', () => {
      const summary = summaryOf(example);
      expect(summary.timeToStagingSeconds).toBeGreaterThan(0);
      expect(summary.timeToCanaryStartSeconds).toBeGreaterThan(summary.timeToStagingSeconds!);
      expect(summary.timeToProdSeconds).toBeGreaterThan(summary.timeToCanaryStartSeconds!);
      expect(summary.syntheticTraffic!.requests).toBeGreaterThan(0);
      expect(summary.syntheticTraffic!.connectionErrors).toBe(0);
    });

    it('exports an audit bundle that verifies', () => {
      const summary = summaryOf(example);
      expect(summary.bundle!.verified).toBe(true);
      expect(summary.bundle!.entries).toBeGreaterThan(10);
      // What a compliance reviewer runs offline, with nothing but the bundle.
      const verify = spawnSync(
        process.execPath,
        ['bin/prodsprint.mjs', 'audit', 'verify', summary.bundle!.path],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            PRODSPRINT_HOME: mkdtempSync(join(tmpdir(), 'prodsprint-reviewer-')),
            NO_COLOR: '1',
          },
        },
      );
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/^VERIFIED: bundle OK/m);
    });
  });

  describe('a change to orders-api, sprinted again', () => {
    it('is released as a canary from the version in prod, every step analysed healthy', () => {
      const first = summaryOf('orders-api');
      const change = summaryOf('orders-api-1.1.0');
      expect(change.outcome).toBe('promoted');
      expect(change.projectId).toBe(first.projectId);
      expect(change.version).not.toBe(first.version);
      expect(first.rollout!.fromVersion).toBeNull();
      expect(change.rollout!.fromVersion).toBe(first.version);
      expect(change.rollout!.steps).toBe(4);
      // 1% → 5% → 25%, each analysed healthy before the next; the last step is 100%.
      const healthySteps = new Set(
        change.rollout!.decisions.filter((d) => d.action === 'next').map((d) => d.step),
      );
      expect([...healthySteps].sort((a, b) => a - b)).toEqual([0, 1, 2]);
      expect(change.rollout!.decisions.some((d) => d.action === 'rollback')).toBe(false);
      expect(run.stdout).toMatch(
        new RegExp(`rollout +canary from ${first.version} in 4 steps, \\d+ healthy`),
      );
    });
  });
});
