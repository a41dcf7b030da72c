/**
 * Why a tool could not run. The gate that needs the tool blocks with `message` and
 * `remediation` (ARCHITECTURE.md invariant 5): a missing or tampered tool never passes silently.
 */
export type ToolErrorReason =
  | 'not-allowed' // not in bundled-tools/manifest.json
  | 'missing' // allowed, but no binary / image here
  | 'checksum-mismatch' // binary differs from the manifest's sha256
  | 'digest-mismatch' // image (or bundle) differs from the manifest's digest
  | 'not-pinned' // the manifest has no checksum / digest to check against
  | 'pull-refused'; // the image is absent and no internal registry is configured

export class ToolError extends Error {
  readonly tool: string;
  readonly reason: ToolErrorReason;
  readonly remediation: string;

  constructor(tool: string, reason: ToolErrorReason, message: string, remediation: string) {
    super(message);
    this.name = 'ToolError';
    this.tool = tool;
    this.reason = reason;
    this.remediation = remediation;
  }
}
