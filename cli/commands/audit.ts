import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';
import { renderFingerprint } from '../render-fingerprint.ts';

export function registerAudit(program: Command, run: CommandRunner): void {
  program
    .command('audit')
    .description(
      "audit a project's checkout again: services, ports, frameworks, env vars, migrations, tests, gaps",
    )
    .argument('<projectId>', 'the project to audit (see `prodsprint projects`)')
    .addHelpText(
      'after',
      '\nWith --json, stdout is the fingerprint itself; every claim carries file:line evidence.',
    )
    .action((projectId: string, _options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const { fingerprint } = await engine.invoke('projects.audit', { projectId });
        emit(fingerprint, renderFingerprint);
        return 0;
      }),
    );
}
