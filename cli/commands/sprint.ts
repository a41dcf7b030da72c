/**
 * `prodsprint sprint`: the main job (issues 10 and 16). It starts a sprint run through the
 * contract (`sprints.start`) and follows it: import → plan → approval → apply (branch, image,
 * gates, staging, smoke) → canary to 100% in prod → audit bundle exported and verified. The run
 * belongs to the engine, so the desktop app, the HTTP API or `prodsprint runs show <id>
 * --follow` in another terminal see the same sprint, and an approval given anywhere resumes it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { isTerminal, ProblemError, splitRemedy, type SprintInfo } from '../../engine/api/index.ts';
import { collectAnswer, parseAnswers } from '../answers.ts';
import type { CommandContext, CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { driveRunsHere, followRun } from '../run-driver.ts';
import { renderSummary } from '../sprint-summary.ts';

interface SprintOptions {
  target: string;
  yesIApprove?: boolean;
  osv?: string;
  name?: string;
  credentialRef?: string;
  window?: string;
  costCeiling?: string;
  perfSeconds?: string;
  bundle?: string;
  summaryFile?: string;
  answer?: string[];
}

const POLL_MS = 300;

export function registerSprint(program: Command, run: CommandRunner): void {
  program
    .command('sprint')
    .description(
      'the main job: import, audit, plan, approve, apply behind gates, stage, canary to production, and export a verified audit bundle',
    )
    .argument('<source>', 'a Git URL or a local repository path')
    .option('--target <target>', 'where to release (the local Docker Engine)', 'docker')
    .option(
      '--yes-i-approve',
      'approve the plan yourself; recorded as a self-approval in the audit chain (without it the sprint waits for an approval: a prompt in a terminal, else `prodsprint approve` or the API)',
    )
    .option(
      '--answer <id=value>',
      "answer one of the plan's questions, e.g. api.port=80 (repeatable)",
      collectAnswer,
    )
    .option(
      '--osv <path>',
      'import this OSV export (directory or .zip) before the vulnerability gate',
    )
    .option('--name <name>', 'project name (default: from the source)')
    .option('--credential-ref <ref>', 'env:NAME holding the Git token or user:password')
    .option(
      '--cost-ceiling <amount>',
      'monthly cost ceiling the cost gate holds the plan to',
      '500',
    )
    .option('--window <seconds>', 'canary analysis window per step', '5')
    .option('--perf-seconds <seconds>', 'load per perf route', '5')
    .option('--bundle <file>', 'where to write the audit bundle (default: in the data dir)')
    .option(
      '--summary-file <file>',
      'also write the summary as JSON to this file (for CI), whatever the output mode',
    )
    .action((source: string, options: SprintOptions, command: Command) =>
      run(
        command,
        async (ctx) => {
          if (options.target !== 'docker') {
            throw ProblemError.of('validation-failed', {
              detail: `--target ${options.target}: this build releases to the local Docker Engine only`,
              errors: [{ field: 'input.target', message: 'use docker' }],
              remedy:
                '`prodsprint plan --target <target>` still renders the artifacts for other targets',
            });
          }
          // Checked before anything is imported: a typo must not surface after a 30-s apply.
          const windowSeconds = positiveNumber('--window', options.window);
          const perfSeconds = positiveNumber('--perf-seconds', options.perfSeconds);
          const costCeiling = positiveNumber('--cost-ceiling', options.costCeiling);
          const answers = parseAnswers(options.answer);
          // This process executes the sprint unless the desktop app or `serve` already does.
          driveRunsHere(ctx.engine);
          ctx.progress(`▶ import ${source}`);
          const started = await ctx.engine.invoke('sprints.start', {
            source,
            ...(options.name ? { name: options.name } : {}),
            ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
            target: 'docker',
            selfApprove: Boolean(options.yesIApprove),
            answers,
            ...(options.osv ? { osv: resolve(options.osv) } : {}),
            costCeilingMonthly: costCeiling,
            windowSeconds,
            perfSeconds: Math.round(perfSeconds),
            ...(options.bundle ? { bundle: resolve(options.bundle) } : {}),
          });
          const { project } = started;
          ctx.progress(
            project.imported
              ? `▶ imported ${started.projectId} (${project.name}) at ${project.commit.slice(0, 12)}: ${project.services} service(s), ${project.gaps} gap(s)`
              : `▶ reusing project ${started.projectId} (${project.name}): ${project.previousCommit && project.previousCommit !== project.commit ? `${project.previousCommit.slice(0, 12)} → ` : 'no new commit, '}${project.commit.slice(0, 12)}`,
          );
          ctx.progress(
            `▶ sprint ${started.sprintId} (follow it anywhere: prodsprint runs show ${started.sprintId} --follow)`,
          );
          const finished = await followSprint(ctx, started.sprintId, options);
          const summary = finished.summary;
          if (!summary) throw endedWithoutSummary(finished);
          if (options.summaryFile) {
            const file = resolve(options.summaryFile);
            await mkdir(dirname(file), { recursive: true });
            await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
          }
          ctx.emit(summary, renderSummary);
          if (summary.outcome === 'promoted')
            return summary.bundle?.verified ? EXIT.ok : EXIT.failed;
          return summary.outcome === 'blocked' ? EXIT.blocked : EXIT.failed;
        },
        { 'input.target': '--target', 'input.answers': '--answer' },
      ),
    );
}

/**
 * A sprint that stopped before it recorded its evidence: blocked (a refusal, with its remedy:
 * exit 6), cancelled (exit 6), or failed for good (exit 70, with where to look).
 */
function endedWithoutSummary(sprint: SprintInfo): ProblemError {
  const where = `sprint ${sprint.sprintId} stopped at ${sprint.stage ?? '?'}`;
  if (sprint.status === 'blocked') {
    const { reason, remedy } = splitRemedy(sprint.reason);
    return ProblemError.of('gate-blocked', {
      detail: `${where}: ${reason}`,
      remedy: remedy ?? `see what happened: prodsprint runs show ${sprint.sprintId}`,
    });
  }
  if (sprint.status === 'cancelled')
    return ProblemError.of('gate-blocked', {
      detail: `${where}: ${sprint.reason ?? 'cancelled'}`,
      remedy: 'start the sprint again when the plan is ready to approve',
    });
  return ProblemError.of('internal', {
    detail: `${where}: ${sprint.reason ?? 'no reason recorded'}`,
    remedy: `see what happened: prodsprint runs show ${sprint.sprintId}`,
  });
}

/**
 * Follows a sprint to its end: a line per phase, the apply and release runs' own stage views
 * when they start, and the approval (a prompt in a terminal; otherwise it waits for one given
 * elsewhere, which wakes the sprint).
 */
async function followSprint(
  ctx: CommandContext,
  sprintId: string,
  options: SprintOptions,
): Promise<SprintInfo> {
  let phase = '';
  let followedApply = false;
  let followedRelease = false;
  let asked = false;
  for (;;) {
    const sprint = await ctx.engine.invoke('sprints.get', { sprintId });
    if (isTerminal(sprint.status)) return sprint;
    if (sprint.phase !== phase) {
      phase = sprint.phase;
      if (phase === 'planning') ctx.progress('▶ plan');
      if (phase === 'releasing')
        ctx.progress(
          '▶ release to prod: canary 1% → 5% → 25% → 100% (a first release switches at once)',
        );
      if (phase === 'recording-evidence') ctx.progress('▶ audit bundle');
    }
    if (sprint.awaitingApproval && !asked) {
      asked = true;
      await askForApproval(ctx, sprint, options);
      continue;
    }
    if (sprint.children.applyRunId && !followedApply) {
      followedApply = true;
      ctx.progress('▶ apply: branch, image, gates, staging, smoke');
      await followRun(ctx, sprint.children.applyRunId);
      continue;
    }
    if (sprint.children.releaseRunId && !followedRelease) {
      followedRelease = true;
      await followRun(ctx, sprint.children.releaseRunId);
      continue;
    }
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
}

async function askForApproval(
  ctx: CommandContext,
  sprint: SprintInfo,
  options: SprintOptions,
): Promise<void> {
  const plan = sprint.awaitingApproval!;
  const approveCommand = `prodsprint approve ${plan.blueprintId} --plan-hash ${plan.planHash}`;
  if (plan.openQuestions.length > 0) {
    ctx.progress(
      `  the plan has unanswered questions (${plan.openQuestions.join(', ')}): plan again with --answer <id>=<value> and approve that plan, or start the sprint with the answers`,
    );
    return;
  }
  if (options.yesIApprove) return;
  if (!ctx.mode.io.isTty || ctx.mode.json) {
    ctx.progress(
      `  waiting for an approval of plan ${plan.blueprintId} (hash ${plan.planHash}): ${approveCommand}, or POST /v1/blueprints/${plan.blueprintId}/approve`,
    );
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Approve plan ${plan.planHash} and apply it? [y/N] `);
  rl.close();
  if (/^y(es)?$/i.test(answer.trim())) {
    await ctx.engine.invoke('blueprints.approve', {
      blueprintId: plan.blueprintId,
      planHash: plan.planHash,
    });
    return;
  }
  await ctx.engine.invoke('sprints.cancel', {
    sprintId: sprint.sprintId,
    reason: 'the plan was not approved; nothing was applied',
  });
}

function positiveNumber(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw ProblemError.of('validation-failed', {
      detail: `${flag} ${value ?? ''}: not a positive number`,
      errors: [
        { field: flag.replace(/^--/, ''), message: `a positive number, not ${value ?? 'nothing'}` },
      ],
      remedy: `give ${flag} a positive number, or leave it out for the default`,
    });
  }
  return parsed;
}
