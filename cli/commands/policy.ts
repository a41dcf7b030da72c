import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { readJsonFile } from '../read-json-file.ts';

const readGateInput = (path: string) =>
  readJsonFile(
    path,
    '--input',
    'input.input',
    'give the gate input document as JSON (engine/policy/gates/INPUT.md describes it)',
  );

export function registerPolicy(program: Command, run: CommandRunner): void {
  const policy = program
    .command('policy')
    .description('policy packs: list them, run their tests, evaluate a gate');

  policy
    .command('list')
    .description('packs this installation can evaluate')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('policy.list', {});
        emit(result, ({ packs }) =>
          packs
            .map(
              (pack) =>
                `${pack.name.padEnd(10)} ${pack.revision.padEnd(16)} ${pack.source.padEnd(9)} ${pack.path}`,
            )
            .join('\n'),
        );
        return 0;
      }),
    );

  policy
    .command('test')
    .description("run a pack's *_test.rego tests as `opa test` does (exit 1 when any fails)")
    .argument('<pack>', 'built-in pack name or pack directory')
    .action((pack: string, _options, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const report = await engine.invoke('policy.test', { pack });
          emit(report, (r) =>
            [
              ...r.results.map(
                (result) =>
                  `${result.outcome.toUpperCase().padEnd(5)} ${result.name} (${result.file}:${result.row})${result.detail ? `\n      ${result.detail}` : ''}`,
              ),
              '',
              `${r.pack.name} ${r.pack.revision}: ${r.passed} passed, ${r.failed} failed, ${r.errored} errors, ${r.skipped} skipped`,
            ].join('\n'),
          );
          return testsPassed(report) ? EXIT.ok : EXIT.failed;
        },
        { pack: '<pack>' },
      ),
    );

  policy
    .command('import')
    .description(
      'import a signed pack (OPA bundle directory or .tar.gz); unsigned, tampered or untrusted packs are refused',
    )
    .argument('<source>', 'bundle directory or .tar.gz')
    .option(
      '--trusted-keys <file>',
      "OPA keys config with the signers' public keys (default: <data-dir>/trusted-keys.json)",
    )
    .action((source: string, options: { trustedKeys?: string }, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const pack = await engine.invoke('policy.import', {
            source,
            ...(options.trustedKeys ? { trustedKeysFile: options.trustedKeys } : {}),
          });
          emit(
            pack,
            (p) =>
              `${p.alreadyImported ? 'Already imported' : 'Imported'} ${p.name} ${p.revision} (${p.digest}), signed by ${p.signerKeyId ?? 'unknown'}, stored in ${p.path}`,
          );
          return 0;
        },
        { source: '<source>', trustedKeysFile: '--trusted-keys' },
      ),
    );

  policy
    .command('eval')
    .description(
      'evaluate a gate: exit 0 when it allows, 6 when it denies (each deny with its remedy); the decision is audited',
    )
    .argument('<pack>', 'built-in pack name or pack directory')
    .requiredOption(
      '--input <file>',
      'the gate input document (JSON; see engine/policy/gates/INPUT.md)',
    )
    .option('--project <projectId>', 'record the decision against this project')
    .action((pack: string, options: { input: string; project?: string }, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const decision = await engine.invoke('policy.eval', {
            pack,
            input: readGateInput(options.input),
            ...(options.project ? { projectId: options.project } : {}),
          });
          emit(decision, (d) =>
            [
              `${d.allow ? 'ALLOW' : 'DENY'}: ${d.pack.name} ${d.pack.revision} on input sha256:${d.inputDigest}`,
              ...d.deny.map(
                (item) =>
                  `  [${item.severity}] ${item.rule}${item.subject ? ` (${item.subject})` : ''}: ${item.message}${item.waivedBy ? `  — waived by ${item.waivedBy.approver} until ${item.waivedBy.expiresAt}` : `\n      -> ${item.remediation}`}`,
              ),
            ].join('\n'),
          );
          return decision.allow ? EXIT.ok : EXIT.blocked;
        },
        { pack: '<pack>', input: '--input', projectId: '--project' },
      ),
    );
}

function testsPassed(report: { failed: number; errored: number }): boolean {
  return report.failed === 0 && report.errored === 0;
}
