/**
 * engine/tools: the allow-list of external tools and the runners that execute them (issue 8).
 * `prodsprint tools list|load FILE|verify` are thin wrappers over listTools, loadToolBundle and
 * verifyTools.
 */
export {
  findToolEntry,
  loadToolManifest,
  parseToolManifest,
  sha256File,
  toolManifestSchema,
} from './manifest.ts';
export type { ToolEntry, ToolImage, ToolManifest } from './manifest.ts';
export { listTools, verifyTools } from './tool-status.ts';
export type {
  BinaryStatus,
  ImageStatus,
  ToolEnvironment,
  ToolListing,
  ToolVerification,
} from './tool-status.ts';
export { loadToolBundle, verifyToolBundle } from './bundle-load.ts';
export type { LoadToolBundleOptions, VerifiedBundle } from './bundle-load.ts';
export { ToolError } from './runner/tool-error.ts';
export type { ToolErrorReason } from './runner/tool-error.ts';
export { LocalRunner, resolveVerifiedBinary } from './runner/local-runner.ts';
export type { LocalRunnerOptions } from './runner/local-runner.ts';
export { DockerRunner, JOB_LABEL, TOOL_LABEL } from './runner/docker-runner.ts';
export type { ContainerLimits, DockerRunnerOptions } from './runner/docker-runner.ts';
export { sqliteRemoteRunJournal } from './runner/remote-runs.ts';
export type { RemoteRunJournal, RemoteRunRecord, RemoteRunState } from './runner/remote-runs.ts';
export type {
  ResumeOptions,
  ToolJob,
  ToolJobOutcome,
  ToolJobResult,
  ToolMount,
  ToolOutputLine,
  ToolRunner,
} from './runner/types.ts';
