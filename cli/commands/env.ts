/**
 * `prodsprint env list | stop <projectId> [environment] [--all]`: the local environments sprints
 * and releases leave running (issue 14), over environments.list|stop. Stopping every environment
 * of a project takes --all, so a forgotten argument never tears down production.
 */
import type { Command } from 'commander';
import type { EnvironmentInfo } from '../../engine/contract/environments.contract.ts';
import type { CommandRunner } from '../command-runner.ts';

function daemonsRunning(environment: EnvironmentInfo): string {
  const { haproxy, prometheus } = environment.daemons;
  const running = [haproxy, prometheus].filter((daemon) => daemon.running).length;
  return `${running}/2 running`;
}

function renderList(environments: EnvironmentInfo[]): string {
  if (environments.length === 0) return 'No local environments are running.';
  const rows = [
    ['PROJECT', 'ENVIRONMENT', 'URL', 'DAEMONS', 'CREATED'],
    ...environments.map((e) => [e.projectId, e.environment, e.url, daemonsRunning(e), e.createdAt]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerEnv(program: Command, run: CommandRunner): void {
  const env = program
    .command('env')
    .description('local environments left running by sprints and releases: list them, stop them');

  env
    .command('list')
    .description('project, environment, URL, daemons running, created')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('environments.list', {});
        emit(result, ({ environments }) => renderList(environments));
        return 0;
      }),
    );

  env
    .command('stop')
    .description(
      "remove an environment's containers, stop its HAProxy and Prometheus, delete its state (audited)",
    )
    .argument('<projectId>', 'the project (see `prodsprint env list`)')
    .argument('[environment]', 'e.g. staging or prod; omit it and give --all for every one')
    .option('--all', 'stop every environment of the project')
    .option(
      '--delete-data',
      "also delete the backing services' data (database and queue volumes); kept otherwise",
    )
    .action(
      (
        projectId: string,
        environment: string | undefined,
        options: { all?: boolean; deleteData?: boolean },
        command: Command,
      ) => {
        if (!environment && !options.all)
          command.error(
            'error: name the environment to stop, or give --all to stop every environment of the project',
          );
        if (environment && options.all)
          command.error('error: give an environment or --all, not both');
        return run(
          command,
          async ({ engine, emit }) => {
            const result = await engine.invoke('environments.stop', {
              projectId,
              ...(environment ? { environment } : {}),
              deleteData: options.deleteData ?? false,
            });
            emit(result, ({ stopped }) =>
              stopped.length === 0
                ? `No environments of ${projectId} were running; nothing stopped.`
                : stopped
                    .map((s) =>
                      [
                        `Stopped ${projectId}/${s.environment}: ${s.stoppedPids.length} daemon(s)${s.stoppedPids.length ? ` (pid ${s.stoppedPids.join(', ')})` : ''}, ${s.removedContainers} container(s) removed${s.removedVolumes.length ? `, ${s.removedVolumes.length} data volume(s) deleted` : ''}`,
                        ...s.warnings.map((warning) => `  warning: ${warning}`),
                      ].join('\n'),
                    )
                    .join('\n'),
            );
            return 0;
          },
          { environment: '[environment]' },
        );
      },
    );
}
