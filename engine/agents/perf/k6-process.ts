/**
 * Starts the k6 binary: no shell, its own process group (so abort and the time limit kill
 * whatever it started), and only the last lines of stderr kept, because k6 logs a warning per
 * failed request and a long run against a broken route must not fill memory.
 */
import { execFile, spawn } from 'node:child_process';

const STDERR_TAIL_CHARS = 8 * 1024;
const STDERR_TAIL_LINES = 12;

export interface K6Invocation {
  args: string[];
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The environment k6 runs in. k6 reads every K6_* variable as an option (K6_OUT could send
 * results off the machine), so nothing is inherited but what finding programs and a home
 * directory need; the usage report k6 otherwise sends home is off.
 */
export function k6Environment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    ...(env.PATH ? { PATH: env.PATH } : {}),
    ...(env.HOME ? { HOME: env.HOME } : {}),
    K6_NO_USAGE_REPORT: 'true',
  };
}

/** `k6 version` prints `k6 v1.0.0 (commit/..., go1.24.2, linux/amd64)`; this keeps `1.0.0`. */
export function k6Version(path: string, env = k6Environment()): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['version'], { env, timeout: 10_000, maxBuffer: 1 << 16 }, (_e, stdout) => {
      resolve(/\bv?(\d+\.\d+\.\d+[\w.+-]*)/.exec(stdout)?.[1]);
    });
  });
}

/** Runs k6 to its end; rejects on abort, on the time limit and on a non-zero exit. */
export function runK6(path: string, invocation: K6Invocation): Promise<void> {
  const { signal } = invocation;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const child = spawn(path, invocation.args, {
    shell: false,
    detached: true,
    env: invocation.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let stopped: Error | undefined;
  const stop = (reason: Error) => {
    if (stopped || child.pid === undefined || child.exitCode !== null) return;
    stopped = reason;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(
    () =>
      stop(new Error(`k6 did not finish within ${invocation.timeoutMs / 1000} s and was killed`)),
    invocation.timeoutMs,
  );
  const onAbort = () => stop(abortReason(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<void>((resolve, reject) => {
    child.once('error', (error) =>
      reject(new Error(`could not start k6 at ${path}: ${error.message}`)),
    );
    child.once('close', (code, killedBy) => {
      if (stopped) return reject(stopped);
      if (code === 0) return resolve();
      const tail = stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
      reject(
        new Error(
          `k6 exited with ${code === null ? `signal ${killedBy}` : `code ${code}`}${tail ? `; its last output:\n${tail}` : ' and printed nothing'}`,
        ),
      );
    });
  }).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('the k6 run was aborted', 'AbortError');
}
