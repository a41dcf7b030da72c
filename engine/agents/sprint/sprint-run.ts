/**
 * The sprint as a run (issue 16): plan → approval → apply → release → evidence → outcome, for a
 * project that `sprints.start` imported (or synced). Every step is an operation of the contract
 * (ports.ts). Waiting (for a person's approval, for the apply run, for the canary) is a
 * re-schedule (`ctx.requeueAt`), not a sleep, so twenty sprints share four workers; side effects
 * that must happen once (submit the apply, create the release, export the bundle) go through
 * `ctx.once`, so a restarted engine finishes the sprint without doing them twice.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SprintOptions, SprintSummary as SummarySchema } from '../../contract/sprints.contract.ts';
import {
  BlockedStageError,
  FatalStageError,
  isTerminal,
  splitRemedy,
  type RunDefinition,
  type StageContext,
} from '../../runs/index.ts';
import type { SprintPorts, TrafficStats } from './ports.ts';
import {
  buildWarnings,
  gatesOf,
  policyWarnings,
  stagingWarnings,
  type SprintSummary,
} from './sprint-summary.ts';
import { syntheticRate } from './synthetic-rate.ts';

/** The sprint run's input: the contract's sprint options. */
export const SprintInput = SprintOptions;
export type SprintInput = z.infer<typeof SprintInput>;

/** How often a sprint looks again at what it waits for. An approval also wakes it at once. */
export const SPRINT_POLL_MS = {
  approval: 10_000,
  apply: 1_000,
  // Synthetic users must arrive soon after a canary step takes traffic, or its first analysis
  // window sees too few requests to judge.
  release: 500,
} as const;

const Assumed = z.object({
  id: z.string(),
  question: z.string(),
  value: z.string(),
  evidence: z.string(),
});

export const SprintPlanOutput = z.object({
  startedAtMs: z.number(),
  blueprintId: z.string(),
  version: z.number().int(),
  planHash: z.string(),
  artifacts: z.number().int(),
  artifactsDir: z.string(),
  /** Questions `selfApprove` answered with the candidate the plan rendered with. */
  assumed: z.array(Assumed),
  /** Questions still without an answer: a person answers them before approving. */
  openQuestions: z.array(z.string()),
});

export const SprintApprovalOutput = z.object({
  approvalId: z.string(),
  blueprintId: z.string(),
  planHash: z.string(),
  approver: z.string(),
  selfApproval: z.boolean(),
});

// The parts a stage records that end up in the summary have the summary's own schemas.
const { blockedAt, gates, warnings, rollout, syntheticTraffic } = SummarySchema.shape;

export const SprintApplyOutput = z.object({
  runId: z.string(),
  version: z.string(),
  branch: z.string(),
  status: z.string(),
  finishedAtMs: z.number(),
  blockedAt,
  gates,
  sbomPath: z.string().nullable(),
  warnings,
});

export const SprintReleaseOutput = z.object({
  releaseId: z.string().nullable(),
  phase: z.string().nullable(),
  rollout,
  blockedAt,
  canaryStartedAtMs: z.number().nullable(),
  finishedAtMs: z.number().nullable(),
  syntheticTraffic,
});

/** Synthetic users of the sprints this process drives, by sprint run id. */
class TrafficRegistry {
  private readonly running = new Map<string, { stop(): Promise<TrafficStats> }>();

  has(runId: string): boolean {
    return this.running.has(runId);
  }

  start(runId: string, traffic: { stop(): Promise<TrafficStats> }): void {
    this.running.set(runId, traffic);
  }

  async stop(runId: string): Promise<TrafficStats | null> {
    const traffic = this.running.get(runId);
    this.running.delete(runId);
    return traffic ? traffic.stop() : null;
  }
}

const seconds = (fromMs: number, toMs: number | null) =>
  toMs === null ? null : Math.round((toMs - fromMs) / 100) / 10;

function blockedAtOf(
  stages: Array<{ name: string; status: string; reason: string | null }>,
  fallbackStage: string,
  fallbackReason: string | null,
) {
  const stopped = stages.find((s) => s.status === 'blocked' || s.status === 'error');
  return {
    stage: stopped?.name ?? fallbackStage,
    ...splitRemedy(stopped?.reason ?? fallbackReason),
  };
}

export interface SprintRunOptions {
  /** Asked when a stage runs: the ports reach back into the engine that owns this run host. */
  ports: () => SprintPorts;
}

export function sprintRun({ ports: portsOf }: SprintRunOptions): RunDefinition {
  const traffic = new TrafficRegistry();
  const inputOf = (ctx: StageContext) => SprintInput.parse(ctx.input);

  return {
    kind: 'sprint',
    input: SprintInput,
    stages: [
      {
        name: 'plan',
        output: SprintPlanOutput,
        retry: { maxAttempts: 2 },
        run: async (ctx) => {
          const ports = portsOf();
          const input = inputOf(ctx);
          const startedAtMs = await ctx.once('started-at', () => ctx.now());
          const inputs = {
            target: input.target,
            costCeilingMonthly: input.costCeilingMonthly,
            ...(Object.keys(input.answers).length ? { answers: input.answers } : {}),
          };
          let plan = await ctx.effect('generate', () => ports.generatePlan(ctx.projectId, inputs));
          let open = plan.questions.filter((q) => q.answer === null && q.candidates.length > 0);
          const assumed = input.selfApprove
            ? open.map((q) => ({
                id: q.id,
                question: q.question,
                value: q.candidates[0]!.value,
                evidence: q.candidates[0]!.evidence,
              }))
            : [];
          if (assumed.length > 0) {
            // The person approving takes the plan as shown, so each open question gets the
            // candidate the plan rendered with; the answers are in the new plan and its hash.
            const answers = {
              ...input.answers,
              ...Object.fromEntries(assumed.map((a) => [a.id, a.value])),
            };
            plan = await ctx.effect('generate-answered', () =>
              ports.generatePlan(ctx.projectId, { ...inputs, answers }),
            );
            open = plan.questions.filter((q) => q.answer === null && q.candidates.length > 0);
          }
          return {
            startedAtMs,
            blueprintId: plan.blueprintId,
            version: plan.version,
            planHash: plan.planHash,
            artifacts: plan.artifacts,
            artifactsDir: plan.artifactsDir,
            assumed,
            openQuestions: open.map((q) => q.id),
          };
        },
      },
      {
        name: 'approval',
        needs: ['plan'],
        output: SprintApprovalOutput,
        retry: { maxAttempts: 2 },
        run: async (ctx) => {
          const ports = portsOf();
          const input = inputOf(ctx);
          const plan = SprintPlanOutput.parse(ctx.upstream.plan);
          if (input.selfApprove) return ctx.once('approve', () => ports.approve(plan, true));
          const approval = ports.approvalSince(ctx.projectId, plan.version);
          if (approval) return approval;
          return ctx.requeueAt(
            ctx.now() + SPRINT_POLL_MS.approval,
            plan.openQuestions.length > 0
              ? `awaiting approval: plan ${plan.blueprintId} has unanswered questions (${plan.openQuestions.join(', ')}); answer them in a new plan and approve that`
              : `awaiting approval of plan ${plan.blueprintId} (hash ${plan.planHash})`,
          );
        },
      },
      {
        name: 'apply',
        needs: ['approval'],
        inputs: ['approval'],
        output: SprintApplyOutput,
        retry: { maxAttempts: 2 },
        run: async (ctx) => {
          const ports = portsOf();
          const input = inputOf(ctx);
          const approval = SprintApprovalOutput.parse(ctx.upstream.approval);
          const osv = input.osv;
          if (osv) await ctx.once('import-advisories', () => ports.importAdvisories(osv));
          const applied = await ctx.once('submit-apply', () =>
            ports.apply({
              projectId: ctx.projectId,
              blueprintId: approval.blueprintId,
              approvalId: approval.approvalId,
              perfSeconds: input.perfSeconds,
            }),
          );
          const child = await ports.run(applied.runId);
          if (!isTerminal(child.status))
            return ctx.requeueAt(
              ctx.now() + SPRINT_POLL_MS.apply,
              `applying ${applied.version}: ${child.stage ?? 'queued'}`,
            );
          const outputs = await ports.runOutputs(applied.runId);
          return {
            runId: applied.runId,
            version: applied.version,
            branch: applied.branch,
            status: child.status,
            finishedAtMs: ctx.now(),
            blockedAt:
              child.status === 'done'
                ? null
                : blockedAtOf(child.stages, child.stage ?? 'apply', child.reason),
            gates: gatesOf(child.stages, outputs),
            sbomPath: (outputs.sbom as { path?: string } | undefined)?.path ?? null,
            warnings: [
              ...applied.warnings,
              ...buildWarnings(outputs),
              ...stagingWarnings(outputs),
              ...policyWarnings(outputs),
            ],
          };
        },
      },
      {
        name: 'release',
        needs: ['apply'],
        inputs: ['apply', 'approval'],
        output: SprintReleaseOutput,
        retry: { maxAttempts: 2 },
        run: async (ctx) => {
          const ports = portsOf();
          const input = inputOf(ctx);
          const applied = SprintApplyOutput.parse(ctx.upstream.apply);
          const approval = SprintApprovalOutput.parse(ctx.upstream.approval);
          if (applied.status !== 'done')
            return {
              releaseId: null,
              phase: null,
              rollout: null,
              blockedAt: null,
              canaryStartedAtMs: null,
              finishedAtMs: null,
              syntheticTraffic: null,
            };
          const created = await ctx.once('create-release', () =>
            ports.createRelease({
              projectId: ctx.projectId,
              version: applied.version,
              windowSeconds: input.windowSeconds,
              approver: approval.approver,
            }),
          );
          const release = await ports.release(created.releaseId);
          const trafficPercent = release?.trafficPercent ?? 0;
          // Users arrive once the new version takes traffic: before that a first release's
          // router has no server, and every request would be a 503 no user would send.
          const canaryStartedAtMs =
            trafficPercent > 0 || release?.phase === 'promoted'
              ? await ctx.once('canary-started', () => ctx.now())
              : null;
          const child = await ports.run(created.runId);
          if (!isTerminal(child.status)) {
            if (trafficPercent > 0 && !traffic.has(ctx.runId)) {
              const prod = await ports.prodEndpoint(ctx.projectId);
              traffic.start(
                ctx.runId,
                ports.startTraffic({ ...prod, ratePerSecond: syntheticRate(input.windowSeconds) }),
              );
            }
            return ctx.requeueAt(
              ctx.now() + SPRINT_POLL_MS.release,
              `releasing ${applied.version} to prod: ${release?.phase ?? 'starting'}, ${trafficPercent}% of traffic`,
            );
          }
          const syntheticTraffic = await traffic.stop(ctx.runId);
          const final = await ports.release(created.releaseId);
          const phase = final?.phase ?? (child.status === 'done' ? 'promoted' : child.status);
          return {
            releaseId: created.releaseId,
            phase,
            rollout: final
              ? {
                  fromVersion: final.stableVersion,
                  steps: final.steps,
                  decisions: final.decisions.map(({ step, action, reason }) => ({
                    step,
                    action,
                    reason,
                  })),
                }
              : null,
            blockedAt:
              phase === 'promoted'
                ? null
                : phase === 'blocked'
                  ? {
                      ...blockedAtOf(child.stages, 'release', child.reason),
                      stage: 'release',
                    }
                  : {
                      stage: 'release',
                      reason: final?.rollbackReason ?? child.reason ?? phase,
                      remedy: null,
                    },
            canaryStartedAtMs,
            finishedAtMs: ctx.now(),
            syntheticTraffic,
          };
        },
      },
      {
        name: 'evidence',
        needs: ['release'],
        inputs: ['plan', 'approval', 'apply', 'release'],
        output: SummarySchema,
        retry: { maxAttempts: 2 },
        run: async (ctx): Promise<SprintSummary> => {
          const ports = portsOf();
          const input = inputOf(ctx);
          const plan = SprintPlanOutput.parse(ctx.upstream.plan);
          const approval = SprintApprovalOutput.parse(ctx.upstream.approval);
          const applied = SprintApplyOutput.parse(ctx.upstream.apply);
          const release = SprintReleaseOutput.parse(ctx.upstream.release);
          const outFile =
            input.bundle ?? join(ports.bundlesDir, `${ctx.projectId}-${applied.version}.tar.gz`);
          const exported = await ctx.once('export-bundle', () => ports.exportBundle(outFile));
          const verified = await ports.verifyBundle(exported.file);
          const promoted = release.phase === 'promoted';
          return {
            projectId: ctx.projectId,
            blueprintId: approval.blueprintId,
            planHash: approval.planHash,
            approvalId: approval.approvalId,
            selfApproved: approval.selfApproval,
            version: applied.version,
            branch: applied.branch,
            applyRunId: applied.runId,
            outcome: outcomeOf(applied.status, release.phase),
            blockedAt: applied.blockedAt ?? release.blockedAt,
            gates: applied.gates,
            releaseId: release.releaseId,
            releasePhase: release.phase,
            rollout: release.rollout,
            timeToStagingSeconds:
              applied.status === 'done' ? seconds(plan.startedAtMs, applied.finishedAtMs) : null,
            timeToCanaryStartSeconds:
              release.canaryStartedAtMs === null
                ? null
                : seconds(plan.startedAtMs, release.canaryStartedAtMs),
            timeToProdSeconds: promoted ? seconds(plan.startedAtMs, release.finishedAtMs) : null,
            syntheticTraffic: release.syntheticTraffic,
            artifactsDir: plan.artifactsDir,
            sbomPath: applied.sbomPath,
            bundle: { path: exported.file, verified: verified.ok, entries: verified.entries },
            warnings: [
              ...plan.assumed.map((a) => ({
                subject: a.id,
                reason: `${a.question} the self-approval answered ${a.value} (${a.evidence})`,
                remedy: `if that is wrong, start the sprint again with the answer ${a.id}=<value>`,
              })),
              ...applied.warnings,
            ],
          };
        },
      },
      {
        // The run's own status tells the outcome, so a client that only reads runs sees it.
        name: 'outcome',
        needs: ['evidence'],
        retry: { maxAttempts: 1 },
        run: (ctx) => {
          const summary = SummarySchema.parse(ctx.upstream.evidence);
          if (summary.outcome === 'promoted' && summary.bundle?.verified)
            return { outcome: summary.outcome };
          if (summary.outcome === 'blocked' && summary.blockedAt)
            throw new BlockedStageError(
              `${summary.blockedAt.stage}: ${summary.blockedAt.reason}`,
              summary.blockedAt.remedy ?? undefined,
            );
          throw new FatalStageError(
            summary.outcome === 'promoted'
              ? `the audit bundle ${summary.bundle?.path ?? ''} did not verify`
              : `${summary.outcome}${summary.blockedAt ? ` at ${summary.blockedAt.stage}: ${summary.blockedAt.reason}` : ''}`,
          );
        },
      },
    ],
  };
}

function outcomeOf(applyStatus: string, releasePhase: string | null): SprintSummary['outcome'] {
  if (applyStatus === 'blocked') return 'blocked';
  if (applyStatus !== 'done') return 'failed';
  if (releasePhase === 'promoted') return 'promoted';
  if (releasePhase === 'blocked') return 'blocked';
  // A canary that was rolled back (or aborted) left prod on the version it had.
  return releasePhase === 'rolled-back' || releasePhase === 'aborted' ? 'rolled-back' : 'failed';
}
