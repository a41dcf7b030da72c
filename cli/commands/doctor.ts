import type { Command } from 'commander';
import type { DoctorCheck } from '../../engine/contract/system.contract.ts';
import type { CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';

const MARK: Record<DoctorCheck['status'], string> = {
  ok: '[ok]  ',
  warn: '[warn]',
  fail: '[FAIL]',
};

export function registerDoctor(program: Command, run: CommandRunner): void {
  program
    .command('doctor')
    .description('check this machine: Node, data dir, SQLite, Docker Engine and the external tools')
    .addHelpText(
      'after',
      '\nExits 0 when every required check passes (optional tools may be missing), 3 otherwise.',
    )
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const report = await engine.invoke('system.doctor', {});
        emit(report, renderDoctor);
        return report.ok ? EXIT.ok : EXIT.checkFailed;
      }),
    );
}

export function renderDoctor(report: {
  ok: boolean;
  dataDir: string;
  checks: DoctorCheck[];
}): string {
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [`ProdSprint doctor (data dir: ${report.dataDir})`, ''];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.remedy && check.status !== 'ok')
      lines.push(`       ${''.padEnd(width)}  -> ${check.remedy}`);
  }
  const failed = report.checks.filter((check) => check.required && check.status === 'fail').length;
  const missing = report.checks.filter((check) => !check.required && check.status !== 'ok').length;
  lines.push('');
  lines.push(
    failed
      ? `Not ready: ${failed} required check${failed === 1 ? '' : 's'} failed.`
      : `Ready.${missing ? ` ${missing} optional item${missing === 1 ? ' is' : 's are'} missing; the features that need them will say so.` : ''}`,
  );
  return lines.join('\n');
}
