import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../secrets/redact.ts';
import { auditRepository } from '../repo-auditor/index.ts';
import { percent } from './coverage/parse-coverage.ts';
import { planTests, type TestCommand } from './test-command.ts';
import { runTests, TestToolMissingError } from './run-tests.ts';

// The test stage on a real service: examples/orders-api, audited, its tests planned from the
// fingerprint and run for real, its lcov coverage read back.
const EXAMPLE = new URL('../../../examples/orders-api/', import.meta.url);
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodsprint-test-stage-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copyExample(name: string): string {
  const dir = join(root, name);
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function plannedCommand(dir: string): Promise<TestCommand> {
  const fingerprint = await auditRepository(dir);
  const plan = planTests(fingerprint.services[0]!, dir);
  if (!plan.ok) throw new Error(plan.reason);
  return plan.command;
}

describe('test stage on examples/orders-api', () => {
  it('plans `npm test` from the fingerprint, runs it, and reads the coverage it wrote', async () => {
    const dir = copyExample('passing');
    const command = await plannedCommand(dir);
    expect(command).toMatchObject({ service: 'orders-api', command: 'npm', args: ['test'] });
    const lines: string[] = [];
    const run = await runTests(command, {
      repoDir: dir,
      redactor: new Redactor(),
      onLine: (line) => lines.push(line),
    });
    expect(run).toMatchObject({
      passed: true,
      exitCode: 0,
      timedOut: false,
      coverageFile: 'coverage/lcov.info',
    });
    // examples/orders-api grows tests; what matters is that they all ran and passed.
    expect(lines.join('\n')).toMatch(/pass [1-9]\d*\n.*fail 0/);
    expect(run.coverage?.format).toBe('lcov');
    expect(percent(run.coverage!.lines)).toBeGreaterThan(50);
  });

  it('reports a failing test as not passed, with the output that says why', async () => {
    const dir = copyExample('failing');
    const app = join(dir, 'src', 'app.js');
    writeFileSync(
      app,
      readFileSync(app, 'utf8').replace("{ status: 'ok' }", "{ status: 'degraded' }"),
    );
    const run = await runTests(await plannedCommand(dir), {
      repoDir: dir,
      redactor: new Redactor(),
    });
    expect(run.passed).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(run.outputTail.join('\n')).toMatch(/fail 1/);
  });
});

describe('running test commands', () => {
  it('stops the whole process group on timeout, grandchildren included', async () => {
    const marker = `sleep ${61 + Math.floor(Math.random() * 1000) / 1000}`;
    const command: TestCommand = {
      service: 'slow',
      dir: '.',
      command: 'node',
      args: [
        '-e',
        `require('node:child_process').spawn('sh', ['-c', '${marker}'], { stdio: 'ignore' }); setInterval(() => {}, 1000);`,
      ],
      coverageFiles: [],
    };
    const run = await runTests(command, {
      repoDir: root,
      redactor: new Redactor(),
      timeoutMs: 1500,
    });
    expect(run).toMatchObject({ passed: false, timedOut: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(() => execFileSync('pgrep', ['-f', marker])).toThrow(); // pgrep exits 1: nothing left
  });

  it('redacts secrets the tests print', async () => {
    const redactor = new Redactor();
    redactor.register('db-password-0123456789');
    const command: TestCommand = {
      service: 'leaky',
      dir: '.',
      command: 'node',
      args: ['-e', 'console.log("connecting with db-password-0123456789")'],
      coverageFiles: [],
    };
    const run = await runTests(command, { repoDir: root, redactor });
    expect(run.outputTail.join('\n')).not.toContain('db-password-0123456789');
    expect(run.coverageMissing).toMatch(/no coverage report found/);
  });

  it('refuses a tool that is not installed, with a remedy', async () => {
    const command: TestCommand = {
      service: 'x',
      dir: '.',
      command: 'no-such-test-runner',
      args: [],
      coverageFiles: [],
    };
    await expect(
      runTests(command, { repoDir: root, redactor: new Redactor() }),
    ).rejects.toBeInstanceOf(TestToolMissingError);
  });
});
