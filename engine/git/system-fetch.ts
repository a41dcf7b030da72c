/**
 * SSH and local-path fetches with the system git (isomorphic-git speaks HTTP only). Same shape
 * as the HTTP fetch: shallow, single branch, no tags, no checkout. Local paths go through
 * `file://` because git ignores --depth for plain paths (it hard-links the whole object store).
 */
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { GitImportError, classifyGitStderr } from './errors.ts';
import type { FetchResult } from './http-fetch.ts';
import type { GitTransport } from './source.ts';
import { buildSshCommand, systemGit } from './system-git.ts';

export interface SystemFetchOptions {
  transport: Exclude<GitTransport, 'http'>;
  url: string;
  dir: string;
  branch?: string;
  privateKeyPath?: string;
  knownHostsPath?: string;
  timeoutMs: number;
}

export async function fetchWithSystemGit(options: SystemFetchOptions): Promise<FetchResult> {
  let remote = options.url;
  if (options.transport === 'local') {
    const info = await stat(options.url).catch(() => undefined);
    if (!info?.isDirectory())
      throw new GitImportError('invalid-source', `no directory at ${options.url}`);
    remote = pathToFileURL(options.url).href;
  }
  const sshCommand =
    options.transport === 'ssh'
      ? buildSshCommand({
          connectTimeoutSeconds: options.timeoutMs / 1000,
          ...(options.privateKeyPath ? { privateKeyPath: options.privateKeyPath } : {}),
          ...(options.knownHostsPath ? { knownHostsPath: options.knownHostsPath } : {}),
        })
      : undefined;
  const git = systemGit({
    baseDir: process.cwd(),
    timeoutMs: options.timeoutMs,
    ...(sshCommand ? { sshCommand } : {}),
  });
  const args = ['--depth=1', '--single-branch', '--no-tags', '--no-checkout'];
  if (options.branch) args.push('--branch', options.branch);
  try {
    // `--` so a URL can never be read as an option, whatever parseGitSource let through.
    await git.raw(['clone', ...args, '--', remote, options.dir]);
  } catch (error) {
    const stderr = error instanceof Error ? error.message : String(error);
    const kind = classifyGitStderr(stderr);
    if (options.transport === 'local' && kind === 'unreachable') {
      throw new GitImportError('invalid-source', `${options.url} is not a Git repository`, {
        remediation:
          'Point at the root of a Git repository (a folder with .git), or run `git init` and commit first.',
      });
    }
    if (kind === 'branch-not-found')
      throw new GitImportError(
        kind,
        `branch "${options.branch ?? ''}" does not exist on the remote`,
      );
    throw new GitImportError(kind, `git clone failed: ${lastLine(stderr)}`);
  }
  const local = systemGit({ baseDir: options.dir, timeoutMs: options.timeoutMs });
  const commit = (
    await local.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')
  ).trim();
  if (!commit)
    throw new GitImportError(
      'branch-not-found',
      'the repository has no commits on its default branch (empty repository?)',
    );
  const branch = (await local.raw(['symbolic-ref', '--short', 'HEAD'])).trim();
  return { branch, commit, downloadedBytes: 0 };
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.at(-1) ?? 'unknown error';
}
