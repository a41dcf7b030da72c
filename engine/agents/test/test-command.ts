import { existsSync } from 'node:fs';
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
    case 'typescript':
      if (manager === 'pnpm') return command('pnpm', ['test'], NODE_COVERAGE);
      if (manager === 'yarn') return command('yarn', ['test'], NODE_COVERAGE);
      return command('npm', ['test'], NODE_COVERAGE);
    case 'python':
      return service.tests.value.framework === 'pytest'
        ? command('python3', ['-m', 'pytest', '-q'], ['coverage.json', 'coverage.xml'])
        : command('python3', ['-m', 'unittest', 'discover'], ['coverage.json', 'coverage.xml']);
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
