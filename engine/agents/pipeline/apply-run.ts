/**
 * The `apply` run (issue 10): an approved blueprint from artifacts to a smoke-tested staging
 * deploy. commit → build → (tests ∥ sbom → vulns ∥ config scan ∥ perf) → policy → staging →
 * smoke. Measuring stages only measure; the tests stage and the policy stage are the gates, and
 * a refusal parks the run as `blocked` with the rule's own remediation (fail closed, invariant 5).
 * Every stage's effect is keyed, so a restarted engine answers completed steps from the store.
 */
import { z } from 'zod';
import {
  BlockedStageError,
  defineRun,
  RetryableStageError,
  type RunDefinition,
  type StageContext,
} from '../../runs/index.ts';
import { isOfflineInputMissing } from '../../system/offline-input.ts';
import { applyInputSchema, type ApplyInput } from './apply-input.ts';
import { gateInputOf } from './gate-input.ts';
import type {
  BuildResult,
  PerfResult,
  PipelineToolkit,
  SbomResult,
  ScanResult,
  StagingResult,
  StepContext,
  TestsResult,
  VulnsResult,
} from './toolkit.ts';

export interface ApplyRunOptions {
  toolkit: PipelineToolkit;
  /** Who authored the change, for two-person rules; the approver of a self-approval. */
  author?: (projectId: string) => string | null;
}

/** Stage names, in the order the live view shows them. */
export const APPLY_STAGES = [
  'commit',
  'build',
  'tests',
  'sbom',
  'vulns',
  'config-scan',
  'perf',
  'policy',
  'staging',
  'smoke',
] as const;

const json = z.any();

function stepOf(ctx: StageContext): StepContext {
  return {
    projectId: ctx.projectId,
    runId: ctx.runId,
    input: applyInputSchema.parse(ctx.input),
    signal: ctx.signal,
    progress: (message) => ctx.progress(50, message),
  };
}

/**
 * Runs a stage's effect once per run: a re-entered stage gets the recorded result. An offline
 * input that is missing (a base image, a package mirror, a backing service) blocks the stage
 * with the input's own remedy: retrying cannot supply it (issue 14).
 */
async function once<T>(ctx: StageContext, fn: (step: StepContext) => Promise<T>): Promise<T> {
  try {
    return await ctx.effect(ctx.stage, () => fn(stepOf(ctx)));
  } catch (error) {
    if (isOfflineInputMissing(error)) throw new BlockedStageError(error.message, error.remedy);
    throw error;
  }
}

export function testsVerdict(tests: TestsResult): { ok: boolean; reason: string; remedy: string } {
  if (tests.exitCode === 0) return { ok: true, reason: '', remedy: '' };
  const named = tests.failures.slice(0, 5).join('; ');
  const count = tests.failed ?? 'some';
  return {
    ok: false,
    reason: `tests failed: ${count} failing (${tests.command} in ${tests.runner}, exit ${tests.exitCode})${named ? `: ${named}` : ''}`,
    remedy:
      'Fix the failing tests (run the same command locally to reproduce), commit, and run the sprint again.',
  };
}

export function applyRun(options: ApplyRunOptions): RunDefinition {
  const { toolkit } = options;
  return defineRun({
    kind: 'apply',
    input: applyInputSchema,
    stages: [
      {
        name: 'commit',
        retry: { maxAttempts: 2 },
        output: json,
        run: (ctx) => once(ctx, (step) => toolkit.commitArtifacts(step)),
      },
      {
        name: 'build',
        needs: ['commit'],
        retry: { maxAttempts: 2 },
        output: json,
        run: (ctx) => once(ctx, (step) => toolkit.buildImage(step)),
      },
      {
        name: 'tests',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: json,
        async run(ctx) {
          const tests = await once(ctx, (step) =>
            toolkit.runTests(step, ctx.upstream['build'] as BuildResult),
          );
          const verdict = testsVerdict(tests);
          if (!verdict.ok) throw new BlockedStageError(verdict.reason, verdict.remedy);
          return tests;
        },
      },
      {
        name: 'sbom',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: json,
        run: (ctx) =>
          once(ctx, (step) => toolkit.generateSbom(step, ctx.upstream['build'] as BuildResult)),
      },
      {
        name: 'vulns',
        needs: ['sbom'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: json,
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.scanVulnerabilities(step, ctx.upstream['sbom'] as SbomResult),
          ),
      },
      {
        name: 'config-scan',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: json,
        // Measures only: the policy stage judges the findings (HIGH/CRITICAL deny in production).
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.scanConfiguration(step, ctx.upstream['build'] as BuildResult),
          ),
      },
      {
        name: 'perf',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: json,
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.measurePerformance(step, ctx.upstream['build'] as BuildResult),
          ),
      },
      {
        name: 'policy',
        needs: ['tests', 'sbom', 'vulns', 'config-scan', 'perf'],
        inputs: ['tests', 'sbom', 'vulns', 'perf', 'config-scan'],
        retry: { maxAttempts: 1 },
        output: json,
        async run(ctx) {
          const step = stepOf(ctx);
          const decisions = await ctx.effect('policy', async () => {
            const context = await toolkit.policyContext(step);
            const gateInput = gateInputOf(step.input, {
              time: toolkit.now(),
              environment: step.input.stagingEnvironment,
              author: options.author?.(ctx.projectId) ?? null,
              tests: ctx.upstream['tests'] as TestsResult,
              sbom: ctx.upstream['sbom'] as SbomResult,
              vulns: ctx.upstream['vulns'] as VulnsResult,
              perf: ctx.upstream['perf'] as PerfResult,
              config: (ctx.upstream['config-scan'] as ScanResult | undefined) ?? null,
              ...context,
            });
            return { gateInput, decisions: await toolkit.evaluatePolicy(step, gateInput) };
          });
          const blocking = decisions.decisions.flatMap((decision) =>
            decision.allow ? [] : decision.deny.filter((item) => !item.waivedBy),
          );
          if (blocking.length > 0) {
            throw new BlockedStageError(
              `policy denied: ${blocking.map((item) => `${item.rule}: ${item.message}`).join('; ')}`,
              blocking.map((item) => item.remediation).join(' '),
            );
          }
          return decisions;
        },
      },
      {
        name: 'staging',
        needs: ['policy'],
        inputs: ['build'],
        retry: { maxAttempts: 2 },
        output: json,
        run: (ctx) =>
          once(ctx, (step) => toolkit.deployStaging(step, ctx.upstream['build'] as BuildResult)),
      },
      {
        name: 'smoke',
        needs: ['staging'],
        // A first request can be slow on real apps (a dev server compiling on demand, a JIT
        // warming up): four looks over about a minute before the version is called broken.
        retry: { maxAttempts: 4, initialDelayMs: 2000 },
        output: json,
        async run(ctx) {
          const staging = ctx.upstream['staging'] as StagingResult;
          // Not an effect: a smoke check only reads, and a retry must look again.
          const smoke = await toolkit.smoke(stepOf(ctx), staging);
          const failed = smoke.checks.filter((check) => !check.ok);
          if (failed.length > 0) {
            const reason = `smoke checks failed on ${staging.url}: ${failed.map((c) => `${c.path} → ${c.status}`).join(', ')}`;
            // Look again while looks are left; only the last failed look blocks the run.
            if (!ctx.lastAttempt) throw new RetryableStageError(reason);
            throw new BlockedStageError(
              reason,
              'Look at the staging containers’ logs, fix the service, and run the sprint again.',
            );
          }
          return smoke;
        },
      },
    ],
  });
}

export type { ApplyInput };
