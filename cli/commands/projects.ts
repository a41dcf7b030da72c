import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerProjects(program: Command, run: CommandRunner): void {
  program
    .command('projects')
    .description('list the projects of the local workspace')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('projects.list', {});
        emit(result, ({ projects }) =>
          projects.length === 0
            ? 'No projects yet: `prodsprint import <url|path>` adds one.'
            : projects
                .map(
                  (p) =>
                    `${p.projectId}  ${p.name.padEnd(24)} ${String(p.services.length).padStart(2)} services  ${String(p.gaps).padStart(2)} gaps  ${p.repoUrl}`,
                )
                .join('\n'),
        );
        return 0;
      }),
    );
}
