/**
 * The hotfix branch a rollback prepares (issue 9): `hotfix/<version>-from-<short>` at the last
 * known good commit, created as a ref only (the working tree is never touched) and optionally
 * pushed. Idempotent, and it never moves a hotfix branch that exists: people may already be
 * committing the fix on it.
 */
import { Redactor } from '../secrets/redact.ts';
import { checkBranchName, gitDirOf, resolveCommit } from './git-run.ts';
import { pushBranch, type GitRemote } from './push-branch.ts';
import { moveRef } from './write-branch.ts';
import { GitWriteError } from './write-errors.ts';

export interface PrepareHotfixOptions {
  repoDir: string;
  /** The last known good commit (a sha, tag or branch). */
  fromRef: string;
  releaseId: string;
  /** The version rolled back; part of the branch name. */
  version: string;
  remote?: GitRemote;
  redactor?: Redactor;
}

export interface HotfixBranch {
  branch: string;
  /** Where the branch points (the good commit, or the branch's tip when it already existed). */
  commit: string;
  changed: boolean;
  pushed: boolean;
}

/** `hotfix/<version>-from-<7 hex>`, the version reduced to characters safe in a ref name. */
export function hotfixBranchName(version: string, commit: string): string {
  const safe =
    version.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|[.-]+$|\.{2,}|\.lock$/g, '') ||
    'release';
  return `hotfix/${safe}-from-${commit.slice(0, 7)}`;
}

export async function prepareHotfixBranch(options: PrepareHotfixOptions): Promise<HotfixBranch> {
  const gitdir = await gitDirOf(options.repoDir);
  const good = await resolveCommit(gitdir, options.fromRef);
  if (!good)
    throw new GitWriteError(
      'ref-not-found',
      `${options.fromRef} does not name a commit in ${options.repoDir}`,
    );
  const branch = hotfixBranchName(options.version, good);
  await checkBranchName(gitdir, branch);
  const ref = `refs/heads/${branch}`;
  const existing = await resolveCommit(gitdir, ref);
  if (!existing)
    await moveRef(gitdir, ref, good, undefined, `hotfix for release ${options.releaseId}`);
  let pushed = false;
  if (options.remote) {
    await pushBranch(gitdir, branch, options.remote, options.redactor ?? new Redactor());
    pushed = true;
  }
  return { branch, commit: existing ?? good, changed: !existing, pushed };
}
