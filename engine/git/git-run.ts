/**
 * Runs system `git` for the write path with plumbing commands: argv only (no shell), the user's
 * and the machine's configuration kept out (no hook, filter or credential helper runs), English
 * messages, and stderr redacted into a GitWriteError on failure.
 */
import { execFile } from 'node:child_process';
import type { Redactor } from '../secrets/redact.ts';
import { GitWriteError, type GitWriteErrorKind } from './write-errors.ts';

export interface GitRunOptions {
  cwd: string;
  /** Extra environment (GIT_INDEX_FILE, author, GIT_SSH_COMMAND); values set by us only. */
  env?: Record<string, string>;
  input?: string | Uint8Array;
  redactor?: Redactor;
  timeoutMs?: number;
  /** What a failure is called; default `git-failed`. */
  kind?: GitWriteErrorKind;
}

export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'ssh:file:http:https',
    ...extra,
  };
}

/** stdout of `git args`, trimmed; throws GitWriteError (redacted) on a non-zero exit. */
export function runGit(args: string[], options: GitRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnv(options.env),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout.trim());
        const raw = `git ${args[0]} failed: ${(stderr || error.message).trim()}`;
        const message = options.redactor ? options.redactor.redact(raw) : raw;
        reject(new GitWriteError(options.kind ?? 'git-failed', message));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  try {
    return await runGit(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      { cwd },
    );
  } catch {
    return undefined;
  }
}

/** The absolute git directory of `repoDir` (a work tree or a bare repository). */
export async function gitDirOf(repoDir: string): Promise<string> {
  try {
    return await runGit(['rev-parse', '--absolute-git-dir'], { cwd: repoDir });
  } catch {
    throw new GitWriteError('not-a-repository', `${repoDir} is not a Git repository`);
  }
}

/** Refuses names git would not take as a branch. */
export async function checkBranchName(cwd: string, branch: string): Promise<void> {
  if (branch.startsWith('-') || branch.trim() !== branch)
    throw new GitWriteError('invalid-branch', `"${branch}" is not a valid branch name`);
  try {
    await runGit(['check-ref-format', '--branch', branch], { cwd });
  } catch {
    throw new GitWriteError('invalid-branch', `"${branch}" is not a valid branch name`);
  }
}

/** Refuses to move the branch the working tree has checked out (it would change under the user). */
export async function refuseCheckedOut(cwd: string, branch: string): Promise<void> {
  const head = await runGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd }).catch(() => '');
  if (head === `refs/heads/${branch}`)
    throw new GitWriteError(
      'branch-checked-out',
      `branch ${branch} is checked out in ${cwd}; it is never written to`,
    );
}
