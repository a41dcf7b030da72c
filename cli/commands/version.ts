import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerVersion(program: Command, run: CommandRunner): void {
  program
    .command('version')
    .description('print the versions of ProdSprint, Node, SQLite and the database schema')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const version = await engine.invoke('system.version', {});
        emit(version, (v) =>
          [
            `prodsprint ${v.prodsprint}`,
            `node       ${v.node}`,
            `sqlite     ${v.sqlite}`,
            `schema     ${v.schemaVersion}`,
            `platform   ${v.platform}`,
          ].join('\n'),
        );
        return 0;
      }),
    );
}
