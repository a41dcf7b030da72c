/**
 * Writes generated artifacts onto a branch of a local clone without touching the user's
 * checkout: blobs, a tree built in a temporary index (GIT_INDEX_FILE), a commit and a
 * compare-and-swap ref update, all plumbing; the working tree, the real index and HEAD are never
 * read or written. Idempotent: when the branch already holds exactly these files on top of its
 * parent, nothing is committed and the existing commit is returned (`changed: false`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '../secrets/redact.ts';
import { checkBranchName, gitDirOf, refuseCheckedOut, resolveCommit, runGit } from './git-run.ts';
import { checkRepoPath } from './paths.ts';
import { pushBranch, type GitRemote } from './push-branch.ts';
import { GitWriteError } from './write-errors.ts';

export interface GitAuthor {
  name: string;
  email: string;
  /** Author and committer date; now when absent. Fix it for byte-identical commits. */
  date?: Date;
}

export interface FileToCommit {
  /** Relative to the repository root, "/" separated. */
  path: string;
  content: string | Uint8Array;
  executable?: boolean;
}

export interface CommitFilesOptions {
  repoDir: string;
  /** Where a new branch starts; HEAD by default. An existing branch grows from its own tip. */
  baseRef?: string;
  branch: string;
  files: FileToCommit[];
  message: string;
  author: GitAuthor;
  remote?: GitRemote;
  /** Gets the remote's credentials registered; errors pass through it. */
  redactor?: Redactor;
}

export interface CommitFilesResult {
  branch: string;
  commit: string;
  /** False when the branch already held these files: no commit was made. */
  changed: boolean;
  pushed: boolean;
}

export async function commitFilesToBranch(options: CommitFilesOptions): Promise<CommitFilesResult> {
  const redactor = options.redactor ?? new Redactor();
  for (const file of options.files) checkRepoPath(file.path);
  const paths = options.files.map((f) => f.path);
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
  if (duplicate) throw new GitWriteError('invalid-path', `file path ${duplicate} is given twice`);
  const gitdir = await gitDirOf(options.repoDir);
  await checkBranchName(gitdir, options.branch);
  await refuseCheckedOut(gitdir, options.branch);

  const ref = `refs/heads/${options.branch}`;
  const existing = await resolveCommit(gitdir, ref);
  const baseRef = options.baseRef ?? 'HEAD';
  const parent = existing ?? (await resolveCommit(gitdir, baseRef));
  if (!parent)
    throw new GitWriteError(
      'ref-not-found',
      `${baseRef} does not name a commit in ${options.repoDir}`,
    );

  const tree = await buildTree(gitdir, parent, options.files);
  const parentTree = await runGit(['rev-parse', `${parent}^{tree}`], { cwd: gitdir });
  let commit = parent;
  const changed = tree !== parentTree;
  if (changed) {
    const date = (options.author.date ?? new Date()).toISOString();
    commit = await runGit(['commit-tree', tree, '-p', parent], {
      cwd: gitdir,
      input: options.message.endsWith('\n') ? options.message : `${options.message}\n`,
      env: {
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: options.author.name,
        GIT_COMMITTER_EMAIL: options.author.email,
        GIT_COMMITTER_DATE: date,
      },
    });
  }
  if (commit !== existing) await moveRef(gitdir, ref, commit, existing, options.message);
  let pushed = false;
  if (options.remote) {
    await pushBranch(gitdir, options.branch, options.remote, redactor);
    pushed = true;
  }
  return { branch: options.branch, commit, changed, pushed };
}

/** The parent's tree with the files written over it, built in a throwaway index. */
async function buildTree(gitdir: string, parent: string, files: FileToCommit[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prodsprint-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await runGit(['read-tree', parent], { cwd: gitdir, env });
    for (const file of files) {
      // --stdin without --path applies no attribute filter: the bytes are stored as given.
      const blob = await runGit(['hash-object', '-w', '--stdin'], {
        cwd: gitdir,
        input: file.content,
      });
      const mode = file.executable ? '100755' : '100644';
      await runGit(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file.path}`], {
        cwd: gitdir,
        env,
        kind: 'invalid-path',
      });
    }
    return await runGit(['write-tree'], { cwd: gitdir, env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Compare-and-swap: fails if the branch moved since it was read. */
export async function moveRef(
  gitdir: string,
  ref: string,
  commit: string,
  expected: string | undefined,
  reason: string,
): Promise<void> {
  const old = expected ?? '0'.repeat(commit.length);
  try {
    await runGit(['update-ref', '-m', `prodsprint: ${reason.split('\n')[0]}`, ref, commit, old], {
      cwd: gitdir,
    });
  } catch (error) {
    throw new GitWriteError(
      'conflict',
      `${ref} moved while it was written: ${(error as Error).message}`,
    );
  }
}
