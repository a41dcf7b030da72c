/**
 * engine/git public surface (issue 5): import a repository from an internal Git server or a
 * local path, read-only, with limits and typed, redacted errors.
 */
export { importRepository } from './import-repository.ts';
export { syncCheckout } from './sync-checkout.ts';
export type { SyncCheckoutOptions, SyncedCheckout } from './sync-checkout.ts';
export type {
  ImportRepositoryOptions,
  ImportedRepository,
  ImportedSymlink,
} from './import-repository.ts';
export type { GitCredentials } from './credentials.ts';
export { GitImportError, isGitImportError } from './errors.ts';
export type { GitImportErrorKind } from './errors.ts';
export { DEFAULT_IMPORT_LIMITS } from './limits.ts';
export type { ImportLimits } from './limits.ts';
export { parseGitSource, stripUserinfo } from './source.ts';
export { commitFilesToBranch } from './write-branch.ts';
export type {
  CommitFilesOptions,
  CommitFilesResult,
  FileToCommit,
  GitAuthor,
} from './write-branch.ts';
export { prepareHotfixBranch, hotfixBranchName } from './hotfix-branch.ts';
export type { HotfixBranch, PrepareHotfixOptions } from './hotfix-branch.ts';
export type { GitRemote } from './push-branch.ts';
export { GitWriteError } from './write-errors.ts';
export type { GitWriteErrorKind } from './write-errors.ts';
