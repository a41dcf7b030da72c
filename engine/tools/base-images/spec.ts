/** What ensureRuntimeBaseImage needs to know to build one runtime image. */
export interface RootSpec {
  /** `local/<runtime>:base`. */
  image: string;
  /** Hash of every input; the image's label. Equal hash = nothing to rebuild. */
  hash: string;
  /** Dockerfile-style changes for `docker import` (ENTRYPOINT, WORKDIR, ENV). */
  changes: string[];
  /** Builds the root fs in a new temporary directory and returns it (the caller removes it). */
  assemble(): string | Promise<string>;
}
