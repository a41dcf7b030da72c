/**
 * Generated GitLab pipelines load in gitlab-ci-local, which validates them against GitLab's own
 * CI schema, and list the expected jobs per service. gitlab-ci-local reads a Git work tree, so
 * each plan is written to a temporary directory with `git init` (offline, no remote).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writePlanArtifacts } from '../../engine/agents/blueprint/write-plan.ts';
import { planFor } from './cases.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'gitlab-ci-local');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const JOBS = [
  'build',
  'unit',
  'integration',
  'sast',
  'deps',
  'sbom',
  'sign',
  'perf-smoke',
  'policy-gate',
];

async function listJobs(caseName: string): Promise<Array<{ name: string; stage: string }>> {
  const dir = await mkdtemp(join(tmpdir(), 'prodsprint-gitlab-'));
  dirs.push(dir);
  await writePlanArtifacts(await planFor(caseName), dir);
  await run('git', ['init', '-q', dir]);
  await run('git', ['-C', dir, 'add', '-A']);
  const { stdout } = await run(BIN, ['--list-json'], { cwd: dir, maxBuffer: 16 << 20 });
  return JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ name: string; stage: string }>;
}

describe('GitLab CI pipelines in gitlab-ci-local', () => {
  it('loads a two-service pipeline with every stage for each service', async () => {
    const jobs = await listJobs('monorepo-eks');
    const names = jobs.map((j) => j.name).sort();
    const expected = ['inventory', 'orders-api'].flatMap((svc) =>
      [...JOBS, 'deploy-staging', 'smoke', 'canary-prod'].map((job) => `${svc}-${job}`),
    );
    expect(names).toEqual(expected.sort());
    expect(jobs.find((j) => j.name === 'orders-api-canary-prod')?.stage).toBe('production');
  });

  it('leaves out staging jobs when only prod is chosen', async () => {
    const names = (await listJobs('java-spring-kubernetes')).map((j) => j.name).sort();
    expect(names).toEqual([...JOBS, 'canary-prod'].map((job) => `payments-service-${job}`).sort());
  });

  it('rejects a pipeline that breaks GitLab’s schema (the check is real)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prodsprint-gitlab-'));
    dirs.push(dir);
    await writeFile(
      join(dir, '.gitlab-ci.yml'),
      'build:\n  stage: build\n  script: [echo hi]\n  when: sometimes\n',
    );
    await run('git', ['init', '-q', dir]);
    await run('git', ['-C', dir, 'add', '-A']);
    const failure = await run(BIN, ['--list-json'], { cwd: dir }).then(
      () => '',
      (error: { stderr?: string; stdout?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failure).toMatch(/Invalid \.gitlab-ci\.yml configuration[\s\S]*build\.when/);
  });
});
