import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CHILD_ENTRY = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
export const SPRINT_CHILD_ENTRY = fileURLToPath(new URL('./sprint-child.ts', import.meta.url));

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last line the child printed: the finished run as JSON. */
  stdout: string;
  stderr: string;
}

/** Starts the engine child with `env`; `killAfterMs` SIGKILLs it from outside that long after its engine started. */
export function runChild(
  env: Record<string, string>,
  killAfterMs?: number,
  entry = CHILD_ENTRY,
): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfterMs !== undefined && timer === undefined && stdout.startsWith('started\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout.trim().split('\n').at(-1) ?? '', stderr });
    });
  });
}
