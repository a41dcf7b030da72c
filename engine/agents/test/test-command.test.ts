import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Language } from '../repo-auditor/fingerprint.ts';
import type { Service } from '../repo-auditor/index.ts';
import { planTests } from './test-command.ts';

const evidence = [{ file: 'x', line: 1 }];
const claim = <T>(value: T) => ({ value, evidence });

function service(
  language: Language,
  manager: string | null,
  framework: string | null,
  path = '.',
): Service {
  return {
    name: 'svc',
    path,
    language: claim(language),
    framework: null,
    packageManager: manager ? claim(manager) : null,
    lockfile: null,
    port: null,
    dockerfile: null,
    startCommand: null,
    healthEndpoint: null,
    envVars: [],
    orm: null,
    migrations: null,
    queues: [],
    tests: framework ? claim({ framework, path: 'tests' }) : null,
    coverageConfig: null,
  };
}

const repo = mkdtempSync(join(tmpdir(), 'prodsprint-test-plan-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('planTests', () => {
  it.each([
    ['npm', service('typescript', 'npm', 'vitest'), 'npm', ['test'], 'coverage/lcov.info'],
    ['pnpm', service('javascript', 'pnpm', 'jest'), 'pnpm', ['test'], 'coverage/lcov.info'],
    ['yarn', service('javascript', 'yarn', 'mocha'), 'yarn', ['test'], 'coverage/lcov.info'],
    [
      'pytest',
      service('python', 'poetry', 'pytest'),
      'python3',
      ['-m', 'pytest', '-q'],
      'coverage.json',
    ],
    [
      'unittest',
      service('python', 'pip', 'unittest'),
      'python3',
      ['-m', 'unittest', 'discover'],
      'coverage.json',
    ],
    [
      'go',
      service('go', 'go modules', 'go test'),
      'go',
      ['test', './...', '-coverprofile=coverage.out'],
      'coverage.out',
    ],
    [
      'maven',
      service('java', 'maven', 'junit'),
      'mvn',
      ['-q', '-B', 'test'],
      'target/site/jacoco/jacoco.xml',
    ],
    [
      'gradle without a wrapper',
      service('kotlin', 'gradle', 'kotest'),
      'gradle',
      ['test'],
      'build/reports/jacoco/test/jacocoTestReport.xml',
    ],
  ] as const)('%s', (_name, svc, command, args, coverage) => {
    const plan = planTests(svc, repo);
    expect(plan).toMatchObject({ ok: true, command: { command, args: [...args] } });
    if (plan.ok) expect(plan.command.coverageFiles[0]).toBe(coverage);
  });

  it('prefers the Gradle wrapper the service ships', () => {
    mkdirSync(join(repo, 'api'));
    writeFileSync(join(repo, 'api', 'gradlew'), '#!/bin/sh\n');
    expect(planTests(service('java', 'gradle', 'junit', 'api'), repo)).toMatchObject({
      ok: true,
      command: { command: './gradlew', dir: 'api' },
    });
  });

  it.each([
    ['ng test', 'Karma'],
    ['cypress run', 'Cypress'],
    ['playwright test', 'Playwright'],
  ])('a "test" script that drives a browser (%s) is not run here, saying why', (script, runner) => {
    const dir = `web-${runner}`;
    mkdirSync(join(repo, dir));
    writeFileSync(join(repo, dir, 'package.json'), JSON.stringify({ scripts: { test: script } }));
    expect(planTests(service('typescript', 'npm', 'unknown', dir), repo)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`run in a browser (${runner})`),
      remedy: expect.stringMatching(/CI/),
    });
  });

  it('a service without tests gets a reason and a remedy, not a command', () => {
    expect(planTests(service('go', 'go modules', null), repo)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no tests/),
      remedy: expect.stringMatching(/smoke tests/),
    });
  });
});

describe('planTests for pytest with pytest-cov', () => {
  it('asks pytest-cov for a Cobertura report when the service declares it', () => {
    mkdirSync(join(repo, 'py'));
    writeFileSync(join(repo, 'py', 'requirements.txt'), 'fastapi==0.92.0\npytest-cov==4.0.0\n');
    const plan = planTests(service('python', 'pip', 'pytest', 'py'), repo);
    expect(plan).toMatchObject({
      ok: true,
      command: {
        command: 'python3',
        args: ['-m', 'pytest', '-q', '--cov', '--cov-report=xml:coverage.xml'],
        coverageFiles: ['coverage.xml', 'coverage.json'],
      },
    });
  });
});
