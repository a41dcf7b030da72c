/**
 * Repo auditor public surface (issue 5): the fingerprint schema and the audit entry points.
 * `auditRepository(dir)` audits a checkout on disk; `auditTree(reader)` is the pure core.
 */
export { auditRepository, auditTree, repoAuditor } from './audit.ts';
export { FINGERPRINT_VERSION, Fingerprint, Gap, GapId, Service } from './fingerprint.ts';
export type { Claim, Evidence } from './fingerprint.ts';
export { FsTreeReader } from './fs-tree-reader.ts';
export { MemoryTreeReader } from './tree-reader.ts';
export type { FileTreeReader, TreeListing } from './tree-reader.ts';
export { folderInside, generatedContextOf, installRootOf, serviceDirOf } from './install-root.ts';
export { pnpmInstallOf, pnpmSpecOf } from './pnpm-version.ts';
