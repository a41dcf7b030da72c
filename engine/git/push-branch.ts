/**
 * Pushes one branch to a remote. HTTP(S) goes through isomorphic-git with our HTTP client, so
 * the credentials stay in memory (an Authorization header), never in a URL, argv, environment
 * or file; SSH and local paths through system git (an SSH key file is passed by path only).
 * Never forced: a remote branch with other commits is a `push-rejected` error.
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { Redactor } from '../secrets/redact.ts';
import { authorizationHeader, registerCredentials, type GitCredentials } from './credentials.ts';
import { classifyNetworkCode } from './errors.ts';
import { stripUserinfo } from './source.ts';
import { runGit } from './git-run.ts';
import { createGitHttpClient } from './http-client.ts';
import { buildSshCommand } from './system-git.ts';
import { GitWriteError } from './write-errors.ts';

export interface GitRemote {
  /** http(s)://, ssh:// or user@host:path, or a local path; userinfo in a URL is refused. */
  url: string;
  credentials?: GitCredentials;
  /** PEM of an internal CA for HTTPS. */
  ca?: string;
  /** known_hosts for SSH (host keys must be known). */
  knownHostsPath?: string;
  timeoutMs?: number;
}

export async function pushBranch(
  gitdir: string,
  branch: string,
  remote: GitRemote,
  redactor: Redactor = new Redactor(),
): Promise<void> {
  registerCredentials(redactor, remote.credentials);
  if (/^https?:\/\//i.test(remote.url) && stripUserinfo(remote.url) !== remote.url)
    throw new GitWriteError(
      'unreachable',
      'the remote URL carries credentials: pass them as `credentials` instead',
    );
  const timeoutMs = remote.timeoutMs ?? 60_000;
  if (/^https?:\/\//i.test(remote.url))
    return pushOverHttp(gitdir, branch, remote, redactor, timeoutMs);
  const env: Record<string, string> = {};
  if (remote.credentials?.kind === 'ssh-key' || remote.knownHostsPath)
    env.GIT_SSH_COMMAND = buildSshCommand({
      ...(remote.credentials?.kind === 'ssh-key'
        ? { privateKeyPath: remote.credentials.privateKeyPath }
        : {}),
      ...(remote.knownHostsPath ? { knownHostsPath: remote.knownHostsPath } : {}),
      connectTimeoutSeconds: 15,
    });
  try {
    await runGit(
      [
        'push',
        '--porcelain',
        '--end-of-options',
        remote.url,
        `refs/heads/${branch}:refs/heads/${branch}`,
      ],
      { cwd: gitdir, env, redactor, timeoutMs },
    );
  } catch (error) {
    const message = (error as Error).message;
    const kind = /rejected|non-fast-forward|fetch first/i.test(message)
      ? 'push-rejected'
      : /Permission denied|Authentication failed|publickey/i.test(message)
        ? 'auth-failed'
        : /Could not read from remote|does not appear to be a git repository|Connection refused|Could not resolve/i.test(
              message,
            )
          ? 'unreachable'
          : 'git-failed';
    throw new GitWriteError(kind, message);
  }
}

async function pushOverHttp(
  gitdir: string,
  branch: string,
  remote: GitRemote,
  redactor: Redactor,
  timeoutMs: number,
): Promise<void> {
  const http = createGitHttpClient({
    ...(remote.ca ? { ca: remote.ca } : {}),
    timeoutMs,
    onBytes: () => undefined,
  });
  const headers: Record<string, string> = {};
  if (remote.credentials && remote.credentials.kind !== 'ssh-key')
    headers.authorization = authorizationHeader(remote.credentials);
  try {
    const result = await git.push({
      fs,
      http,
      gitdir,
      url: remote.url,
      ref: `refs/heads/${branch}`,
      remoteRef: `refs/heads/${branch}`,
      headers,
      // Without this isomorphic-git would retry the same credentials.
      onAuthFailure: () => ({ cancel: true }),
    });
    const status = result.refs[`refs/heads/${branch}`];
    if (!result.ok || (status && !status.ok))
      throw new GitWriteError(
        'push-rejected',
        redactor.redact(
          `the remote refused ${branch}: ${status?.error ?? result.error ?? 'rejected'}`,
        ),
      );
  } catch (error) {
    if (error instanceof GitWriteError) throw error;
    throw toWriteError(error, redactor);
  }
}

function toWriteError(error: unknown, redactor: Redactor): GitWriteError {
  const err = error as {
    code?: string;
    data?: { statusCode?: number; reason?: string };
    message?: string;
    cause?: { code?: string };
  };
  if (err.code === 'UserCanceledError')
    return new GitWriteError('auth-failed', 'the Git server rejected the credentials');
  if (err.code === 'HttpError') {
    const status = err.data?.statusCode ?? 0;
    if (status === 401 || status === 403)
      return new GitWriteError('auth-failed', `the Git server refused the push (HTTP ${status})`);
    return new GitWriteError('unreachable', `the Git server answered HTTP ${status}`);
  }
  if (err.code === 'PushRejectedError' || err.code === 'GitPushError')
    return new GitWriteError(
      'push-rejected',
      redactor.redact(`the remote refused the push: ${err.message ?? ''}`),
    );
  if (classifyNetworkCode(err.code) ?? classifyNetworkCode(err.cause?.code))
    return new GitWriteError(
      'unreachable',
      `cannot reach the Git server (${err.code ?? err.cause?.code})`,
    );
  return new GitWriteError(
    'git-failed',
    redactor.redact(`the push failed: ${err.message ?? String(error)}`),
  );
}
