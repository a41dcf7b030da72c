/**
 * System `git` through simple-git, with an environment that keeps the user's and the machine's
 * git configuration out: no credential helper can store a token, no global hook or filter runs,
 * no prompt can block a headless import, and messages are in English so classifyGitStderr works.
 */
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';

export interface SystemGitOptions {
  baseDir: string;
  timeoutMs: number;
  /** GIT_SSH_COMMAND, built by ssh-command.ts from fixed options and quoted paths only. */
  sshCommand?: string;
}

export function systemGit(options: SystemGitOptions): SimpleGit {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    // Defence in depth behind parseGitSource: git itself refuses any other transport.
    GIT_ALLOW_PROTOCOL: 'ssh:file',
  };
  if (options.sshCommand) env.GIT_SSH_COMMAND = options.sshCommand;
  return simpleGit({
    baseDir: options.baseDir,
    timeout: { block: options.timeoutMs },
    // GIT_SSH_COMMAND and GIT_CONFIG_GLOBAL are set by us from constants and quoted paths, never
    // from repository content or user text, which is what these guards exist for.
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeConfigPaths: true },
  }).env(env);
}

/** Single-quotes a value for the POSIX shell git runs GIT_SSH_COMMAND through. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface SshCommandOptions {
  privateKeyPath?: string;
  knownHostsPath?: string;
  connectTimeoutSeconds: number;
}

/**
 * The ssh command line for imports: host keys must already be known (StrictHostKeyChecking=yes,
 * never "accept-new"), no password prompt (BatchMode), only the given key is offered.
 */
export function buildSshCommand(options: SshCommandOptions): string {
  const parts = [
    'ssh',
    '-o BatchMode=yes',
    '-o StrictHostKeyChecking=yes',
    `-o ConnectTimeout=${Math.max(1, Math.round(options.connectTimeoutSeconds))}`,
  ];
  if (options.knownHostsPath)
    parts.push(`-o UserKnownHostsFile=${shellQuote(options.knownHostsPath)}`);
  if (options.privateKeyPath)
    parts.push('-o IdentitiesOnly=yes', `-i ${shellQuote(options.privateKeyPath)}`);
  return parts.join(' ');
}
