/**
 * Runs an allowed tool as a local binary (issue 8): from a configured path, the manifest's
 * bundled path, or PATH; its sha256 checked against the manifest before every run; spawned
 * without a shell, in its own process group so cancel and timeout kill everything it started;
 * output streamed line by line through the redactor (STYLE.md point 9, after Headlamp).
 *
 * A local process cannot be re-attached after an engine restart (its pipes died with the
 * engine), so `resume` only reaches jobs of this process.
 */
import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import type { Redactor } from '../../secrets/redact.ts';
import { findExecutable } from '../detect.ts';
import { findToolEntry, sha256File } from '../manifest.ts';
import type { ToolManifest } from '../manifest.ts';
import { lineSink } from './line-stream.ts';
import type { RemoteRunJournal } from './remote-runs.ts';
import { ToolError } from './tool-error.ts';
import type {
  ResumeOptions,
  ToolJob,
  ToolJobOutcome,
  ToolJobResult,
  ToolOutputLine,
  ToolRunner,
} from './types.ts';

export interface LocalRunnerOptions {
  manifest: ToolManifest;
  /** Root that relative manifest paths are resolved from. */
  projectRoot: string;
  redactor: Redactor;
  /** Configured binary per tool name; wins over the manifest path and PATH. */
  binaryPaths?: Record<string, string>;
  /** Environment whose PATH bare binary names are looked up in (default process.env). */
  env?: NodeJS.ProcessEnv;
  defaultTimeoutMs?: number;
  journal?: RemoteRunJournal;
}

interface LocalJob {
  pid: number;
  listeners: Set<(line: ToolOutputLine) => void>;
  result: Promise<ToolJobResult>;
  kill(outcome: ToolJobOutcome): void;
}

/** Where an allowed tool's binary is, checked against its pinned sha256. */
export async function resolveVerifiedBinary(
  options: Pick<LocalRunnerOptions, 'manifest' | 'projectRoot' | 'binaryPaths' | 'env'>,
  tool: string,
): Promise<string> {
  const entry = findToolEntry(options.manifest, tool);
  if (!entry) {
    throw new ToolError(
      tool,
      'not-allowed',
      `${tool} is not in the tool manifest (bundled-tools/manifest.json), so it may not run`,
      `add ${tool} with its pinned sha256 to bundled-tools/manifest.json`,
    );
  }
  if (!entry.binary) {
    throw new ToolError(
      tool,
      options.binaryPaths?.[tool] ? 'not-pinned' : 'missing',
      `${tool} has no pinned binary in the tool manifest${entry.unavailable ? ` (${entry.unavailable})` : ''}`,
      entry.remediation,
    );
  }
  const wanted = options.binaryPaths?.[tool] ?? entry.binary.path;
  const path = wanted.includes('/')
    ? findExecutable(isAbsolute(wanted) ? wanted : join(options.projectRoot, wanted), options.env)
    : findExecutable(wanted, options.env);
  if (!path) {
    throw new ToolError(
      tool,
      'missing',
      `${tool} was not found (looked for ${wanted}${wanted.includes('/') ? '' : ' on PATH'})`,
      entry.remediation,
    );
  }
  const actual = await sha256File(path);
  if (actual !== entry.binary.sha256) {
    throw new ToolError(
      tool,
      'checksum-mismatch',
      `refusing to run ${path}: its sha256 is ${actual}, the manifest pins ${entry.binary.sha256} for ${tool} ${entry.version}`,
      `replace ${path} with the ${tool} ${entry.version} binary the manifest pins (or, if this binary is the one you trust, update bundled-tools/manifest.json)`,
    );
  }
  return path;
}

export class LocalRunner implements ToolRunner {
  readonly kind = 'local' as const;
  private readonly options: LocalRunnerOptions;
  private readonly jobs = new Map<string, LocalJob>();

  constructor(options: LocalRunnerOptions) {
    this.options = options;
  }

  async run(job: ToolJob): Promise<ToolJobResult> {
    if (this.jobs.has(job.jobId)) throw new Error(`job ${job.jobId} is already running`);
    const binary = await resolveVerifiedBinary(this.options, job.tool);
    const started = Date.now();
    if (job.signal?.aborted)
      return { jobId: job.jobId, outcome: 'cancelled', exitCode: null, durationMs: 0 };
    const child = spawn(binary, job.args, {
      shell: false,
      // Its own process group: cancel kills the tool and everything it spawned.
      detached: true,
      cwd: job.cwd,
      env: job.env ?? { PATH: '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new ToolError(
        job.tool,
        'missing',
        `could not start ${binary}: ${error.message}`,
        'check the binary is executable on this machine',
      );
    }
    const listeners = new Set<(line: ToolOutputLine) => void>();
    if (job.onLine) listeners.add(job.onLine);
    const fanOut = (line: ToolOutputLine) => {
      for (const listener of listeners) listener(line);
    };
    const out = lineSink(job.jobId, 'stdout', this.options.redactor, fanOut);
    const err = lineSink(job.jobId, 'stderr', this.options.redactor, fanOut);
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.write(chunk));

    let killedAs: ToolJobOutcome | undefined;
    const kill = (outcome: ToolJobOutcome) => {
      if (killedAs || child.exitCode !== null || child.signalCode !== null) return;
      killedAs = outcome;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timeoutMs = job.timeoutMs ?? this.options.defaultTimeoutMs ?? 10 * 60_000;
    const timer = setTimeout(() => kill('timed-out'), timeoutMs);
    const onAbort = () => kill('cancelled');
    job.signal?.addEventListener('abort', onAbort, { once: true });
    this.options.journal?.started(job.jobId, 'local', `pid:${pid}`);

    const result = new Promise<ToolJobResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        out.end();
        err.end();
        resolve({
          jobId: job.jobId,
          outcome: killedAs ?? 'exited',
          exitCode: killedAs ? null : code,
          durationMs: Date.now() - started,
        });
      });
    }).finally(() => {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      this.jobs.delete(job.jobId);
      this.options.journal?.finished(
        job.jobId,
        killedAs === 'cancelled' ? 'terminated' : 'finished',
      );
    });
    this.jobs.set(job.jobId, { pid, listeners, result, kill });
    return result;
  }

  async resume(jobId: string, options: ResumeOptions = {}): Promise<ToolJobResult | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    if (options.onLine) job.listeners.add(options.onLine);
    const onAbort = () => job.kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs
      ? setTimeout(() => job.kill('timed-out'), options.timeoutMs)
      : undefined;
    try {
      return await job.result;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async terminate(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.kill('cancelled');
    await job.result.catch(() => undefined);
  }

  async cleanup(jobId: string): Promise<void> {
    // A local job leaves no handle behind once it has ended; a running one is stopped.
    await this.terminate(jobId);
  }
}
