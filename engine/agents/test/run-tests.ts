import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Redactor } from '../../secrets/redact.ts';
import { findExecutable } from '../../tools/detect.ts';
import { parseCoverage, type CoverageReport } from './coverage/parse-coverage.ts';
import type { TestCommand } from './test-command.ts';

export interface TestRun {
  service: string;
  command: string;
  exitCode: number | null;
  passed: boolean;
  timedOut: boolean;
  durationMs: number;
  /** The last lines of output, redacted, for the gate's message. */
  outputTail: string[];
  coverage: CoverageReport | null;
  coverageFile: string | null;
  /** Why there is no coverage, when there is none. */
  coverageMissing: string | null;
}

export interface RunTestsOptions {
  repoDir: string;
  redactor: Redactor;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Every output line, redacted, as it comes (progress for the run's events). */
  onLine?: (line: string) => void;
}

/** A test command cannot start: the tool is missing. The gate blocks with the remedy. */
export class TestToolMissingError extends Error {
  readonly remedy: string;
  constructor(command: string) {
    super(`${command} is not installed on this machine, so the tests cannot run`);
    this.name = 'TestToolMissingError';
    this.remedy = `install ${command}, or run the tests in the service's container (the default once tool images are loaded)`;
  }
}

const TAIL_LINES = 40;

/**
 * Runs one service's tests as a local process (with the user's consent; containers come through
 * the ToolRunner): no shell, its own process group so a timeout or cancel stops everything it
 * started, output redacted line by line, then reads whichever coverage report it left.
 */
export async function runTests(command: TestCommand, options: RunTestsOptions): Promise<TestRun> {
  const env = { ...process.env, ...options.env, CI: 'true' };
  const cwd = join(options.repoDir, command.dir);
  const executable = command.command.startsWith('./')
    ? join(cwd, command.command)
    : findExecutable(command.command, env);
  if (!executable || !existsSync(executable)) throw new TestToolMissingError(command.command);

  const started = Date.now();
  const tail: string[] = [];
  const child = spawn(executable, command.args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopGroup = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      stopGroup();
    },
    options.timeoutMs ?? 15 * 60_000,
  );
  options.signal?.addEventListener('abort', stopGroup, { once: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (raw) => {
      const line = options.redactor.redact(raw);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    });
  }
  const exitCode = await new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', stopGroup);

  const { coverage, coverageFile, coverageMissing } = readCoverage(cwd, command.coverageFiles);
  return {
    service: command.service,
    command: [command.command, ...command.args].join(' '),
    exitCode,
    passed: exitCode === 0 && !timedOut && !options.signal?.aborted,
    timedOut,
    durationMs: Date.now() - started,
    outputTail: tail,
    coverage,
    coverageFile,
    coverageMissing,
  };
}

function readCoverage(cwd: string, candidates: string[]) {
  for (const candidate of candidates) {
    const file = join(cwd, candidate);
    if (!existsSync(file)) continue;
    try {
      return {
        coverage: parseCoverage(readFileSync(file, 'utf8'), candidate),
        coverageFile: candidate,
        coverageMissing: null,
      };
    } catch (error) {
      return { coverage: null, coverageFile: candidate, coverageMissing: (error as Error).message };
    }
  }
  return {
    coverage: null,
    coverageFile: null,
    coverageMissing: `no coverage report found (looked for ${candidates.join(', ')}); configure the test command to write one`,
  };
}
