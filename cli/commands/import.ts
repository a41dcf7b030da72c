import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerImport(program: Command, run: CommandRunner): void {
  program
    .command('import')
    .description(
      'import a repository from a Git server (https, ssh) or a local path and audit it; never writes to it',
    )
    .argument('<source>', 'Git URL (https://, ssh://, git@host:path) or local path')
    .option('--branch <name>', 'branch to import (default: the remote default branch)')
    .option('--name <name>', 'project name (default: the repository name)')
    .option(
      '--credential-ref <ref>',
      'where the Git credentials are: env:NAME (a token, or user:password)',
    )
    .addHelpText('after', '\nWith --json, prints {"projectId": …, "services": […], "gaps": N, …}.')
    .action(
      (
        source: string,
        options: { branch?: string; name?: string; credentialRef?: string },
        command: Command,
      ) =>
        run(command, async ({ engine, emit, progress }) => {
          progress(`importing ${source}`);
          const result = await engine.invoke('projects.import', {
            source,
            ...(options.branch ? { branch: options.branch } : {}),
            ...(options.name ? { name: options.name } : {}),
            ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
          });
          emit(result, (r) =>
            [
              `Imported ${r.repoUrl} (${r.branch ?? 'default branch'} at ${r.commit.slice(0, 12)}) as project ${r.name} (${r.projectId})`,
              `  services: ${r.services.length ? r.services.join(', ') : 'none detected'}`,
              `  gaps:     ${r.gaps}`,
              '',
              `Next: \`prodsprint audit ${r.projectId}\` shows the fingerprint and the gaps with their remedies.`,
            ].join('\n'),
          );
          return 0;
        }),
    );
}
