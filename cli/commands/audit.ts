import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { renderFingerprint } from '../render-fingerprint.ts';

export function registerAudit(program: Command, run: CommandRunner): void {
  const audit = program
    .command('audit')
    .description(
      "audit a project's checkout again (services, ports, env vars, tests, gaps), or export and verify the signed audit chain",
    )
    .argument('[projectId]', 'the project to audit (see `prodsprint projects`)')
    .addHelpText(
      'after',
      '\nWith --json, `audit <projectId>` prints the fingerprint itself; every claim carries file:line evidence.',
    )
    .action((projectId: string | undefined, _options, command: Command) =>
      run(command, async ({ engine, emit, mode }) => {
        if (!projectId) {
          mode.io.stderr(command.helpInformation());
          return EXIT.usage;
        }
        const { fingerprint } = await engine.invoke('projects.audit', { projectId });
        emit(fingerprint, renderFingerprint);
        return 0;
      }),
    );

  audit
    .command('export')
    .description(
      'write the signed audit chain (or a slice) as a bundle an auditor verifies offline; see VERIFY.md inside',
    )
    .requiredOption('-o, --out <file>', 'bundle file to write (.tar.gz)')
    .option('--project <projectId>', 'only entries about this project')
    .option('--from <time>', 'only entries at or after this ISO-8601 time')
    .option('--to <time>', 'only entries at or before this ISO-8601 time')
    .action(
      (options: { out: string; project?: string; from?: string; to?: string }, command: Command) =>
        run(command, async ({ engine, emit, progress }) => {
          progress('exporting the audit chain');
          const result = await engine.invoke('audit.export', {
            outFile: options.out,
            ...(options.project ? { projectId: options.project } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
          });
          emit(result, (r) =>
            [
              `Wrote ${r.file}: ${r.entries} entries, ${r.bytes} bytes`,
              `  sha256      ${r.sha256}`,
              `  tree head   size ${r.treeSize}, root ${r.rootHash}`,
              `  signed by   ${r.signerKeyId}`,
              ...(r.missingArtifacts.length
                ? [
                    `  ${r.missingArtifacts.length} referenced artifact(s) missing; listed in the bundle`,
                  ]
                : []),
              '',
              `Verify with \`prodsprint audit verify ${r.file}\`, or by hand following VERIFY.md inside the bundle.`,
            ].join('\n'),
          );
          return 0;
        }),
    );

  audit
    .command('verify')
    .description(
      'verify a bundle offline (signatures, chain, Merkle root, proofs, file digests), or the live chain without a file',
    )
    .argument('[file]', 'bundle to verify; omit to verify the live database')
    .option(
      '--trusted-key <fingerprint>',
      'require the bundle to be signed by this key (repeatable)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .addHelpText(
      'after',
      '\nExits 0 when everything verifies, 1 when something does not (the first bad entry or file is named).',
    )
    .action((file: string | undefined, options: { trustedKey?: string[] }, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('audit.verify', {
          ...(file ? { file } : {}),
          ...(options.trustedKey ? { trustedKeyIds: options.trustedKey } : {}),
        });
        emit(result, (r) =>
          [
            `${r.ok ? 'VERIFIED' : 'FAILED'}: ${r.message}`,
            ...r.warnings.map((w) => `  warning: ${w}`),
          ].join('\n'),
        );
        return result.ok ? EXIT.ok : EXIT.failed;
      }),
    );
}
