/**
 * The one error a Dockerfile gets when it cannot be built on the legacy builder as BuildKit
 * would build it (issue 14). It names the line and the feature, says why, and says what to
 * change or which input to supply: ProdSprint builds repositories' own Dockerfiles unchanged
 * whenever it can, so a refusal is the user's cue to edit one line, never a silent rewrite.
 */
export class UnsupportedDockerfileError extends Error {
  /** 1-based line of the instruction (0 when the whole file is concerned). */
  readonly line: number;
  /** What was refused, e.g. `RUN --mount=type=secret`, `ADD <https URL>`, `FROM target`. */
  readonly feature: string;
  readonly reason: string;
  readonly remedy: string;

  constructor(line: number, feature: string, reason: string, remedy: string) {
    if (!remedy.trim())
      throw new Error(`an unsupported Dockerfile error needs a remedy (${feature})`);
    super(
      `${line > 0 ? `Dockerfile line ${line}` : 'Dockerfile'}: ${feature} is not supported: ${reason}`,
    );
    this.name = 'UnsupportedDockerfileError';
    this.line = line;
    this.feature = feature;
    this.reason = reason;
    this.remedy = remedy;
  }
}
