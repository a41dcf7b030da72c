/**
 * Smart-HTTP(S) fetch with isomorphic-git: resolve the branch from the advertised refs, then a
 * shallow, single-branch, tag-less clone without checkout (limits are checked on the tree
 * before any file is written, see limits.ts). Only the upload-pack service is ever contacted:
 * nothing here can write to the remote.
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { authorizationHeader } from './credentials.ts';
import type { GitCredentials } from './credentials.ts';
import { GitImportError, classifyNetworkCode } from './errors.ts';
import { createGitHttpClient } from './http-client.ts';
import { formatBytes } from './limits.ts';

export interface HttpFetchOptions {
  url: string;
  dir: string;
  branch?: string;
  credentials?: GitCredentials;
  ca?: string;
  timeoutMs: number;
  maxDownloadBytes: number;
}

export interface FetchResult {
  branch: string;
  commit: string;
  downloadedBytes: number;
}

export async function fetchOverHttp(options: HttpFetchOptions): Promise<FetchResult> {
  let downloadedBytes = 0;
  let overBudget = false;
  const http = createGitHttpClient({
    ...(options.ca ? { ca: options.ca } : {}),
    timeoutMs: options.timeoutMs,
    onBytes: (bytes) => {
      downloadedBytes += bytes;
      if (downloadedBytes > options.maxDownloadBytes) {
        overBudget = true;
        throw new GitImportError(
          'limit-exceeded',
          `the download passed the ${formatBytes(options.maxDownloadBytes)} size limit`,
        );
      }
    },
  });
  const headers: Record<string, string> = {};
  if (options.credentials && options.credentials.kind !== 'ssh-key')
    headers.authorization = authorizationHeader(options.credentials);
  // Without this, isomorphic-git would ask for credentials interactively-style and retry.
  const onAuthFailure = () => ({ cancel: true });

  try {
    const refs = await git.listServerRefs({
      http,
      url: options.url,
      headers: { ...headers },
      symrefs: true,
      onAuthFailure,
    });
    const branch = options.branch ?? defaultBranch(refs);
    const head = refs.find((ref) => ref.ref === `refs/heads/${branch}`);
    if (!head)
      throw new GitImportError(
        'branch-not-found',
        `branch "${branch}" does not exist on the server`,
      );
    await git.clone({
      fs,
      http,
      dir: options.dir,
      url: options.url,
      ref: branch,
      singleBranch: true,
      depth: 1,
      noTags: true,
      noCheckout: true,
      // A copy each time: isomorphic-git adds its protocol header to the object it is given.
      headers: { ...headers },
      onAuthFailure,
    });
    return { branch, commit: head.oid, downloadedBytes };
  } catch (error) {
    if (overBudget)
      throw new GitImportError(
        'limit-exceeded',
        `the download passed the ${formatBytes(options.maxDownloadBytes)} size limit`,
      );
    throw toImportError(error);
  }
}

function defaultBranch(refs: Array<{ ref: string; target?: string }>): string {
  const target = refs.find((ref) => ref.ref === 'HEAD')?.target;
  if (target?.startsWith('refs/heads/')) return target.slice('refs/heads/'.length);
  throw new GitImportError(
    'branch-not-found',
    'the server does not advertise a default branch (empty repository?)',
  );
}

function toImportError(error: unknown): GitImportError {
  if (error instanceof GitImportError) return error;
  const err = error as {
    code?: string;
    data?: { statusCode?: number };
    message?: string;
    cause?: { code?: string };
  };
  if (err.code === 'UserCanceledError')
    return new GitImportError('auth-failed', 'the Git server rejected the credentials');
  if (err.code === 'HttpError') {
    const status = err.data?.statusCode ?? 0;
    if (status === 401 || status === 403)
      return new GitImportError('auth-failed', `the Git server refused access (HTTP ${status})`);
    if (status === 404) {
      return new GitImportError('unreachable', 'no repository at this URL (HTTP 404)', {
        remediation: 'Check the repository path in the URL and that the account can see it.',
      });
    }
    return new GitImportError('clone-failed', `the Git server answered HTTP ${status}`);
  }
  const kind = classifyNetworkCode(err.code) ?? classifyNetworkCode(err.cause?.code);
  if (kind === 'unreachable')
    return new GitImportError(kind, `cannot reach the Git server (${err.code ?? err.cause?.code})`);
  if (kind === 'tls-failed')
    return new GitImportError(
      kind,
      `TLS verification of the Git server failed (${err.code ?? err.cause?.code})`,
    );
  return new GitImportError('clone-failed', `the fetch failed: ${err.message ?? String(error)}`);
}
