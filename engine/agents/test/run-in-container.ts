/**
 * Runs one service's tests in a throwaway container of a runtime image (issue 10): the repo is
 * copied in (putArchive), the planned command runs as uid 1000 with no network (or only an
 * internal one, to its throwaway databases: ephemeral-datastores.ts), every capability dropped
 * and limits on; the coverage report is copied out (getArchive) and read from the archive by
 * name, so nothing the container wrote is ever extracted onto the host (no path traversal); the
 * container is removed whatever happens.
 *
 * Why not the ToolRunner's DockerRunner: it runs only images pinned in the tool manifest (the
 * runtime base is built locally from the host and never pinned there), with a read-only root fs
 * and bind mounts; tests must write their reports, and bind mounts would not reach a remote
 * Docker Engine, while the archive API does. Its hardening is mirrored here.
 */
import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redactor } from '../../secrets/redact.ts';
import { filesArchive } from '../../targets/docker/files-archive.ts';
import { indexTar, readMember } from '../../tools/docker-archive.ts';
import { lineSink } from '../../tools/runner/line-stream.ts';
import { containerCommand, type ContainerCommand } from './container-command.ts';
import { parseCoverage } from './coverage/parse-coverage.ts';
import type { TestRun } from './run-tests.ts';
import { countTests, type TestCounts } from './test-counts.ts';
import type { TestCommand, TestPlan } from './test-command.ts';

export const TEST_RUN_LABEL = 'prodsprint.test-run';
const WORKDIR = '/app';
const TAIL_LINES = 40;

export interface RunTestsInContainerOptions {
  docker: Docker;
  /** The repository root; the plan's `dir` is relative to it. */
  repoDir: string;
  /** From planTests (a plan that is not ok throws its reason). */
  plan: TestPlan | TestCommand;
  /** A runtime image, e.g. ensureRuntimeBaseImage(docker, 'node').image. */
  image: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default: a fresh Redactor (known secret shapes). */
  redactor?: Redactor;
  /** Every output line, redacted, as it comes. */
  onOutput?(line: string): void;
  /**
   * A Docker network to join instead of none: startEphemeralDatastores' internal network, so
   * the tests reach their databases and still nothing outside.
   */
  network?: string;
  /** Added to the container's environment (e.g. DATABASE_URL); the plan's own env wins. */
  env?: Record<string, string>;
  /**
   * Files the container gets before it starts, absolute path → content, read-only (0444): the
   * compose secrets the code reads (startTestDatastores' `files`). Secrets: put in from memory
   * through the archive API, never written to the host, never logged.
   */
  files?: Record<string, string>;
  /**
   * The image already holds the code and its installed dependencies (a test image, issue 14):
   * nothing is copied in, and the command runs with the image's shell from `workdir`, as a CI
   * job would run it.
   */
  prepared?: { workdir: string };
}

export type ContainerTestRun = TestRun & TestCounts;

export async function runTestsInContainer(
  options: RunTestsInContainerOptions,
): Promise<ContainerTestRun> {
  const command = commandOf(options.plan);
  const redactor = options.redactor ?? new Redactor();
  const serviceDir = join(options.repoDir, command.dir);
  const run = options.prepared ? shellCommand(command) : containerCommand(command, serviceDir);
  const workdir =
    options.prepared?.workdir ?? posix.join(WORKDIR, command.dir.split('\\').join('/'));
  const staging = mkdtempSync(join(tmpdir(), 'prodsprint-test-ctx-'));
  const started = Date.now();
  let container: Docker.Container | undefined;
  try {
    if (!options.prepared) {
      // A copy, so the directories the script would have made exist and the repo stays untouched.
      const copy = join(staging, 'app');
      cpSync(options.repoDir, copy, {
        recursive: true,
        filter: (source) => basename(source) !== '.git',
      });
      for (const dir of run.mkdirs) mkdirSync(join(copy, command.dir, dir), { recursive: true });
    }

    if (options.network) await mustBeInternal(options.docker, options.network);
    container = await options.docker.createContainer({
      name: `prodsprint-test-${randomUUID().slice(0, 12)}`,
      Image: options.image,
      Entrypoint: [run.entrypoint],
      Cmd: run.args,
      WorkingDir: workdir,
      User: '1000:1000',
      Env: Object.entries({ CI: 'true', HOME: WORKDIR, ...options.env, ...run.env }).map(
        ([k, v]) => `${k}=${v}`,
      ),
      Labels: { [TEST_RUN_LABEL]: command.service },
      HostConfig: {
        NetworkMode: options.network ?? 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: 2 * 1024 * 1024 * 1024,
        PidsLimit: 512,
        AutoRemove: false,
      },
    });
    if (!options.prepared) await container.putArchive(tarOf(staging), { path: '/' });
    if (options.files && Object.keys(options.files).length > 0)
      await container.putArchive(filesArchive(options.files), { path: '/' });
    const tail: string[] = [];
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onOutput?.(line);
    };
    const all: string[] = [];
    const { exitCode, timedOut, cancelled } = await runToEnd(options, container, redactor, (l) => {
      all.push(l);
      onLine(l);
    });
    const coverage = await copyCoverage(container, workdir, command.coverageFiles, staging);
    return {
      service: command.service,
      command: [command.command, ...command.args].join(' '),
      exitCode,
      passed: exitCode === 0 && !timedOut && !cancelled,
      timedOut,
      durationMs: Date.now() - started,
      outputTail: tail,
      ...coverage,
      ...countTests(all),
    };
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Tests run untrusted code: a network they join must have no route out. */
async function mustBeInternal(docker: Docker, network: string): Promise<void> {
  const info = (await docker.getNetwork(network).inspect()) as { Internal?: boolean };
  if (!info.Internal)
    throw new Error(`network ${network} is not internal: tests may only join one with no egress`);
}

/** The planned command as one `sh -c` line, each word quoted for the shell. */
function shellCommand(command: TestCommand): ContainerCommand {
  const line = [command.command, ...command.args].map(shellWord).join(' ');
  return { entrypoint: '/bin/sh', args: ['-c', line], env: {}, mkdirs: [] };
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function commandOf(plan: TestPlan | TestCommand): TestCommand {
  if (!('ok' in plan)) return plan;
  if (!plan.ok) throw new Error(`${plan.reason}; ${plan.remedy}`);
  return plan.command;
}

/** The staging dir's `app/` as a tar owned by uid 1000 (the user the tests run as). */
function tarOf(staging: string): NodeJS.ReadableStream {
  const tar = spawn(
    'tar',
    ['-C', staging, '--owner=1000', '--group=1000', '--numeric-owner', '-c', 'app'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return tar.stdout;
}

async function runToEnd(
  options: RunTestsInContainerOptions,
  container: Docker.Container,
  redactor: Redactor,
  onLine: (line: string) => void,
): Promise<{ exitCode: number | null; timedOut: boolean; cancelled: boolean }> {
  const stream = (await container.attach({
    stream: true,
    stdout: true,
    stderr: true,
  })) as NodeJS.ReadableStream;
  const out = lineSink('tests', 'stdout', redactor, (line) => onLine(line.line));
  const err = lineSink('tests', 'stderr', redactor, (line) => onLine(line.line));
  const sink = (target: typeof out) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        target.write(chunk);
        callback();
      },
    });
  options.docker.modem.demuxStream(stream, sink(out), sink(err));
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  let timedOut = false;
  let cancelled = false;
  const kill = () => container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
  const timer = setTimeout(
    () => {
      timedOut = true;
      void kill();
    },
    options.timeoutMs ?? 15 * 60_000,
  );
  const onAbort = () => {
    cancelled = true;
    void kill();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await ended;
    out.end();
    err.end();
    return { exitCode: timedOut || cancelled ? null : StatusCode, timedOut, cancelled };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The first coverage report that exists, read by name from the container's archive. */
async function copyCoverage(
  container: Docker.Container,
  workdir: string,
  candidates: string[],
  staging: string,
): Promise<Pick<TestRun, 'coverage' | 'coverageFile' | 'coverageMissing'>> {
  for (const candidate of candidates) {
    const archive = join(staging, `coverage-${candidates.indexOf(candidate)}.tar`);
    try {
      const stream = (await container.getArchive({
        path: posix.join(workdir, candidate),
      })) as NodeJS.ReadableStream;
      await pipeline(stream, createWriteStream(archive));
    } catch {
      continue; // not there (404): try the next one
    }
    // The archive holds the one file under its base name; only that member is read.
    const member = (await indexTar(archive)).get(posix.basename(candidate));
    if (!member) continue;
    const text = (await readMember(archive, member)).toString('utf8');
    try {
      return {
        coverage: parseCoverage(text, candidate),
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
