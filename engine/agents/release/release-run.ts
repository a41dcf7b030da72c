/**
 * The `release` run (issue 9): gate → deploy → rollout. The rollout stage is Argo's reconcile:
 * each pass reads the persisted release, applies the one idempotent step it calls for (a keyed
 * traffic effect, a re-scheduled wait, an analysis, a rollback) and persists the new status
 * once. A restarted engine re-enters it under the same attempt, so completed traffic effects
 * are answered from the store: a restart alone never changes traffic.
 */
import {
  BlockedStageError,
  defineRun,
  systemClock,
  type RunDefinition,
  type StageContext,
} from '../../runs/index.ts';
import { HealthUnavailableError } from '../../targets/errors.ts';
import { evaluateHealth, type HealthEvaluation } from '../../targets/health/thresholds.ts';
import type { Target, VersionHealth } from '../../targets/target.ts';
import { decide } from './analysis.ts';
import { completeRelease } from './complete.ts';
import { countRecentFailures } from './history.ts';
import { notifyOnce, policyFailedEvent } from './notify.ts';
import { releaseInputSchema, type ReleaseInput } from './release-input.ts';
import {
  ensureRelease,
  getRelease,
  ReleaseConflictError,
  isTerminalPhase,
  releaseIdOf,
  saveRelease,
  type Release,
  type ReleaseStep,
} from './release-state.ts';
import type { ReleaseAgentOptions } from './options.ts';
import { riskScore } from './risk.ts';
import { rollBackRelease } from './rollback.ts';
import { resolveTarget } from './target.ts';
import { CONTROL_POLL_MS } from './wait.ts';

export interface ReleaseSummary {
  releaseId: string;
  phase: Release['phase'];
  version: string;
  trafficPercent: number;
  reason: string | null;
}

/** The traffic plan: canary steps, or one 0 → 100 switch for blue/green. */
export function planSteps(input: ReleaseInput): ReleaseStep[] {
  const stable = input.stableVersion;
  const percents = input.strategy === 'blue-green' || !stable ? [100] : [...input.steps];
  if (percents.at(-1) !== 100) percents.push(100);
  return percents.map((percent) => ({
    percent,
    weights: stable
      ? { [input.version]: percent, [stable]: 100 - percent }
      : { [input.version]: percent },
  }));
}

export function releaseRun(options: ReleaseAgentOptions): RunDefinition {
  const clock = options.clock ?? systemClock();
  const store = { db: options.db, audit: options.audit };
  const now = () => clock.now();

  const load = (ctx: StageContext): { input: ReleaseInput; release: Release } => {
    const input = releaseInputSchema.parse(ctx.input);
    const release = getRelease(options.db, releaseIdOf(ctx.runId));
    if (!release) throw new Error(`release of run ${ctx.runId} is missing`);
    return { input, release };
  };

  const summary = (release: Release): ReleaseSummary => ({
    releaseId: release.id,
    phase: release.phase,
    version: release.version,
    trafficPercent: release.trafficPercent,
    reason: release.detail.rollbackReason,
  });

  return defineRun({
    kind: 'release',
    input: releaseInputSchema,
    stages: [
      {
        name: 'gate',
        retry: { maxAttempts: 1 },
        async run(ctx) {
          const input = releaseInputSchema.parse(ctx.input);
          const recentFailures =
            input.risk.recentFailures ??
            countRecentFailures(options.db, ctx.projectId, {
              nowMs: now(),
              days: options.recentFailureDays,
              excludeId: releaseIdOf(ctx.runId),
            });
          const risk = riskScore({
            ...input.risk,
            recentFailures,
            migrations: input.migration !== undefined,
          });
          const release = ensureRelease(store, {
            id: releaseIdOf(ctx.runId),
            projectId: ctx.projectId,
            runId: ctx.runId,
            environment: input.environment,
            version: input.version,
            strategy: input.strategy,
            phase: 'progressing',
            trafficPercent: 0,
            riskScore: risk.score,
            detail: {
              revision: 0,
              strategy: input.strategy,
              stableVersion: input.stableVersion ?? null,
              steps: planSteps(input),
              stepIndex: 0,
              appliedStep: -1,
              windowStartedAt: null,
              inconclusive: 0,
              samples: [],
              decisions: [],
              risk,
              migration: input.migration ? { ...input.migration, schemaReversed: false } : null,
              rollbackReason: null,
            },
          });
          let deny: string[];
          let remediation: string[] = [];
          try {
            const decision = await options.gate({
              projectId: ctx.projectId,
              environment: input.environment,
              version: input.version,
              strategy: input.strategy,
              at: new Date(now()).toISOString(),
              approvals: input.approvals,
              risk,
            });
            deny = decision.allow ? [] : decision.deny.length ? decision.deny : ['denied'];
            remediation = decision.allow ? [] : (decision.remediation ?? []).filter(Boolean);
          } catch (error) {
            // Fail closed: a gate that cannot be evaluated blocks (invariant 5).
            deny = [`policy gate could not be evaluated: ${(error as Error).message}`];
          }
          if (deny.length > 0) {
            release.phase = 'blocked';
            release.detail.decisions.push({
              step: 0,
              at: new Date(now()).toISOString(),
              action: 'blocked',
              reason: `blocked by policy gate: ${deny.join('; ')}`,
            });
            saveRelease(store, release, 'release.blocked', { deny, remediation });
            await notifyOnce(
              ctx,
              store,
              options,
              release.id,
              policyFailedEvent(release, deny, remediation),
            );
            throw new BlockedStageError(
              `release blocked by policy gate: ${deny.join('; ')}`,
              remediation.length > 0
                ? [...new Set(remediation)].join(' ')
                : 'wait for the freeze window to end or obtain the missing approvals, then submit again',
            );
          }
          return { allowed: true, risk: risk.score };
        },
      },
      {
        name: 'deploy',
        needs: ['gate'],
        inputs: [],
        retry: { maxAttempts: 3, initialDelayMs: 1000 },
        async run(ctx) {
          const { input, release } = load(ctx);
          const target = await resolveTarget(options.target, scopeOf(release));
          const deployed = await ctx.effect('deploy', async () => {
            const result = await target.deploy({
              version: input.version,
              image: input.image,
              env: input.env,
              replicas: input.replicas,
            });
            return { changed: result.changed, instances: result.instances.length };
          });
          if (input.strategy === 'blue-green' && options.smoke) {
            const failure = await ctx.effect('smoke', async () => {
              try {
                const ok = await options.smoke?.(input.version);
                return ok === false ? 'the smoke check refused it' : null;
              } catch (error) {
                return `the smoke check failed: ${(error as Error).message}`;
              }
            });
            if (
              failure !== null &&
              (release.phase === 'progressing' || release.phase === 'paused')
            ) {
              await ctx.effect('smoke-retire', async () => {
                await target.retire(input.version);
                return true;
              });
              release.phase = 'rolled-back';
              release.detail.rollbackReason = `preview ${input.version} at 0% traffic: ${failure}`;
              saveRelease(store, release, 'release.rolled-back', {
                reason: release.detail.rollbackReason,
              });
            }
          }
          return deployed;
        },
      },
      {
        name: 'rollout',
        needs: ['deploy'],
        inputs: [],
        retry: { maxAttempts: 3, initialDelayMs: 1000 },
        async run(ctx) {
          const { input, release } = load(ctx);
          const target = await resolveTarget(options.target, scopeOf(release));
          for (;;) {
            try {
              const next = await pass(ctx, input, target);
              if (next === null) continue;
              if ('summary' in next) return next.summary;
              // A wait is a re-schedule, not a sleep: no worker is held for a canary window.
              // It looks again within CONTROL_POLL_MS, so a control written by another
              // process (pause, promote, abort, rollback) is seen within about a second.
              return ctx.requeueAt(Math.min(next.until, now() + CONTROL_POLL_MS), next.reason);
            } catch (error) {
              // A person's rollback saved the release meanwhile: reload and re-decide.
              if (!(error instanceof ReleaseConflictError)) throw error;
            }
          }
        },
      },
    ],
  });

  /**
   * One reconcile pass: the one step persisted state calls for. Null: pass again now; a wait:
   * look again at `until` (or sooner); a summary once terminal.
   */
  async function pass(
    ctx: StageContext,
    input: ReleaseInput,
    target: Target,
  ): Promise<{ summary: ReleaseSummary } | { until: number; reason: string } | null> {
    let { release } = load(ctx);
    const d = release.detail;
    if (isTerminalPhase(release.phase)) {
      release = await completeRelease(ctx, store, options, target, release);
      return { summary: summary(release) };
    }
    if (release.phase === 'rolling-back') {
      await rollBackRelease(ctx, store, target, release, now);
      return null;
    }
    if (d.manualPromote) {
      await promoteNow(ctx, input, target, release);
      return null;
    }
    const step = d.steps[d.stepIndex]!;
    const where = `step ${d.stepIndex + 1} of ${d.steps.length} (${step.percent}%)`;
    if (d.appliedStep !== d.stepIndex) {
      // Paused before the first split: hold at 0% until resumed, promoted or aborted.
      if (release.phase === 'paused') return { until: Infinity, reason: `paused before ${where}` };
      // Once per release run, not per attempt: the stage comes back from every wait under a
      // new attempt, and a traffic split must not be applied twice.
      const applied = await ctx.once(`traffic-step-${d.stepIndex}`, () =>
        target.setTraffic(step.weights),
      );
      d.appliedStep = d.stepIndex;
      d.windowStartedAt = now();
      d.inconclusive = 0;
      release.trafficPercent = applied[input.version] ?? 0;
      saveRelease(store, release, 'release.traffic.set', { step: d.stepIndex, applied });
      ctx.progress(release.trafficPercent, `${input.version} at ${step.percent}%`);
      return null;
    }
    if (d.windowStartedAt === null) {
      // A control asked for a fresh window (pause, resume): it starts now, on the run's clock.
      d.windowStartedAt = now();
      saveRelease(store, release, 'release.window.started', { step: d.stepIndex });
      return null;
    }
    const dueAt = d.windowStartedAt + (input.analysisWindowSeconds + input.settleSeconds) * 1000;
    if (now() < dueAt)
      return {
        until: dueAt,
        reason: `${input.version} at ${release.trafficPercent}%: ${release.phase === 'paused' ? 'paused, ' : ''}analysing ${where}`,
      };
    await analyse(input, target, release);
    return null;
  }

  /** A person's promote: the last step's split (100%) now, then promoted, no further analysis. */
  async function promoteNow(
    ctx: StageContext,
    input: ReleaseInput,
    target: Target,
    release: Release,
  ): Promise<void> {
    const d = release.detail;
    const by = d.manualPromote!;
    const last = d.steps.length - 1;
    if (d.appliedStep !== last) {
      const applied = await ctx.once(`traffic-step-${last}`, () =>
        target.setTraffic(d.steps[last]!.weights),
      );
      release.trafficPercent = applied[input.version] ?? 0;
    }
    d.stepIndex = last;
    d.appliedStep = last;
    d.manualPromote = null;
    release.phase = 'promoted';
    d.decisions.push({
      step: last,
      at: new Date(now()).toISOString(),
      action: 'promote',
      reason: `promoted to 100% by ${by.actor}${by.reason ? `: ${by.reason}` : ''} (manual, analysis skipped)`,
      actor: by.actor,
    });
    saveRelease(store, release, 'release.promoted.manual', { by: by.actor, reason: by.reason });
    ctx.progress(release.trafficPercent, `${input.version} promoted by ${by.actor}`);
  }

  /** One analysis window: measure, evaluate, decide, persist sample and decision together. */
  async function analyse(input: ReleaseInput, target: Target, release: Release): Promise<void> {
    const d = release.detail;
    let sample: VersionHealth | undefined;
    let evaluation: HealthEvaluation;
    let error: string | undefined;
    try {
      const report = await target.health(input.analysisWindowSeconds);
      sample = report.versions[input.version];
      evaluation = evaluateHealth(sample, input.thresholds);
    } catch (cause) {
      // Fail closed: whatever kept health from being measured makes the window inconclusive.
      error = cause instanceof Error ? cause.message : String(cause);
      const what = cause instanceof HealthUnavailableError ? 'health unavailable' : 'health failed';
      evaluation = { verdict: 'unknown', reasons: [`${what}: ${error}`] };
    }
    const at = new Date(now()).toISOString();
    d.samples.push({
      step: d.stepIndex,
      at,
      windowSeconds: input.analysisWindowSeconds,
      sample: sample ?? null,
      evaluation,
      ...(error ? { error } : {}),
    });
    const decision = decide(evaluation, d.inconclusive, input.maxInconclusive);
    const last = d.stepIndex === d.steps.length - 1;
    if (decision.action === 'next' && release.phase === 'paused') {
      // Paused: a healthy window does not advance; an unhealthy one still rolls back (below).
      const pausedBy = d.decisions.findLast((x) => x.action === 'pause')?.actor ?? 'someone';
      d.decisions.push({
        step: d.stepIndex,
        at,
        action: 'hold',
        reason: `healthy, holding at ${release.trafficPercent}%: paused by ${pausedBy}`,
      });
      d.inconclusive = 0;
      d.windowStartedAt = now();
    } else if (decision.action === 'next' && last) {
      release.phase = 'promoted';
      d.decisions.push({ step: d.stepIndex, at, action: 'promote', reason: 'healthy at 100%' });
    } else if (decision.action === 'next') {
      d.decisions.push({ step: d.stepIndex, at, action: 'next', reason: decision.reason });
      d.stepIndex += 1;
      d.windowStartedAt = null;
    } else if (decision.action === 'hold') {
      d.decisions.push({ step: d.stepIndex, at, action: 'hold', reason: decision.reason });
      d.inconclusive = decision.inconclusive;
      d.windowStartedAt = now();
    } else {
      d.decisions.push({ step: d.stepIndex, at, action: 'rollback', reason: decision.reason });
      release.phase = 'rolling-back';
      d.rollbackReason = decision.reason;
    }
    saveRelease(store, release, 'release.analysis', {
      step: d.stepIndex,
      verdict: evaluation.verdict,
      decision: release.phase === 'paused' && decision.action === 'next' ? 'hold' : decision.action,
      reason: decision.reason,
    });
  }
}

function scopeOf(release: Release): { projectId: string; environment: string } {
  return { projectId: release.projectId, environment: release.environment };
}
