/**
 * The main job on a broken service (issue 10 acceptance): `prodsprint sprint` stops at the gate
 * that must stop it, with that gate's remedy, releases nothing, and still exports a bundle that
 * verifies. The healthy examples' sprints are asserted by demo.test.ts, through the README's
 * main-job command. Real components throughout, as there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SprintSummary } from '../../cli/sprint-summary.ts';
import { makeBrokenExample } from '../fixtures/broken-examples.ts';
import { exampleRepo } from '../fixtures/example-repo.ts';
import { stopEnvironments } from '../fixtures/stop-environments.ts';

const work = mkdtempSync(join(tmpdir(), 'prodsprint-sprint-'));
afterAll(async () => {
  // Blocked sprints release nothing, but a regression that lets one through must not leak.
  for (const entry of readdirSync(work).filter((name) => name.startsWith('data-')))
    await stopEnvironments(join(work, entry));
  rmSync(work, { recursive: true, force: true });
});

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
  let summary: SprintSummary | undefined;
  try {
    summary = JSON.parse(run.stdout) as SprintSummary;
  } catch {
    summary = undefined;
  }
  return { run, summary };
}

describe('prodsprint sprint on a broken example', () => {
  it.each(['failing-test', 'vulnerable-dependency', 'perf-regression'] as const)(
    '%s stops at the right gate with its remedy',
    (kind) => {
      const broken = makeBrokenExample(kind, join(work, 'broken'));
      const repo = exampleRepo(broken.dir, join(work, `broken-${kind}`));
      const osv = broken.osvFile ? ['--osv', broken.osvFile] : ['--osv', 'examples/osv'];
      const { run, summary } = sprint(repo, osv);
      expect(run.status, run.stderr.slice(-3000)).toBe(6);
      expect(summary?.outcome).toBe('blocked');
      const stoppedAt = summary!.blockedAt!;
      expect(`${stoppedAt.reason} ${stoppedAt.remedy}`).toMatch(broken.expected.remediation);
      expect(summary!.bundle!.verified).toBe(true);
      if (broken.expected.gate === 'perf') {
        // Perf budgets decide production: the slow version reaches staging with a warning, and
        // the release to prod is blocked at its gate, never serving prod traffic.
        expect(summary!.timeToStagingSeconds).not.toBeNull();
        expect(summary!.warnings.map((w) => w.subject)).toContain('baseline baseline.perf');
        expect(stoppedAt.stage).toBe('release');
        expect(stoppedAt.reason).toMatch(/baseline\.perf|p95 latency/);
        expect(summary!.releasePhase).toBe('blocked');
        return;
      }
      expect(stoppedAt.stage).toBe(broken.expected.gate === 'tests' ? 'tests' : 'policy');
      if (broken.expected.gate === 'vulnerabilities')
        expect(stoppedAt.reason).toMatch(/baseline\.vulns/);
      expect(summary!.releasePhase).toBeNull();
    },
  );
});
