/**
 * Typed failures of the git write path (branches with generated files, hotfix branches), each
 * with one remediation line. Messages are redacted before they are built: nothing here may carry
 * a credential.
 */
export type GitWriteErrorKind =
  | 'invalid-path'
  | 'invalid-branch'
  | 'not-a-repository'
  | 'ref-not-found'
  | 'branch-checked-out'
  | 'conflict'
  | 'auth-failed'
  | 'unreachable'
  | 'push-rejected'
  | 'git-failed';

const REMEDIATIONS: Record<GitWriteErrorKind, string> = {
  'invalid-path':
    'Use a relative path inside the repository without "..", ".git" or empty segments.',
  'invalid-branch': 'Use a branch name git accepts (see `git check-ref-format --branch`).',
  'not-a-repository': 'Point repoDir at a local clone of the project (the import keeps one).',
  'ref-not-found': 'Fetch the commit or pick a ref that exists in the local clone.',
  'branch-checked-out':
    'Pick another branch name: writing to the branch checked out in the working tree would change it under the user.',
  conflict: 'The branch moved while it was being written; run again.',
  'auth-failed':
    'Check the credentials in the secrets store and that the account may push to this repository.',
  unreachable: 'Check the remote URL and that the Git server is reachable from this machine.',
  'push-rejected':
    'The remote branch has commits this one does not: pick a new branch name or remove the remote branch.',
  'git-failed': 'Run again; if it keeps failing, check the repository with `git fsck`.',
};

export class GitWriteError extends Error {
  readonly kind: GitWriteErrorKind;
  readonly remediation: string;

  constructor(kind: GitWriteErrorKind, message: string) {
    super(message);
    this.name = 'GitWriteError';
    this.kind = kind;
    this.remediation = REMEDIATIONS[kind];
  }
}
