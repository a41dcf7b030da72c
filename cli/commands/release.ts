import type { Command } from 'commander';
import type { CommandContext, CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { driveRunsHere, followRun } from '../run-driver.ts';

interface ReleaseView {
  releaseId: string;
  projectId: string;
  environment: string;
  version: string;
  stableVersion: string | null;
  strategy: string;
  phase: string;
  trafficPercent: number;
  step: { index: number; of: number; percent: number };
  riskScore: number | null;
  rollbackReason: string | null;
  migration: { forwardOnly: boolean; schemaReversed: boolean } | null;
  hotfixBranch: string | null;
  samples: number;
  decisions: Array<{ step: number; at: string; action: string; reason: string }>;
}

export function renderRelease(r: ReleaseView): string {
  return [
    `Release ${r.releaseId}: ${r.version} to ${r.environment} (${r.strategy}), ${r.phase}, ${r.trafficPercent}% of traffic`,
    `  stable      ${r.stableVersion ?? '(first release)'}`,
    `  step        ${Math.min(r.step.index + 1, r.step.of)} of ${r.step.of} (${r.step.percent}%)`,
    `  risk        ${r.riskScore ?? 'n/a'}`,
    ...(r.rollbackReason ? [`  rolled back ${r.rollbackReason}`] : []),
    ...(r.migration?.forwardOnly
      ? ['  migration   forward-only: rollback moves traffic, never the schema']
      : []),
    ...(r.hotfixBranch ? [`  hotfix      ${r.hotfixBranch}`] : []),
    `  analysis    ${r.samples} sample(s)`,
    ...r.decisions
      .slice(-8)
      .map((d) => `    ${d.at}  step ${d.step + 1}  ${d.action}: ${d.reason}`),
  ].join('\n');
}

const FINISHED_WELL = new Set(['promoted']);

/** Follows a release's run here (driving it when nothing else does) and prints the release. */
async function followRelease(ctx: CommandContext, releaseId: string, runId: string) {
  driveRunsHere(ctx.engine);
  await followRun(ctx, runId);
  return ctx.engine.invoke('releases.get', { releaseId });
}

function exitFor(phase: string): number {
  if (FINISHED_WELL.has(phase)) return EXIT.ok;
  if (phase === 'blocked') return EXIT.blocked;
  return EXIT.failed;
}

export function registerRelease(program: Command, run: CommandRunner): void {
  const release = program
    .command('release')
    .description(
      'release a version with canary or blue/green; promote, pause, resume, abort, roll back',
    );

  release
    .command('create')
    .description('release a version; follows it live until it is promoted or rolled back')
    .argument('<projectId>')
    .argument('<version>', 'the version an apply run built (see `prodsprint apply`)')
    .option('--env <environment>', 'environment to release to', 'prod')
    .option('--strategy <strategy>', 'canary or blue-green', 'canary')
    .option('--steps <list>', 'canary weights in percent, e.g. 1,5,25,100')
    .option('--window <seconds>', 'analysis window per step')
    .option('--image <image>', 'image to run (default: the one the apply run built)')
    .option(
      '--approver <who>',
      'an approval for this environment (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--detach', 'submit and return without following')
    .action(
      (
        projectId: string,
        version: string,
        options: Record<string, string | string[] | boolean | undefined>,
        command: Command,
      ) =>
        run(
          command,
          async (ctx) => {
            const created = await ctx.engine.invoke('releases.create', {
              projectId,
              version,
              environment: options.env as string,
              strategy: options.strategy as 'canary' | 'blue-green',
              ...(options.steps ? { steps: String(options.steps).split(',').map(Number) } : {}),
              ...(options.window ? { analysisWindowSeconds: Number(options.window) } : {}),
              ...(options.image ? { image: options.image as string } : {}),
              approvals: (options.approver as string[] | undefined) ?? [],
            });
            if (options.detach) {
              ctx.emit(created, (c) => `Release ${c.releaseId} submitted as run ${c.runId}.`);
              return EXIT.ok;
            }
            const info = await followRelease(ctx, created.releaseId, created.runId);
            ctx.emit(info, renderRelease);
            return exitFor(info.phase);
          },
          { analysisWindowSeconds: '--window', environment: '--env', approvals: '--approver' },
        ),
    );

  release
    .command('status')
    .description('a release, or the releases of a project')
    .argument('<id>', 'a release id, or a project id for its releases')
    .action((id: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        if (id.startsWith('prj')) {
          const list = await ctx.engine.invoke('releases.list', { projectId: id });
          ctx.emit(list, (l) =>
            l.releases.length
              ? l.releases
                  .map(
                    (r) =>
                      `${r.releaseId}  ${r.environment.padEnd(8)} ${r.version.padEnd(14)} ${r.phase.padEnd(12)} ${r.trafficPercent}%`,
                  )
                  .join('\n')
              : `No releases for ${id} yet.`,
          );
          return EXIT.ok;
        }
        ctx.emit(await ctx.engine.invoke('releases.get', { releaseId: id }), renderRelease);
        return EXIT.ok;
      }),
    );

  for (const action of ['promote', 'pause', 'resume', 'abort'] as const) {
    release
      .command(action)
      .description(
        {
          promote: 'send all traffic to the new version now',
          pause: 'hold the current split (an unhealthy window still rolls back)',
          resume: 'continue a paused release',
          abort: 'traffic back to the stable version, stop the new one',
        }[action],
      )
      .argument('<releaseId>')
      .option('--reason <text>', 'why (kept in the audit chain)')
      .action((releaseId: string, options: { reason?: string }, command: Command) =>
        run(command, async (ctx) => {
          const info = await ctx.engine.invoke('releases.control', {
            releaseId,
            action,
            ...(options.reason ? { reason: options.reason } : {}),
          });
          ctx.emit(info, renderRelease);
          return EXIT.ok;
        }),
      );
  }

  release
    .command('rollback')
    .description(
      'traffic back to last known good, then stop the bad version; prepares a hotfix branch',
    )
    .argument('<releaseId>')
    .requiredOption('--reason <text>', 'why (kept in the audit chain)')
    .action((releaseId: string, options: { reason: string }, command: Command) =>
      run(command, async (ctx) => {
        const { runId } = await ctx.engine.invoke('releases.rollback', {
          releaseId,
          reason: options.reason,
        });
        const info = await followRelease(ctx, releaseId, runId);
        ctx.emit(info, renderRelease);
        return info.phase === 'rolled-back' || info.phase === 'aborted' ? EXIT.ok : EXIT.failed;
      }),
    );
}
