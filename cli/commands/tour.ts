import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

/** The sprint, in the order a user meets it, and the operation behind each step. */
const SPRINT_STEPS: Array<{ step: string; operation: string }> = [
  { step: 'Point ProdSprint at your registry and package mirrors', operation: 'config.set' },
  { step: 'Import a repository from your Git server', operation: 'projects.import' },
  {
    step: 'Plan: IaC, CI/CD, tests, security, perf, observability, cost',
    operation: 'blueprints.generate',
  },
  { step: 'Review the plan and its diffs', operation: 'blueprints.get' },
  { step: 'Approve and apply behind policy gates', operation: 'pipelines.apply' },
  { step: 'Check production readiness', operation: 'readiness.get' },
  { step: 'Release with canary or blue/green', operation: 'releases.create' },
  { step: 'Roll back to the last known good version', operation: 'releases.rollback' },
  { step: 'Follow a run and its events', operation: 'runs.get' },
  { step: 'See the KPIs', operation: 'dashboards.get' },
  { step: 'Tear down the environments a sprint left running', operation: 'environments.stop' },
];

export function registerTour(program: Command, run: CommandRunner): void {
  program
    .command('tour')
    .description('walk through a sprint and show which steps this build implements')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const [version, { operations }] = await Promise.all([
          engine.invoke('system.version', {}),
          engine.invoke('system.operations', {}),
        ]);
        const byName = new Map(operations.map((operation) => [operation.name, operation]));
        const steps = SPRINT_STEPS.map(({ step, operation }) => ({
          step,
          ...byName.get(operation)!,
        }));
        emit({ version: version.prodsprint, steps }, ({ steps: rows }) =>
          [
            `ProdSprint ${version.prodsprint}: from a Git repository to compliant production, offline.`,
            '',
            'A sprint goes: import -> audit -> plan -> approve -> apply behind gates -> staging -> canary 1% -> 5% -> 25% -> 100%,',
            'rolling back by itself when health breaks, with every step in a signed audit chain.',
            '',
            ...rows.map(
              (row, index) =>
                `${String(index + 1).padStart(2)}. ${row.step.padEnd(62)} ${row.implemented ? 'available' : row.issue ? `coming (issue ${row.issue})` : 'not built yet'}`,
            ),
            '',
            'Commands: init, doctor, version, sprint, import, audit, projects, plan, release, policy, runs, tools, config, env, images, serve. Each takes --help and --json.',
          ].join('\n'),
        );
        return 0;
      }),
    );
}
