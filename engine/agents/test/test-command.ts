import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Service } from '../repo-auditor/index.ts';

/** How to run one service's tests, and where its coverage report will be afterwards. */
export interface TestCommand {
  service: string;
  /** Directory to run in, relative to the repository root. */
  dir: string;
  command: string;
  args: string[];
  /** Coverage reports the command can leave behind, in order of preference (relative to `dir`). */
  coverageFiles: string[];
}

export type TestPlan =
  | { ok: true; command: TestCommand }
  | { ok: false; service: string; reason: string; remedy: string };

const NODE_COVERAGE = ['coverage/lcov.info', 'coverage/cobertura-coverage.xml'];
const PYTHON_COVERAGE = ['coverage.json', 'coverage.xml'];
const PYTHON_MANIFESTS = [
  'requirements.txt',
  'requirements-dev.txt',
  'requirements-test.txt',
  'pyproject.toml',
  'setup.cfg',
  'Pipfile',
];

/**
 * The command a platform engineer would type for this service, from what the auditor found:
 * the language, the package manager and the test framework. Commands are argument arrays,
 * run without a shell; nothing here executes anything.
 */
export function planTests(service: Service, repoDir: string): TestPlan {
  const dir = service.path;
  const language = service.language?.value;
  const manager = service.packageManager?.value;
  if (!service.tests) {
    return {
      ok: false,
      service: service.name,
      reason: `no tests were found for ${service.name}`,
      remedy:
        'add tests; the plan proposes smoke tests for the detected health endpoint and routes',
    };
  }
  const command = (cmd: string, args: string[], coverageFiles: string[]): TestPlan => ({
    ok: true,
    command: { service: service.name, dir, command: cmd, args, coverageFiles },
  });
  switch (language) {
    case 'javascript':
    case 'typescript': {
      const browser = browserTestRunner(join(repoDir, dir));
      if (browser)
        return {
          ok: false,
          service: service.name,
          reason: `the tests of ${service.name} run in a browser (${browser}), which this machine cannot give them`,
          remedy:
            'run them in CI with a browser (the plan proposes the job); unit tests that need no browser run here when the "test" script runs them',
        };
      if (manager === 'pnpm') return command('pnpm', ['test'], NODE_COVERAGE);
      if (manager === 'yarn') return command('yarn', ['test'], NODE_COVERAGE);
      return command('npm', ['test'], NODE_COVERAGE);
    }
    case 'python':
      if (service.tests.value.framework !== 'pytest')
        return command('python3', ['-m', 'unittest', 'discover'], PYTHON_COVERAGE);
      // With pytest-cov declared, ask it for a report: Cobertura XML, which every pytest-cov
      // writes (JSON needs pytest-cov >= 4.1; Debian 12 ships 4.0). The project's own coverage
      // settings ([tool.coverage.run] source, .coveragerc) decide what is measured.
      return declaresPytestCov(join(repoDir, dir))
        ? command(
            'python3',
            ['-m', 'pytest', '-q', '--cov', '--cov-report=xml:coverage.xml'],
            ['coverage.xml', 'coverage.json'],
          )
        : command('python3', ['-m', 'pytest', '-q'], PYTHON_COVERAGE);
    case 'go':
      return command('go', ['test', './...', '-coverprofile=coverage.out'], ['coverage.out']);
    case 'java':
    case 'kotlin':
      if (manager === 'gradle') {
        const wrapper = existsSync(join(repoDir, dir, 'gradlew'));
        return command(
          wrapper ? './gradlew' : 'gradle',
          ['test'],
          ['build/reports/jacoco/test/jacocoTestReport.xml'],
        );
      }
      return command('mvn', ['-q', '-B', 'test'], ['target/site/jacoco/jacoco.xml']);
    default:
      return {
        ok: false,
        service: service.name,
        reason: `ProdSprint does not know how to run ${language ?? 'unknown-language'} tests`,
        remedy: 'set the test command for this service in the blueprint inputs',
      };
  }
}

/** Runners whose `test` script drives a real browser (Karma by default starts Chrome and watches). */
const BROWSER_RUNNERS: Array<[RegExp, string]> = [
  [/\bkarma\b|\bng test\b/, 'Karma'],
  [/\bcypress\b/, 'Cypress'],
  [/\bplaywright\b/, 'Playwright'],
  [/\bwdio\b|\bwebdriverio\b/, 'WebdriverIO'],
];

/** The browser runner the package's `test` script calls, if any. */
function browserTestRunner(serviceDir: string): string | undefined {
  const manifest = join(serviceDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  let script: string | undefined;
  try {
    script = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> })
      .scripts?.test;
  } catch {
    return undefined;
  }
  if (typeof script !== 'string') return undefined;
  return BROWSER_RUNNERS.find(([pattern]) => pattern.test(script.slice(0, 2000)))?.[1];
}

/** Whether the service's Python manifests list pytest-cov (so `--cov` is understood). */
function declaresPytestCov(serviceDir: string): boolean {
  return PYTHON_MANIFESTS.some((name) => {
    const file = join(serviceDir, name);
    return existsSync(file) && /(^|[^a-z0-9])pytest[-_.]cov\b/im.test(readFileSync(file, 'utf8'));
  });
}
