import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerInit(program: Command, run: CommandRunner): void {
  program
    .command('init')
    .description('create the data dir, the database and the local workspace (safe to run again)')
    .option('--operator-email <email>', 'email of the local operator recorded in the audit chain')
    .option('--operator-name <name>', 'display name of the local operator')
    .action((options: { operatorEmail?: string; operatorName?: string }, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('system.init', {
          ...(options.operatorEmail ? { operatorEmail: options.operatorEmail } : {}),
          ...(options.operatorName ? { operatorName: options.operatorName } : {}),
        });
        emit(result, (r) =>
          [
            r.created
              ? `Initialised ProdSprint in ${r.dataDir}`
              : `ProdSprint is already initialised in ${r.dataDir}`,
            `  database   ${r.database} (schema ${r.schemaVersion}${r.migrationsApplied.length ? `, applied ${r.migrationsApplied.map((m) => `${m.version}_${m.name}`).join(', ')}` : ''})`,
            `  workspace  ${r.workspaceId}`,
            '',
            'Next: `prodsprint doctor` checks this machine; `prodsprint tour` shows what this build can do.',
          ].join('\n'),
        );
        return 0;
      }),
    );
}
