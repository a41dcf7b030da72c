import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerProjects(program: Command, run: CommandRunner): void {
  const projectsCommand = program.command('projects');
  projectsCommand
    .command('sync')
    .description("fetch the newest commit of a project's branch from its source and audit it again")
    .argument('<projectId>', 'the project (see `prodsprint projects`)')
    .option('--credential-ref <ref>', 'env:NAME holding the Git token or user:password')
    .action((projectId: string, options: { credentialRef?: string }, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const synced = await engine.invoke('projects.sync', {
            projectId,
            ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
          });
          emit(synced, (s) =>
            s.changed
              ? `${s.projectId} ${s.branch ?? ''}: ${s.previousCommit.slice(0, 12)} → ${s.commit.slice(0, 12)}, audited: ${s.services.length} service(s), ${s.gaps} gap(s)`
              : `${s.projectId} ${s.branch ?? ''}: no new commit (${s.commit.slice(0, 12)})`,
          );
          return 0;
        },
        { 'input.credentialRef': '--credential-ref' },
      ),
    );
  projectsCommand
    .description(
      'list the projects of the local workspace; `projects sync <id>` fetches a newer commit',
    )
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
