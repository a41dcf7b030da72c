import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerImport(program: Command, run: CommandRunner): void {
  program
    .command('import')
    .description(
      'import a repository from a Git server (https, ssh) or a local path; never writes to it',
    )
    .argument('<source>', 'Git URL or local path')
    .option('--branch <name>', 'branch to import (default: the remote default branch)')
    .option('--name <name>', 'project name (default: the repository name)')
    .option('--credential <ref>', 'name of the stored secret holding the Git credentials')
    .action(
      (
        source: string,
        options: { branch?: string; name?: string; credential?: string },
        command: Command,
      ) =>
        run(command, async ({ engine, emit }) => {
          const result = await engine.invoke('projects.import', {
            source,
            ...(options.branch ? { branch: options.branch } : {}),
            ...(options.name ? { name: options.name } : {}),
            ...(options.credential ? { credentialRef: options.credential } : {}),
          });
          emit(result, (r) => `Imported as project ${r.projectId}`);
          return 0;
        }),
    );
}
