/**
 * `prodsprint sprint`: the main job (issue 10). Import → audit → plan → approval → apply
 * (branch, image, gates, staging, smoke) → canary to 100% in prod → audit bundle exported and
 * verified, with a summary a person can act on. Every step is an operation of the contract, so
 * the sprint is exactly what the desktop app's wizard does, step for step.
 */
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  ProblemError,
  startSyntheticTraffic,
  type SyntheticTraffic,
} from '../../engine/api/index.ts';
import type { CommandContext, CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';
import { driveRunsHere, followRun } from '../run-driver.ts';

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
}

interface Gate {
  gate: string;
  status: 'passed' | 'blocked' | 'not run';
  figures: string;
}

export interface SprintSummary {
  projectId: string;
  blueprintId: string;
  planHash: string;
  approvalId: string;
  selfApproved: boolean;
  version: string;
  branch: string;
  applyRunId: string;
  outcome: 'promoted' | 'blocked' | 'rolled-back' | 'failed';
  blockedAt: { stage: string; reason: string; remedy: string | null } | null;
  gates: Gate[];
  releaseId: string | null;
  releasePhase: string | null;
  timeToStagingSeconds: number | null;
  timeToProdSeconds: number | null;
  syntheticTraffic: { requests: number; failures: number; connectionErrors: number } | null;
  artifactsDir: string;
  sbomPath: string | null;
  bundle: { path: string; verified: boolean; entries: number } | null;
}

const seconds = (from: number) => Math.round((Date.now() - from) / 100) / 10;

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
    ctx.progress(`reusing project ${same.projectId} (${same.name})`);
    return same;
  }
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
        remedy: `review it (prodsprint plan ... --diff) and run the sprint with --yes-i-approve, or approve it with \`prodsprint plan approve ${plan.blueprintId} --plan-hash ${plan.planHash}\``,
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

function splitRemedy(reason: string | null): { reason: string; remedy: string | null } {
  const text = reason ?? '';
  const at = text.indexOf(' Remedy: ');
  return at < 0
    ? { reason: text, remedy: null }
    : { reason: text.slice(0, at), remedy: text.slice(at + ' Remedy: '.length) };
}

function gatesOf(
  stages: Array<{ name: string; status: string }>,
  outputs: Record<string, unknown>,
): Gate[] {
  const status = (name: string): Gate['status'] => {
    const stage = stages.find((s) => s.name === name);
    if (stage?.status === 'done') return 'passed';
    if (stage?.status === 'blocked') return 'blocked';
    return 'not run';
  };
  const o = outputs as Record<string, Record<string, unknown> | undefined>;
  const tests = o.tests as
    | { passed: number | null; failed: number | null; linesPct: number | null; runner: string }
    | undefined;
  const sbom = o.sbom as { components: number; format: string } | undefined;
  const vulns = o.vulns as { findings: unknown[] | null; advisoriesKnown: number } | undefined;
  const scan = o['config-scan'] as { findings: unknown[]; scanner: string } | undefined;
  const perf = o.perf as
    { generator: string; p95Ms: number | null; errorRate: number | null } | undefined;
  const policy = o.policy as { decisions: Array<{ pack: string; allow: boolean }> } | undefined;
  return [
    {
      gate: 'tests',
      status: status('tests'),
      figures: tests
        ? `${tests.passed ?? '?'} passed, ${tests.failed ?? '?'} failed, line coverage ${tests.linesPct ?? 'n/a'}% (${tests.runner})`
        : '',
    },
    {
      gate: 'sbom',
      status: status('sbom'),
      figures: sbom ? `${sbom.format}, ${sbom.components} components` : '',
    },
    {
      gate: 'vulnerabilities',
      status: status('vulns'),
      figures: vulns
        ? `${vulns.findings?.length ?? 'no data'} finding(s) against ${vulns.advisoriesKnown} imported advisories`
        : '',
    },
    {
      gate: 'config-scan',
      status: status('config-scan'),
      figures: scan ? `${scan.scanner}: ${scan.findings.length} HIGH/CRITICAL` : '',
    },
    {
      gate: 'perf',
      status: status('perf'),
      figures: perf
        ? `p95 ${perf.p95Ms?.toFixed(1) ?? 'n/a'} ms, errors ${perf.errorRate === null ? 'n/a' : (perf.errorRate * 100).toFixed(2)}% (${perf.generator})`
        : '',
    },
    {
      gate: 'policy',
      status: status('policy'),
      figures: policy
        ? policy.decisions.map((d) => `${d.pack} ${d.allow ? 'allow' : 'deny'}`).join(', ')
        : '',
    },
    { gate: 'staging+smoke', status: status('smoke'), figures: '' },
  ];
}

function render(s: SprintSummary): string {
  const lines = [
    '',
    `Sprint of ${s.projectId} version ${s.version}: ${s.outcome.toUpperCase()}`,
    `  plan          ${s.blueprintId} (hash ${s.planHash.slice(0, 16)}…), ${s.selfApproved ? 'self-approved (recorded in the audit chain)' : 'approved'}`,
    `  branch        ${s.branch}`,
    '  gates',
    ...s.gates.map((g) => `    ${g.gate.padEnd(16)} ${g.status.padEnd(8)} ${g.figures}`),
  ];
  if (s.blockedAt) {
    lines.push(`  blocked at    ${s.blockedAt.stage}: ${s.blockedAt.reason}`);
    if (s.blockedAt.remedy) lines.push(`  remedy        ${s.blockedAt.remedy}`);
  }
  if (s.releaseId) lines.push(`  release       ${s.releaseId}: ${s.releasePhase}`);
  if (s.syntheticTraffic)
    lines.push(
      `  canary load   ${s.syntheticTraffic.requests} synthetic requests, ${s.syntheticTraffic.failures} 5xx, ${s.syntheticTraffic.connectionErrors} connection errors`,
    );
  lines.push(
    `  time          to staging ${s.timeToStagingSeconds ?? 'n/a'} s, to prod ${s.timeToProdSeconds ?? 'n/a'} s`,
    `  artifacts     ${s.artifactsDir}`,
    ...(s.sbomPath ? [`  sbom          ${s.sbomPath}`] : []),
    ...(s.bundle
      ? [
          `  audit bundle  ${s.bundle.path} (${s.bundle.verified ? 'verified' : 'NOT verified'}, ${s.bundle.entries} entries)`,
        ]
      : []),
  );
  return lines.join('\n');
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
          const started = Date.now();
          ctx.progress(`▶ import ${source}`);
          const project = await importOrReuse(ctx, source, options);
          ctx.progress(`▶ audit ${project.projectId}`);
          await ctx.engine.invoke('projects.audit', { projectId: project.projectId });
          ctx.progress('▶ plan');
          const plan = await ctx.engine.invoke('blueprints.generate', {
            projectId: project.projectId,
            inputs: {
              target: options.target as 'docker',
              costCeilingMonthly: Number(options.costCeiling),
            },
          });
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
            perfLoad: { durationSeconds: Number(options.perfSeconds), connections: 10 },
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
            timeToStagingSeconds: null,
            timeToProdSeconds: null,
            syntheticTraffic: null,
            artifactsDir: plan.artifactsDir,
            sbomPath: (outputs.sbom as { path?: string } | undefined)?.path ?? null,
            bundle: null,
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
            ctx.progress('▶ release to prod: canary 1% → 5% → 25% → 100%');
            const created = await ctx.engine.invoke('releases.create', {
              projectId: project.projectId,
              version: applied.version,
              environment: 'prod',
              strategy: 'canary',
              analysisWindowSeconds: Number(options.window),
              approvals: [approval.approver],
            });
            const prod = await ctx.engine.runs().environmentUrl(project.projectId, 'prod');
            // Users arrive once the new version takes traffic: before that a first release's
            // router has no server, and every request would be a 503 no user would send.
            let traffic: SyntheticTraffic | undefined;
            let following = true;
            const startWhenServing = (async () => {
              while (following && !traffic) {
                const now = await ctx.engine
                  .invoke('releases.get', { releaseId: created.releaseId })
                  .catch(() => undefined);
                if (now && now.trafficPercent > 0) {
                  traffic = startSyntheticTraffic({
                    url: prod.url,
                    path: prod.healthPath,
                    ratePerSecond: 100,
                  });
                } else await new Promise((r) => setTimeout(r, 200));
              }
            })();
            try {
              await followRun(ctx, created.runId);
            } finally {
              following = false;
              await startWhenServing;
              summary.syntheticTraffic = (await traffic?.stop()) ?? null;
            }
            const release = await ctx.engine.invoke('releases.get', {
              releaseId: created.releaseId,
            });
            summary.releaseId = release.releaseId;
            summary.releasePhase = release.phase;
            summary.outcome =
              release.phase === 'promoted'
                ? 'promoted'
                : release.phase === 'blocked'
                  ? 'blocked'
                  : 'rolled-back';
            if (release.phase === 'promoted') summary.timeToProdSeconds = seconds(started);
            else
              summary.blockedAt = {
                stage: 'release',
                reason: release.rollbackReason ?? release.phase,
                remedy: null,
              };
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
          ctx.emit(summary, render);
          if (summary.outcome === 'promoted')
            return summary.bundle.verified ? EXIT.ok : EXIT.failed;
          return summary.outcome === 'blocked' ? EXIT.blocked : EXIT.failed;
        },
        { 'input.target': '--target' },
      ),
    );
}

async function stageOutputs(ctx: CommandContext, runId: string): Promise<Record<string, unknown>> {
  return (await ctx.engine.invoke('runs.outputs', { runId })).outputs;
}
