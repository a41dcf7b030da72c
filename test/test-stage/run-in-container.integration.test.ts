import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBrokenExample } from '../fixtures/broken-examples.ts';
import {
  acquireDockerEngine,
  dockerUnavailableReason,
  type DockerEngine,
} from '../support/infra/docker-engine.ts';
import { ensureRuntimeBaseImage } from '../../engine/tools/base-images/index.ts';
import { auditRepository } from '../../engine/agents/repo-auditor/index.ts';
import { percent } from '../../engine/agents/test/coverage/parse-coverage.ts';
import { runTestsInContainer, TEST_RUN_LABEL } from '../../engine/agents/test/run-in-container.ts';
import { planTests } from '../../engine/agents/test/test-command.ts';

// The test stage in containers: the examples' own tests, planned from their fingerprints, run in
// the runtime base images built from this host (no registry), coverage copied back out.
const skipReason = dockerUnavailableReason();
if (skipReason && process.env.CI)
  throw new Error(`CI must run the container test-stage tests, but: ${skipReason}`);
if (skipReason) console.warn(`skipping container test-stage tests: ${skipReason}`);

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
let engine: DockerEngine;
let root: string;

beforeAll(async () => {
  if (skipReason) return;
  engine = await acquireDockerEngine();
  root = mkdtempSync(join(tmpdir(), 'prodsprint-container-tests-'));
});
afterAll(async () => {
  if (skipReason) return;
  rmSync(root, { recursive: true, force: true });
  await engine.release();
});

function copyExample(name: string, as: string): string {
  const dir = join(root, as);
  cpSync(join(examples, name), dir, { recursive: true });
  return dir;
}

async function run(dir: string, runtime: 'node' | 'python') {
  const fingerprint = await auditRepository(dir);
  const plan = planTests(fingerprint.services[0]!, dir);
  const base = await ensureRuntimeBaseImage(engine.docker, runtime);
  const lines: string[] = [];
  const result = await runTestsInContainer({
    docker: engine.docker,
    repoDir: dir,
    plan,
    image: base.image,
    timeoutMs: 120_000,
    onOutput: (line) => lines.push(line),
  });
  return { result, lines };
}

describe.skipIf(skipReason !== undefined)('runTestsInContainer', () => {
  it('runs orders-api’s npm test script in local/node:base and reads its lcov back', async () => {
    const dir = copyExample('orders-api', 'orders');
    const { result, lines } = await run(dir, 'node');
    expect(result).toMatchObject({
      service: 'orders-api',
      passed: true,
      exitCode: 0,
      timedOut: false,
      coverageFile: 'coverage/lcov.info',
      testsFailed: 0,
      failedTests: [],
    });
    // The count comes from node:test's own summary line.
    expect(result.testsPassed).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).toContain(`pass ${result.testsPassed}`);
    expect(result.coverage?.format).toBe('lcov');
    expect(percent(result.coverage!.lines)).toBeGreaterThan(0);
    // The repository itself is untouched: the run happened on a copy inside the container.
    expect(() => readFileSync(join(dir, 'coverage/lcov.info'))).toThrow();
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: [`${TEST_RUN_LABEL}=orders-api`] },
    });
    expect(left).toEqual([]);
  });

  it('runs inventory-api’s pytest suite in local/python:base with pytest-cov coverage', async () => {
    const dir = copyExample('inventory-api', 'inventory');
    const { result } = await run(dir, 'python');
    expect(result).toMatchObject({
      service: 'inventory-api',
      command: 'python3 -m pytest -q --cov --cov-report=xml:coverage.xml',
      passed: true,
      exitCode: 0,
      coverageFile: 'coverage.xml',
      testsPassed: 6,
      testsFailed: 0,
    });
    expect(result.coverage?.format).toBe('cobertura');
    expect(percent(result.coverage!.lines)).toBeGreaterThan(50);
  });

  it('reports a failing Python test by name (the broken-example generator’s failing-test)', async () => {
    const broken = makeBrokenExample('failing-test', root);
    const { result } = await run(broken.dir, 'python');
    expect(result.passed).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.testsFailed).toBe(1);
    expect(result.failedTests).toEqual(['tests/test_items.py::test_health_endpoint_answers_ok']);
    expect(result.failedTests.join('\n')).toMatch(broken.expected.remediation);
  });

  it('reports a failing node:test test by name', async () => {
    const dir = copyExample('orders-api', 'orders-failing');
    const app = join(dir, 'src', 'app.js');
    writeFileSync(
      app,
      readFileSync(app, 'utf8').replace("{ status: 'ok' }", "{ status: 'degraded' }"),
    );
    const { result } = await run(dir, 'node');
    expect(result).toMatchObject({ passed: false, testsFailed: 1 });
    expect(result.testsPassed).toBeGreaterThanOrEqual(2);
    expect(result.failedTests).toContain('health endpoint answers ok');
  });

  it('stops a run that exceeds its time limit and still removes the container', async () => {
    const dir = copyExample('orders-api', 'orders-slow');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    pkg.scripts.test = 'node -e "setTimeout(() => {}, 600000)"';
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const base = await ensureRuntimeBaseImage(engine.docker, 'node');
    const result = await runTestsInContainer({
      docker: engine.docker,
      repoDir: dir,
      plan: { service: 'slow', dir: '.', command: 'npm', args: ['test'], coverageFiles: [] },
      image: base.image,
      timeoutMs: 1500,
    });
    expect(result).toMatchObject({ passed: false, timedOut: true, exitCode: null });
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: [`${TEST_RUN_LABEL}=slow`] },
    });
    expect(left).toEqual([]);
  });
});
