/**
 * Generated GitLab pipelines load in gitlab-ci-local, which validates them against GitLab's own
 * CI schema, and list the expected jobs per service. gitlab-ci-local reads a Git work tree, so
 * each plan is written to a temporary directory with `git init` (offline, no remote). Every
 * audited fixture stack's kubernetes plan is loaded, and the docker plans of a few (their deploy
 * jobs run on the ProdSprint host's shell runner); a repository with its own .gitlab-ci.yml keeps
 * it with one trigger job added, and ProdSprint's child pipeline is loaded on its own too.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { writePlanArtifacts } from '../../engine/agents/blueprint/write-plan.ts';
import { AUDITED_CASES, auditedPlanFor, auditedStackOf } from './audited-cases.ts';
import { planFor } from './cases.ts';
import { writeTree } from '../fixtures/repos/build-repo.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'gitlab-ci-local');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const SCANS = ['build', 'sast', 'deps', 'sbom', 'sign', 'perf-smoke', 'policy-gate'];

type Job = { name: string; stage: string };

async function listJobs(
  plan: Plan,
  repo: Record<string, string | Uint8Array | { symlink: string }> = {},
  file?: string,
): Promise<Job[]> {
  const dir = await mkdtemp(join(tmpdir(), 'prodsprint-gitlab-'));
  dirs.push(dir);
  writeTree(dir, Object.fromEntries(Object.entries(repo).filter(([, v]) => typeof v === 'string')));
  await writePlanArtifacts(plan, dir);
  await run('git', ['init', '-q', dir]);
  await run('git', ['-C', dir, 'add', '-A']);
  const args = ['--list-json', ...(file ? ['--file', file] : [])];
  const { stdout } = await run(BIN, args, { cwd: dir, maxBuffer: 16 << 20 });
  return JSON.parse(stdout.slice(stdout.indexOf('['))) as Job[];
}

const kubernetes = AUDITED_CASES.filter((c) => c.target === 'kubernetes').map((c) => c.name);
const docker = [
  'audited/node-express-docker',
  'audited/py-fastapi-docker',
  'audited/spring-maven-docker',
];

describe('GitLab CI pipelines in gitlab-ci-local', () => {
  it('loads a two-service pipeline with every stage for each service', async () => {
    const jobs = await listJobs(await planFor('monorepo-eks'));
    const names = jobs.map((j) => j.name).sort();
    const expected = ['inventory', 'orders-api'].flatMap((svc) =>
      [...SCANS, 'verify', 'deploy-staging', 'smoke', 'policy-gate-prod', 'deploy-prod'].map(
        (job) => `${svc}-${job}`,
      ),
    );
    // Go's test runner is the toolchain's own; the Node service's package.json is not there to
    // say which scripts exist (a hand-made fingerprint, no repository), so it gets no test job.
    expected.push('inventory-unit');
    expect(names).toEqual(expected.sort());
    expect(jobs.find((j) => j.name === 'orders-api-deploy-prod')?.stage).toBe('production');
  });

  it('leaves out staging jobs when only prod is chosen', async () => {
    const names = (await listJobs(await planFor('java-spring-kubernetes')))
      .map((j) => j.name)
      .sort();
    expect(names).toEqual(
      [...SCANS, 'unit', 'verify', 'deploy-prod'].map((job) => `payments-service-${job}`).sort(),
    );
  });

  it.each([...kubernetes, ...docker])('%s loads', { timeout: 60_000 }, async (name) => {
    const plan = await auditedPlanFor(name);
    const { tree } = auditedStackOf(name);
    const jobs = await listJobs(plan, tree as Record<string, string>);
    const child = plan.artifacts.find((a) => a.path === '.gitlab/ci/prodsprint.yml');
    if (child) {
      // The repository's own pipeline stays, with one job that triggers ProdSprint's.
      expect(jobs.map((j) => j.name)).toContain('prodsprint');
      const inner = await listJobs(
        plan,
        tree as Record<string, string>,
        '.gitlab/ci/prodsprint.yml',
      );
      expect(inner.some((j) => j.name.endsWith('-policy-gate'))).toBe(true);
    } else {
      expect(jobs.some((j) => j.name.endsWith('-policy-gate'))).toBe(true);
    }
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
