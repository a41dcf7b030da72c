/**
 * importRepository: fetch a repository (HTTP(S), SSH or a local path) into a fresh directory,
 * enforce the limits, and check out one branch. Read-only toward the remote (fetch only), and
 * nothing secret leaves: credentials are registered with the redactor first, every error message
 * is redacted, and the returned `repoUrl` (the one to store) carries no userinfo. Issue 5.
 */
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { Redactor } from '../secrets/redact.ts';
import { registerCredentials } from './credentials.ts';
import type { GitCredentials } from './credentials.ts';
import { GitImportError } from './errors.ts';
import { fetchOverHttp } from './http-fetch.ts';
import type { FetchResult } from './http-fetch.ts';
import { DEFAULT_IMPORT_LIMITS, checkRepoBytes, checkTreeLimits } from './limits.ts';
import type { ImportLimits } from './limits.ts';
import { parseGitSource } from './source.ts';
import type { GitTransport } from './source.ts';
import { fetchWithSystemGit } from './system-fetch.ts';
import { systemGit } from './system-git.ts';

export interface ImportRepositoryOptions {
  /** http(s):// or ssh:// URL, user@host:path, file:// URL or a local path. */
  source: string;
  /** Created by the import; must not exist or be empty. Removed again if the import fails. */
  destDir: string;
  /** Defaults to the remote's default branch. */
  branch?: string;
  credentials?: GitCredentials;
  /** PEM file of extra CAs for HTTPS servers signed by an internal PKI. */
  caBundlePath?: string;
  /** known_hosts for SSH; hosts not in it are refused (StrictHostKeyChecking=yes). */
  knownHostsPath?: string;
  limits?: Partial<ImportLimits>;
  /** The caller's redactor, so the secrets registered here are masked in its logs too. */
  redactor?: Redactor;
  timeoutMs?: number;
}

export interface ImportedSymlink {
  path: string;
  target: string;
  /** The target resolves outside the repository (absolute, or climbing above the root). */
  escapesRepo: boolean;
}

export interface ImportedRepository {
  dir: string;
  transport: GitTransport;
  /** Safe to store (projects.repo_url): userinfo stripped. */
  repoUrl: string;
  branch: string;
  commit: string;
  files: number;
  /** Bytes of the checked-out tree. */
  bytes: number;
  downloadedBytes: number;
  /** Symlinks in the tree: checked out as plain files holding the target, never followed. */
  symlinks: ImportedSymlink[];
}

export async function importRepository(
  options: ImportRepositoryOptions,
): Promise<ImportedRepository> {
  const redactor = options.redactor ?? new Redactor();
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const timeoutMs = options.timeoutMs ?? 120_000;
  let created = false;
  try {
    const source = parseGitSource(options.source);
    let credentials = options.credentials;
    if (source.embedded) {
      if (source.embedded.password.length >= 4) redactor.register(source.embedded.password);
      credentials ??= {
        kind: 'basic',
        username: source.embedded.username,
        password: source.embedded.password,
      };
    }
    registerCredentials(redactor, credentials);
    await prepareDestination(options.destDir);
    created = true;

    let fetched: FetchResult;
    if (source.transport === 'http') {
      const ca = options.caBundlePath ? await readCaBundle(options.caBundlePath) : undefined;
      fetched = await fetchOverHttp({
        url: source.url,
        dir: options.destDir,
        timeoutMs,
        maxDownloadBytes: limits.maxRepoBytes,
        ...(options.branch ? { branch: options.branch } : {}),
        ...(credentials ? { credentials } : {}),
        ...(ca ? { ca } : {}),
      });
    } else {
      fetched = await fetchWithSystemGit({
        transport: source.transport,
        url: source.url,
        dir: options.destDir,
        timeoutMs,
        ...(options.branch ? { branch: options.branch } : {}),
        ...(credentials?.kind === 'ssh-key' ? { privateKeyPath: credentials.privateKeyPath } : {}),
        ...(options.knownHostsPath ? { knownHostsPath: options.knownHostsPath } : {}),
      });
    }

    const git = systemGit({ baseDir: options.destDir, timeoutMs });
    const tree = await checkTreeLimits(git, fetched.commit, limits);
    checkRepoBytes(tree.bytes + fetched.downloadedBytes, limits);
    // Symlinks become plain files holding their target: nothing in an imported tree can point
    // outside it, whoever reads it later.
    await git.raw(['config', 'core.symlinks', 'false']);
    await git.raw(['checkout', '-q', '-f', fetched.commit, '--', '.']);
    await git.raw(['symbolic-ref', 'HEAD', `refs/heads/${fetched.branch}`]);

    return {
      dir: options.destDir,
      transport: source.transport,
      repoUrl: source.displayUrl,
      branch: fetched.branch,
      commit: fetched.commit,
      files: tree.files,
      bytes: tree.bytes,
      downloadedBytes: fetched.downloadedBytes,
      symlinks: await describeSymlinks(options.destDir, tree.symlinks),
    };
  } catch (error) {
    if (created) await rm(options.destDir, { recursive: true, force: true });
    throw redactError(error, redactor);
  }
}

async function readCaBundle(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new GitImportError('tls-failed', `cannot read the CA bundle at ${path}`, {
      remediation: 'Point caBundlePath at a readable PEM file with the internal CA certificate(s).',
    });
  }
}

async function prepareDestination(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new GitImportError('invalid-source', `destination ${dir} is not empty`, {
      remediation: 'Import into a new, empty directory.',
    });
  }
  await mkdir(dir, { recursive: true });
}

/** Link targets are short; a "symlink" blob is read only up to this many bytes. */
const MAX_LINK_BYTES = 4096;

async function describeSymlinks(dir: string, paths: string[]): Promise<ImportedSymlink[]> {
  const out: ImportedSymlink[] = [];
  for (const path of paths) {
    const handle = await open(posix.join(dir, path), 'r');
    const buffer = Buffer.alloc(MAX_LINK_BYTES);
    const { bytesRead } = await handle
      .read(buffer, 0, MAX_LINK_BYTES, 0)
      .finally(() => handle.close());
    const target = buffer.subarray(0, bytesRead).toString('utf8').trim();
    const resolved = posix.normalize(posix.join(posix.dirname(path), target));
    out.push({
      path,
      target,
      escapesRepo: posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../'),
    });
  }
  return out;
}

function redactError(error: unknown, redactor: Redactor): GitImportError {
  if (error instanceof GitImportError) {
    return new GitImportError(error.kind, redactor.redact(error.message), {
      remediation: error.remediation,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GitImportError('clone-failed', redactor.redact(message));
}
