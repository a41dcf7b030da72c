import type { Command } from 'commander';
import { formatEventLine, isTerminal, watchRun } from '../../engine/api/index.ts';
import { driveRunsHere, pollingSource } from '../run-driver.ts';
import type { CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';

/** Events through the contract, polled: the same view works against any engine process. */
function runLine(run: {
  runId: string;
  kind: string;
  status: string;
  stage: string | null;
  reason: string | null;
  projectId: string;
  updatedAt: string;
}): string {
  const where = run.stage ? `(${run.stage}${run.reason ? `: ${run.reason}` : ''})` : '';
  return `${run.runId}  ${run.kind.padEnd(9)} ${run.status.padEnd(9)} ${run.projectId}  ${run.updatedAt} ${where}`.trimEnd();
}

export function registerRuns(program: Command, run: CommandRunner): void {
  const runs = program
    .command('runs')
    .description('inspect, follow and cancel runs; inspect and replay dead letters');

  runs
    .command('list')
    .description('runs, newest first')
    .option('--project <projectId>', 'only this project')
    .option('--kind <kind>', 'import, blueprint, apply, release or rollback')
    .option('--status <status>', 'pending, running, done, error, blocked or cancelled')
    .option('--limit <n>', 'at most this many', '50')
    .action(
      (
        options: { project?: string; kind?: string; status?: string; limit: string },
        command: Command,
      ) =>
        run(command, async ({ engine, emit }) => {
          const result = await engine.invoke('runs.list', {
            limit: Number(options.limit),
            ...(options.project ? { projectId: options.project } : {}),
            ...(options.kind ? { kind: options.kind as never } : {}),
            ...(options.status ? { status: options.status as never } : {}),
          });
          emit(result, ({ runs: list }) =>
            list.length ? list.map(runLine).join('\n') : 'No runs.',
          );
          return 0;
        }),
    );

  runs
    .command('show')
    .description('a run with its stages; --follow shows it live until it ends')
    .argument('<runId>')
    .option('--follow', 'follow the run until it finishes (a live view per stage in a terminal)')
    .action((runId: string, options: { follow?: boolean }, command: Command) =>
      run(command, async ({ engine, emit, mode }) => {
        let info = await engine.invoke('runs.get', { runId });
        if (options.follow && !isTerminal(info.status)) {
          // A run nobody drives (its CLI was killed) is picked up here and finished.
          driveRunsHere(engine);
          await watchRun(
            pollingSource(engine),
            runId,
            info.stages.map((stage) => stage.name),
            { tty: mode.io.isTty && !mode.json },
          );
          info = await engine.invoke('runs.get', { runId });
        }
        emit(info, (r) =>
          [
            runLine(r),
            ...r.stages.map(
              (stage) =>
                `  ${stage.name.padEnd(20)} ${stage.status.padEnd(9)} attempt ${stage.attempt}${stage.reason ? `  ${stage.reason}` : ''}`,
            ),
          ].join('\n'),
        );
        return exitCodeForRun(info.status);
      }),
    );

  runs
    .command('events')
    .description("a run's events after a cursor (for scripts that follow a run)")
    .argument('<runId>')
    .option('--after <seq>', 'only events after this sequence number', '0')
    .action((runId: string, options: { after: string }, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('runs.events', { runId, after: Number(options.after) });
        emit(result, ({ events }) =>
          events.length
            ? events.map((event) => formatEventLine(event as never)).join('\n')
            : 'No events after that cursor.',
        );
        return 0;
      }),
    );

  runs
    .command('cancel')
    .description('cancel a queued or running run; running stages are told to stop')
    .argument('<runId>')
    .option(
      '--reason <text>',
      'recorded on the run and in the audit chain',
      'cancelled by operator',
    )
    .action((runId: string, options: { reason: string }, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const info = await engine.invoke('runs.cancel', { runId, reason: options.reason });
        emit(info, runLine);
        return 0;
      }),
    );

  const dlq = runs
    .command('dlq')
    .description('stages that exhausted their retries: list them, or replay one');
  dlq
    .command('list', { isDefault: true })
    .description('dead letters not yet replayed')
    .option('--run <runId>', 'only this run')
    .option('--all', 'include letters already replayed')
    .action((options: { run?: string; all?: boolean }, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('runs.deadLetters', {
          includeReplayed: Boolean(options.all),
          ...(options.run ? { runId: options.run } : {}),
        });
        emit(result, ({ deadLetters }) =>
          deadLetters.length
            ? deadLetters
                .map(
                  (letter) =>
                    `${letter.id}  ${letter.runId}  ${letter.stage}  after ${letter.attempts} attempts: ${letter.error}`,
                )
                .join('\n')
            : 'No dead letters.',
        );
        return 0;
      }),
    );
  dlq
    .command('replay')
    .description("re-queue a dead letter's run with a fresh retry budget")
    .argument('<deadLetterId>')
    .action((deadLetterId: string, _options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const info = await engine.invoke('runs.replay', { deadLetterId });
        emit(
          info,
          (r) =>
            `${runLine(r)}\nRe-queued; the process that drives runs picks it up within seconds.`,
        );
        return 0;
      }),
    );
}

/** A followed run that did not finish well exits non-zero, so scripts can branch on it. */
function exitCodeForRun(status: string): number {
  if (status === 'error' || status === 'cancelled') return EXIT.failed;
  if (status === 'blocked') return EXIT.blocked;
  return EXIT.ok;
}
