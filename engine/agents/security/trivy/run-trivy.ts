/**
 * Runs the Trivy binary directly (no shell), offline, with its cache in a directory the caller
 * owns. Everything Trivy prints that reaches an error message goes through the redactor first
 * (invariant 6): a secret scan's stderr can quote the secret it found.
 */
import { execFile } from 'node:child_process';
import type { Redactor } from '../../../secrets/redact.ts';

export interface TrivyRun {
  binary: string;
  /** TRIVY_CACHE_DIR; a temp dir per run or per engine. */
  cacheDir: string;
  redactor: Redactor;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TrivyOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Runs `trivy <args>`. Exit codes listed in `okExitCodes` (default: 0) resolve; any other
 * rejects with a redacted message. `--offline-scan` and `--quiet` are the caller's business.
 */
export function runTrivy(
  run: TrivyRun,
  args: string[],
  okExitCodes: number[] = [0],
): Promise<TrivyOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      run.binary,
      args,
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: run.cacheDir,
          TMPDIR: process.env.TMPDIR ?? '/tmp',
          TRIVY_CACHE_DIR: run.cacheDir,
          TRIVY_NO_PROGRESS: 'true',
        },
        timeout: run.timeoutMs ?? 120_000,
        maxBuffer: MAX_OUTPUT_BYTES,
        ...(run.signal ? { signal: run.signal } : {}),
      },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (!okExitCodes.includes(exitCode)) {
          const detail = run.redactor.redact(`${stderr}`.trim().split('\n').slice(-5).join('\n'));
          const cause =
            error && exitCode === -1 ? run.redactor.redact(error.message) : `exit code ${exitCode}`;
          reject(new Error(`trivy ${args[0] ?? ''} failed (${cause}): ${detail}`));
          return;
        }
        resolve({ stdout, stderr: run.redactor.redact(stderr), exitCode });
      },
    );
  });
}
