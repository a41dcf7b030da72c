/**
 * CI that follows the repository (issue 15), one fixture per pattern (test/fixtures/repos/
 * ci-patterns.ts), through the real auditor and planner: the toolchain image for the version the repository states, the package manager its lockfile names,
 * only the scripts and targets it has, a database beside tests that need one, and no second copy
 * of tests the repository's own CI runs. The default branch, which needs a real Git checkout, is
 * in ci-branch.integration.test.ts.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../engine/agents/blueprint/plan-model.ts';
import { auditedPlanFor } from './audited-cases.ts';

interface Step {
  name?: string;
  run?: string;
  'working-directory'?: string;
}
interface Job {
  container?: { image: string };
  services?: Record<string, { image: string; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
  if?: string;
}
interface Workflow {
  on: { push: { branches: string[] }; pull_request: { branches: string[] } };
  jobs: Record<string, Job>;
}

function workflowOf(plan: Plan): { path: string; content: string; doc: Workflow } {
  const artifact = plan.artifacts.find((a) => a.path.startsWith('.github/workflows/prodsprint-'))!;
  return { ...artifact, doc: parse(artifact.content) as Workflow };
}
const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? '').join('\n');
const kubernetes = (stack: string) => auditedPlanFor(`audited/${stack}-kubernetes`);

describe('CI from the repository', () => {
  it('given a bun workspace, when planned, then install, scripts and tests run with bun from the workspace root', async () => {
    const { doc, content } = workflowOf(await kubernetes('z-ci-bun-workspace'));
    const unit = doc.jobs.unit!;
    expect(unit.container?.image).toContain('/oven/bun:1');
    const install = unit.steps.find((s) => s.name === 'Install')!;
    expect(install['working-directory']).toBe('.');
    expect(install.run?.trim()).toBe('bun install --frozen-lockfile');
    expect(runs(unit)).toContain('bun run build');
    expect(runs(unit)).toContain('bun run test --coverage --coverage-reporter=lcov');
    expect(content).not.toMatch(/\bnpm (?:ci|install|test)\b/);
  });

  it('given a Gradle 7.4 wrapper, when planned, then CI runs on JDK 17 (not 21) with tasks the build has', async () => {
    const plan = await kubernetes('z-ci-gradle74');
    const unit = workflowOf(plan).doc.jobs.unit!;
    expect(unit.container?.image).toContain('eclipse-temurin:17-jdk');
    expect(runs(unit)).toContain('./gradlew --no-daemon bootJar -x test');
    expect(runs(unit)).toContain('./gradlew --no-daemon test');
    // No jacoco plugin, no integrationTest task: neither is invented.
    expect(runs(unit)).not.toContain('jacocoTestReport');
    expect(workflowOf(plan).doc.jobs.integration).toBeUndefined();
    expect(plan.summary.notes.join('\n')).toMatch(/Gradle 7\.4 .* Java 17 at most/);
    const dockerfile = plan.artifacts.find((a) => a.path === 'Dockerfile');
    if (dockerfile) expect(dockerfile.content).toContain('eclipse-temurin:17-');
  });

  it('given .python-version 3.12 and pytest with an integration marker, when planned, then Python 3.12 runs pytest split by the marker', async () => {
    const plan = await kubernetes('z-ci-python312');
    const { doc } = workflowOf(plan);
    expect(doc.jobs.unit!.container?.image).toContain('python:3.12-');
    expect(runs(doc.jobs.unit)).toContain(
      'pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt',
    );
    expect(runs(doc.jobs.unit)).toContain(
      'python -m pytest --cov --cov-report=xml:coverage.xml --cov-report=term -m "not integration"',
    );
    expect(runs(doc.jobs.integration)).toContain('python -m pytest -m integration');
    expect(plan.summary.notes).toContain('app: Python 3.12 from .python-version:1');
  });

  it('given go.mod with go 1.22, when planned, then Go 1.22 builds it and the Makefile integration target runs', async () => {
    const { doc } = workflowOf(await kubernetes('z-ci-go122'));
    expect(doc.jobs.unit!.container?.image).toContain('golang:1.22-');
    expect(runs(doc.jobs.unit)).toContain('go test -coverprofile=coverage.out ./...');
    expect(runs(doc.jobs.integration)).toContain('make test-integration');
  });

  it('given mocha tests and no jest, when planned, then no jest command runs and the test script is measured by c8', async () => {
    const { content, doc } = workflowOf(await kubernetes('z-ci-node-postgres'));
    expect(content).not.toContain('jest');
    expect(runs(doc.jobs.unit)).toContain(
      'npx --yes c8@10.1.3 --reporter=cobertura --reporter=text-summary npm test',
    );
    expect(doc.jobs.integration).toBeUndefined();
    expect(content).not.toContain('npm run build');
  });

  it('given a service that reads DATABASE_URL with the pg driver, when planned, then its test job gets a PostgreSQL service container wired to it', async () => {
    const plan = await kubernetes('z-ci-node-postgres');
    const unit = workflowOf(plan).doc.jobs.unit!;
    expect(unit.services?.postgres?.image).toContain('/library/postgres:16');
    expect(unit.services?.postgres?.env?.POSTGRES_DB).toBe('app');
    expect(unit.env?.DATABASE_URL).toBe('postgres://ci:ci-only@postgres:5432/app');
    const gitlab = parse(
      plan.artifacts.find((a) => a.path === '.gitlab/ci/tickets.yml')!.content,
    ) as Record<
      string,
      { services?: Array<{ alias: string }>; variables?: Record<string, string> }
    >;
    expect(gitlab['tickets-unit']?.services?.map((s) => s.alias)).toEqual(['postgres']);
    expect(gitlab['tickets-unit']?.variables?.DATABASE_URL).toBe(
      'postgres://ci:ci-only@postgres:5432/app',
    );
  });

  it('given a repository whose own CI runs the tests, when planned, then ProdSprint does not run them again', async () => {
    const plan = await kubernetes('node-express');
    const { doc, content } = workflowOf(plan);
    expect(doc.jobs.unit).toBeUndefined();
    expect(content).toContain('.github/workflows/ci.yml already runs');
    expect(plan.summary.notes.join('\n')).toContain(
      '.github/workflows/ci.yml already runs its tests',
    );
  });

  it('given a repository with its own .gitlab-ci.yml, when planned, then it keeps it and triggers ProdSprint as a child pipeline', async () => {
    const plan = await kubernetes('py-celery');
    const root = plan.artifacts.find((a) => a.path === '.gitlab-ci.yml')!;
    expect(root.change).toBe('changed');
    expect(root.content.startsWith('test:\n  script: [pytest]\n')).toBe(true);
    const job = (
      parse(root.content) as Record<string, { stage?: string; trigger?: { include: string } }>
    ).prodsprint;
    expect(job).toEqual({
      stage: '.post',
      trigger: { include: '.gitlab/ci/prodsprint.yml', strategy: 'depend' },
    });
    expect(plan.artifacts.some((a) => a.path === '.gitlab/ci/prodsprint.yml')).toBe(true);
  });
});
