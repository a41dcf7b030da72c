/**
 * `prodsprint vulns import <file|dir>`: bring an OSV export (a directory of OSV JSON files or a
 * .zip, as osv.dev publishes per ecosystem) onto this machine for the vulnerability gate, which
 * denies until some advisories are known (a scan against nothing cannot be shown clean).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

export function registerVulns(program: Command, run: CommandRunner): void {
  const vulns = program
    .command('vulns')
    .description('offline vulnerability data (OSV) the vulnerability gate matches SBOMs against');
  vulns
    .command('import')
    .description('import an OSV export: a directory of OSV JSON files or a .zip (idempotent)')
    .argument('<source>', 'the directory or .zip file')
    .action((source: string, _options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const imported = await engine.invoke('vulns.import', { source: resolve(source) });
        emit(imported, (r) =>
          [
            `Imported ${r.stored} advisories from ${r.source} (${r.unchanged} unchanged); ${r.advisoriesKnown} known in all.`,
            ...r.skipped.map((s) => `  skipped ${s.origin}: ${s.reason}`),
          ].join('\n'),
        );
        return 0;
      }),
    );
}
