/**
 * `prodsprint sprint`: the main job (issue 10). Import → audit → plan → approval → apply
 * (branch, image, gates, staging, smoke) → canary to 100% in prod → audit bundle exported and
 * verified, with a summary a person can act on. Every step is an operation of the contract, so
 * the sprint is exactly what the desktop app's wizard does, step for step.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  ProblemError,
  splitRemedy,
  startSyntheticTraffic,
  type SyntheticTraffic,
} from '../../engine/api/index.ts';
import { collectAnswer, parseAnswers } from '../answers.ts';
import type { CommandContext, CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { driveRunsHere, followRun } from '../run-driver.ts';
import { gatesOf, renderSummary, type SprintSummary } from '../sprint-summary.ts';

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

const seconds = (from: number) => Math.round((Date.now() - from) / 100) / 10;

/** Responses a canary analysis window needs before it judges (releases' default threshold). */
const CANARY_MIN_RESPONSES = 10;
const FIRST_CANARY_SHARE = 0.01;

/**
 * The synthetic users' rate: enough that the 1% step sees twice the responses an analysis
 * window needs, or every window would be inconclusive and the release would fail closed. This
 * is what a load-tester hook does for Flagger; real users do it in a real prod.
 */
export function syntheticRate(windowSeconds: number): number {
  return Math.max(
    100,
    Math.ceil((2 * CANARY_MIN_RESPONSES) / (FIRST_CANARY_SHARE * windowSeconds)),
  );
}

async function importOrReuse(ctx: CommandContext, source: string, options: SprintOptions) {
  try {
    return await ctx.engine.invoke('projects.import', {
      source,
      ...(options.name ? { name: options.name } : {}),
      ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
    });
  } catch (error) {
    if (!(error instanceof ProblemError) || error.problem.status !== 409) throw error;
    // A project of that name exists: sprint it again when it is the same repository.
    const { projects } = await ctx.engine.invoke('projects.list', {});
    const wanted = /^[a-z]+:\/\//i.test(source) ? source : resolve(source);
    const same = projects.find((p) => p.repoUrl === wanted || p.repoUrl === source);
    if (!same) throw error;
    ctx.progress(`reusing project ${same.projectId} (${same.name}); fetching its newest commit`);
    const synced = await ctx.engine.invoke('projects.sync', {
      projectId: same.projectId,
      ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
    });
    ctx.progress(
      synced.changed
        ? `  ${synced.previousCommit.slice(0, 12)} → ${synced.commit.slice(0, 12)}`
        : `  no new commit (${synced.commit.slice(0, 12)})`,
    );
    return synced;
  }
}

interface OpenQuestion {
  id: string;
  question: string;
  candidates: Array<{ value: string; evidence: string }>;
}

/** The plan's questions without an answer (they block approval), in the plan's order. */
function openQuestionsOf(summary: unknown): OpenQuestion[] {
  const questions = (summary as { questions?: Array<OpenQuestion & { answer: string | null }> })
    .questions;
  return (questions ?? []).filter((q) => q.answer === null && q.candidates.length > 0);
}

async function approve(
  ctx: CommandContext,
  plan: { blueprintId: string; planHash: string },
  options: SprintOptions,
) {
  if (!options.yesIApprove) {
    if (!ctx.mode.io.isTty || ctx.mode.json) {
      throw ProblemError.of('gate-blocked', {
        detail: `plan ${plan.planHash} needs an approval before anything is applied`,
        remedy: `review it (prodsprint plan ... --diff) and run the sprint with --yes-i-approve, or approve it with \`prodsprint approve ${plan.blueprintId} --plan-hash ${plan.planHash}\``,
      });
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Approve plan ${plan.planHash} and apply it? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw ProblemError.of('gate-blocked', {
        detail: 'the plan was not approved; nothing was applied',
        remedy: 'run the sprint again and approve, or change the plan first',
      });
    }
  }
  return ctx.engine.invoke('blueprints.approve', {
    blueprintId: plan.blueprintId,
    planHash: plan.planHash,
    selfApproval: Boolean(options.yesIApprove),
  });
}

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
      'approve the plan yourself; recorded as a self-approval in the audit chain',
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
          const started = Date.now();
          ctx.progress(`▶ import ${source}`);
          const project = await importOrReuse(ctx, source, options);
          ctx.progress(
            `▶ audited ${project.projectId}: ${project.services.length} service(s), ${project.gaps} gap(s)`,
          );
          ctx.progress('▶ plan');
          const given = parseAnswers(options.answer);
          const inputs = {
            target: options.target as 'docker',
            costCeilingMonthly: costCeiling,
            ...(Object.keys(given).length ? { answers: given } : {}),
          };
          let plan = await ctx.engine.invoke('blueprints.generate', {
            projectId: project.projectId,
            inputs,
          });
          const assumed = openQuestionsOf(plan.summary);
          if (assumed.length > 0 && options.yesIApprove) {
            // The person approving takes the plan as shown, so each open question gets the
            // candidate the plan rendered with; the answers are in the new plan (and its hash).
            const answers = {
              ...given,
              ...Object.fromEntries(assumed.map((q) => [q.id, q.candidates[0]!.value])),
            };
            for (const q of assumed)
              ctx.progress(
                `  ? ${q.id}: answered ${answers[q.id]} by --yes-i-approve (${q.candidates[0]!.evidence})`,
              );
            plan = await ctx.engine.invoke('blueprints.generate', {
              projectId: project.projectId,
              inputs: { ...inputs, answers },
            });
          }
          ctx.progress(`  plan hash ${plan.planHash}, ${plan.artifacts.length} artifacts`);
          const approval = await approve(ctx, plan, options);
          ctx.progress(
            `▶ approved ${approval.approvalId}${approval.selfApproval ? ' (self-approval)' : ''}`,
          );
          if (options.osv) {
            const imported = await ctx.engine.invoke('vulns.import', { source: options.osv });
            ctx.progress(
              `  imported ${imported.stored} OSV advisories (${imported.advisoriesKnown} known)`,
            );
          }
          driveRunsHere(ctx.engine);
          ctx.progress('▶ apply: branch, image, gates, staging, smoke');
          const applied = await ctx.engine.invoke('pipelines.apply', {
            projectId: project.projectId,
            blueprintId: plan.blueprintId,
            approvalId: approval.approvalId,
            perfLoad: { durationSeconds: perfSeconds, connections: 10 },
          });
          const applyRun = await followRun(ctx, applied.runId);
          const outputs = await stageOutputs(ctx, applied.runId);
          const summary: SprintSummary = {
            projectId: project.projectId,
            blueprintId: plan.blueprintId,
            planHash: plan.planHash,
            approvalId: approval.approvalId,
            selfApproved: approval.selfApproval,
            version: applied.version,
            branch: applied.branch,
            applyRunId: applied.runId,
            outcome: 'failed',
            blockedAt: null,
            gates: gatesOf(applyRun.stages, outputs),
            releaseId: null,
            releasePhase: null,
            rollout: null,
            timeToStagingSeconds: null,
            timeToCanaryStartSeconds: null,
            timeToProdSeconds: null,
            syntheticTraffic: null,
            artifactsDir: plan.artifactsDir,
            sbomPath: (outputs.sbom as { path?: string } | undefined)?.path ?? null,
            bundle: null,
            warnings: [
              ...assumed.map((q) => ({
                subject: q.id,
                reason: `${q.question} --yes-i-approve answered ${q.candidates[0]!.value} (${q.candidates[0]!.evidence})`,
                remedy: `if that is wrong, run the sprint again with \`--answer ${q.id}=<value>\``,
              })),
              ...applied.warnings,
              ...buildWarnings(outputs),
              ...stagingWarnings(outputs),
              ...policyWarnings(outputs),
            ],
          };
          if (applyRun.status !== 'done') {
            const stage = applyRun.stages.find(
              (s) => s.status === 'blocked' || s.status === 'error',
            );
            summary.outcome = applyRun.status === 'blocked' ? 'blocked' : 'failed';
            summary.blockedAt = {
              stage: stage?.name ?? applyRun.stage ?? '?',
              ...splitRemedy(stage?.reason ?? applyRun.reason),
            };
          } else {
            summary.timeToStagingSeconds = seconds(started);
            await releaseToProd(ctx, {
              projectId: project.projectId,
              version: applied.version,
              approver: approval.approver,
              windowSeconds,
              started,
              summary,
            });
          }
          const bundlePath = resolve(
            options.bundle ??
              join(ctx.engine.dataDir, 'bundles', `${project.projectId}-${applied.version}.tar.gz`),
          );
          ctx.progress(`▶ audit bundle ${bundlePath}`);
          const exported = await ctx.engine.invoke('audit.export', { outFile: bundlePath });
          const verified = await ctx.engine.invoke('audit.verify', { file: exported.file });
          summary.bundle = {
            path: exported.file,
            verified: verified.ok,
            entries: verified.entries,
          };
          if (options.summaryFile) {
            const file = resolve(options.summaryFile);
            await mkdir(dirname(file), { recursive: true });
            await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
          }
          ctx.emit(summary, renderSummary);
          if (summary.outcome === 'promoted')
            return summary.bundle.verified ? EXIT.ok : EXIT.failed;
          return summary.outcome === 'blocked' ? EXIT.blocked : EXIT.failed;
        },
        { 'input.target': '--target', 'inputs.answers': '--answer' },
      ),
    );
}

/**
 * The release half of the sprint: a canary in prod (one switch for a first release), with
 * synthetic users once the new version takes traffic, and the outcome written into the summary.
 */
async function releaseToProd(
  ctx: CommandContext,
  r: {
    projectId: string;
    version: string;
    approver: string;
    windowSeconds: number;
    started: number;
    summary: SprintSummary;
  },
): Promise<void> {
  const { summary } = r;
  ctx.progress('▶ release to prod: canary 1% → 5% → 25% → 100% (a first release switches at once)');
  const created = await ctx.engine.invoke('releases.create', {
    projectId: r.projectId,
    version: r.version,
    environment: 'prod',
    strategy: 'canary',
    analysisWindowSeconds: r.windowSeconds,
    approvals: [r.approver],
  });
  const prod = await ctx.engine.runs().environmentUrl(r.projectId, 'prod');
  // Users arrive once the new version takes traffic: before that a first release's router has
  // no server, and every request would be a 503 no user would send.
  let traffic: SyntheticTraffic | undefined;
  let following = true;
  const startWhenServing = (async () => {
    while (following && !traffic) {
      const now = await ctx.engine
        .invoke('releases.get', { releaseId: created.releaseId })
        .catch(() => undefined);
      if (now && now.trafficPercent > 0) {
        summary.timeToCanaryStartSeconds = seconds(r.started);
        traffic = startSyntheticTraffic({
          url: prod.url,
          path: prod.healthPath,
          ratePerSecond: syntheticRate(r.windowSeconds),
          concurrency: 8,
        });
      } else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  let releaseRun: Awaited<ReturnType<typeof followRun>>;
  try {
    releaseRun = await followRun(ctx, created.runId);
  } finally {
    following = false;
    await startWhenServing;
    summary.syntheticTraffic = (await traffic?.stop()) ?? null;
  }
  const release = await ctx.engine.invoke('releases.get', { releaseId: created.releaseId });
  summary.releaseId = release.releaseId;
  summary.releasePhase = release.phase;
  summary.rollout = {
    fromVersion: release.stableVersion,
    steps: release.step.of,
    decisions: release.decisions.map(({ step, action, reason }) => ({ step, action, reason })),
  };
  if (release.phase === 'promoted') {
    summary.outcome = 'promoted';
    summary.timeToProdSeconds = seconds(r.started);
    return;
  }
  summary.outcome = release.phase === 'blocked' ? 'blocked' : 'rolled-back';
  // A blocked release stopped at its gate stage, whose reason carries the gate's remedy.
  const stopped = releaseRun.stages.find((s) => s.status === 'blocked' || s.status === 'error');
  summary.blockedAt =
    release.phase === 'blocked' && stopped?.reason
      ? { stage: 'release', ...splitRemedy(stopped.reason) }
      : { stage: 'release', reason: release.rollbackReason ?? release.phase, remedy: null };
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

async function stageOutputs(ctx: CommandContext, runId: string): Promise<Record<string, unknown>> {
  return (await ctx.engine.invoke('runs.outputs', { runId })).outputs;
}

/** What the staging gate let through but would deny in production (the packs' `warn` sets). */
function policyWarnings(outputs: Record<string, unknown>) {
  const policy = outputs.policy as
    | {
        decisions?: Array<{
          pack: string;
          warn?: Array<{ rule: string; message: string; remediation: string }>;
        }>;
      }
    | undefined;
  return (policy?.decisions ?? []).flatMap((decision) =>
    (decision.warn ?? []).map((item) => ({
      subject: `${decision.pack} ${item.rule}`,
      reason: `${item.message} (allowed before production, denied in prod)`,
      remedy: item.remediation,
    })),
  );
}

/** What stood in for the base images the Dockerfile asked for, when it is not the same. */
function buildWarnings(outputs: Record<string, unknown>) {
  const build = outputs.build as
    | {
        baseImages?: Array<{ requested: string; actual: string | null; warnings: string[] }>;
        dockerfile?: string;
        dockerfileOrigin?: 'repository' | 'plan';
      }
    | undefined;
  const generated =
    build?.dockerfileOrigin === 'plan'
      ? [
          {
            subject: 'Dockerfile',
            reason: `the repository has none for this service: the plan's was built (${build.dockerfile ?? 'Dockerfile'})`,
            remedy:
              'review the proposed Dockerfile on the plan branch and merge it, or add your own',
          },
        ]
      : [];
  return [
    ...generated,
    ...(build?.baseImages ?? []).flatMap((image) =>
      image.warnings.map((warning) => ({
        subject: `base image ${image.requested}`,
        reason: `${warning}${image.actual ? ` (stand-in: ${image.actual})` : ''}`,
        remedy: `push ${image.requested} itself to the registry mirror (prodsprint config set registry.mirror <url>) for a build identical to production`,
      })),
    ),
  ];
}

/** Sample values and generated secrets the staging environment runs with. */
function stagingWarnings(outputs: Record<string, unknown>) {
  const staging = outputs.staging as
    { warnings?: Array<{ subject: string; reason: string; remedy: string }> } | undefined;
  return staging?.warnings ?? [];
}
