import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerCommand, ContainerTestUnsupportedError } from './container-command.ts';
import type { TestCommand } from './test-command.ts';
import { countTests } from './test-counts.ts';

const root = mkdtempSync(join(tmpdir(), 'prodsprint-container-cmd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const npmTest: TestCommand = {
  service: 'svc',
  dir: '.',
  command: 'npm',
  args: ['test'],
  coverageFiles: [],
};

function withScript(name: string, script: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: script } }));
  return dir;
}

describe('containerCommand', () => {
  it('runs python3 commands as planned', () => {
    const command = { ...npmTest, command: 'python3', args: ['-m', 'pytest', '-q'] };
    expect(containerCommand(command, root)).toEqual({
      entrypoint: 'python3',
      args: ['-m', 'pytest', '-q'],
      env: {},
      mkdirs: [],
    });
  });

  it('splits orders-api’s test script: mkdir done before, quotes removed as sh would', () => {
    const dir = withScript(
      'orders',
      "mkdir -p coverage && NODE_ENV=test node --test --test-coverage-include='src/**' --test-reporter-destination=coverage/lcov.info",
    );
    expect(containerCommand(npmTest, dir)).toEqual({
      entrypoint: 'node',
      args: [
        '--test',
        '--test-coverage-include=src/**',
        '--test-reporter-destination=coverage/lcov.info',
      ],
      env: { NODE_ENV: 'test' },
      mkdirs: ['coverage'],
    });
  });

  it('runs a node_modules/.bin tool through node', () => {
    const dir = withScript('jest', 'jest --coverage');
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/jest/bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/jest/bin/jest.js'), '');
    symlinkSync('../jest/bin/jest.js', join(dir, 'node_modules/.bin/jest'));
    expect(containerCommand(npmTest, dir)).toMatchObject({
      entrypoint: 'node',
      args: ['node_modules/jest/bin/jest.js', '--coverage'],
    });
  });

  it.each([
    ['a pipe', 'node --test | tee out.txt'],
    ['a variable', 'node $FLAGS --test'],
    ['a glob', 'node --test test/*.js'],
    ['another program first', 'rm -rf coverage && node --test'],
    ['an unknown program', 'mocha'],
  ])('refuses %s, naming why', (_name, script) => {
    const dir = withScript(`refuse-${script.length}`, script);
    expect(() => containerCommand(npmTest, dir)).toThrow(ContainerTestUnsupportedError);
  });

  it('refuses tools the runtime image does not have', () => {
    expect(() => containerCommand({ ...npmTest, command: 'mvn', args: ['test'] }, root)).toThrow(
      /cannot run in a runtime base image/,
    );
  });
});

describe('countTests', () => {
  it('reads node:test’s spec summary and failing test names', () => {
    const lines = [
      '✔ an order is created and listed (18.3ms)',
      '✖ health endpoint answers ok (32.4ms)',
      'ℹ tests 2',
      'ℹ pass 1',
      'ℹ fail 1',
      '✖ failing tests:',
      '✖ health endpoint answers ok (32.4ms)',
    ];
    expect(countTests(lines)).toEqual({
      testsPassed: 1,
      testsFailed: 1,
      failedTests: ['health endpoint answers ok'],
    });
  });

  it('reads pytest’s summary and FAILED lines', () => {
    const lines = [
      'FAILED tests/test_items.py::test_health - AssertionError: assert 1 == 2',
      'ERROR tests/test_db.py::test_connect - OSError',
      '1 failed, 5 passed, 1 error in 0.94s',
    ];
    expect(countTests(lines)).toEqual({
      testsPassed: 5,
      testsFailed: 2,
      failedTests: ['tests/test_items.py::test_health', 'tests/test_db.py::test_connect'],
    });
  });

  it('knows nothing about output it does not recognise', () => {
    expect(countTests(['ok'])).toEqual({ testsPassed: null, testsFailed: null, failedTests: [] });
  });
});
