/**
 * The audit chain's public surface (issue 4). The CLI and API adapters call these; everything
 * else in engine/audit is internal.
 *
 *   openAuditLog        workstation key (made on first run) + the signing AuditSink
 *   exportAuditBundle   `prodsprint audit export [--project] [--from --to] -o FILE`
 *   verifyAuditBundle   `prodsprint audit verify FILE` (offline, pure Node)
 *   verifyLiveChain     `prodsprint audit verify` on the live database
 */
export type { AuditActor, AuditEvent, AuditSink } from './audit-sink.ts';
export { openAuditLog, type AuditLog, type OpenAuditLogOptions } from './workstation.ts';
export { SignedAuditSink, type SignedAuditSinkOptions } from './signed-audit-sink.ts';
export {
  exportAuditBundle,
  type ExportAuditBundleOptions,
  type ExportAuditBundleResult,
} from './bundle-export.ts';
export {
  verifyAuditBundle,
  verifyAuditBundleBytes,
  type BundleProblem,
  type BundleVerifyResult,
  type VerifyBundleOptions,
} from './bundle-verify.ts';
export {
  verifyLiveChain,
  type LiveProblem,
  type LiveVerifyOptions,
  type LiveVerifyResult,
} from './live-verify.ts';
export { extractArchive } from './safe-extract.ts';
export { ArchiveError, DEFAULT_LIMITS, type ArchiveLimits } from './ustar.ts';
export { rotateWorkstationKey, type RotateOptions } from './key-rotation.ts';
export { signApproval, verifyApproval, type PlanApproval } from './approvals.ts';
export {
  createOperatorKey,
  recordApproval,
  type CreateOperatorKeyOptions,
} from './operator-keys.ts';
export { generateAuditKey, keyIdOf, type AuditKeyPair, type PublicAuditKey } from './keys.ts';
export {
  readKeyFile,
  writeKeyFile,
  workstationKeyFile,
  KeyFileError,
  type KeyProtection,
} from './key-file.ts';
export { registerPublicKey, listAuditKeys, type AuditKeyRecord } from './key-registry.ts';
export { signTreeHead, listTreeHeads, type SignedTreeHead } from './tree-head.ts';
export { GENESIS_PREV_HASH } from './entry.ts';
