/**
 * The `apply` run (issue 10): an approved blueprint from artifacts to a smoke-tested staging
 * deploy. commit → build → (tests ∥ sbom → vulns ∥ config scan ∥ perf) → policy → staging →
 * smoke. Measuring stages only measure; the tests stage and the policy stage are the gates, and
 * a refusal parks the run as `blocked` with the rule's own remediation (fail closed, invariant 5).
 * Every stage's effect is keyed, so a restarted engine answers completed steps from the store.
 */
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
import {
  BuildResult,
  CommitResult,
  PerfResult,
  PolicyResult,
  SbomResult,
  ScanResult,
  SmokeResult,
  StagingResult,
  TestsResult,
  VulnsResult,
  type PipelineToolkit,
  type StepContext,
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
        output: CommitResult,
        run: (ctx) => once(ctx, (step) => toolkit.commitArtifacts(step)),
      },
      {
        name: 'build',
        needs: ['commit'],
        retry: { maxAttempts: 2 },
        output: BuildResult,
        run: (ctx) => once(ctx, (step) => toolkit.buildImage(step)),
      },
      {
        name: 'tests',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: TestsResult,
        async run(ctx) {
          const tests = await once(ctx, (step) =>
            toolkit.runTests(step, BuildResult.parse(ctx.upstream['build'])),
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
        output: SbomResult,
        run: (ctx) =>
          once(ctx, (step) => toolkit.generateSbom(step, BuildResult.parse(ctx.upstream['build']))),
      },
      {
        name: 'vulns',
        needs: ['sbom'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: VulnsResult,
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.scanVulnerabilities(step, SbomResult.parse(ctx.upstream['sbom'])),
          ),
      },
      {
        name: 'config-scan',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: ScanResult,
        // Measures only: the policy stage judges the findings (HIGH/CRITICAL deny in production).
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.scanConfiguration(step, BuildResult.parse(ctx.upstream['build'])),
          ),
      },
      {
        name: 'perf',
        needs: ['build'],
        parallel: true,
        retry: { maxAttempts: 1 },
        output: PerfResult,
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.measurePerformance(step, BuildResult.parse(ctx.upstream['build'])),
          ),
      },
      {
        name: 'policy',
        needs: ['tests', 'sbom', 'vulns', 'config-scan', 'perf'],
        inputs: ['tests', 'sbom', 'vulns', 'perf', 'config-scan'],
        retry: { maxAttempts: 1 },
        output: PolicyResult,
        async run(ctx) {
          const step = stepOf(ctx);
          const decisions = await ctx.effect('policy', async () => {
            const context = await toolkit.policyContext(step);
            const gateInput = gateInputOf(step.input, {
              time: toolkit.now(),
              environment: step.input.stagingEnvironment,
              author: options.author?.(ctx.projectId) ?? null,
              tests: TestsResult.parse(ctx.upstream['tests']),
              sbom: SbomResult.parse(ctx.upstream['sbom']),
              vulns: VulnsResult.parse(ctx.upstream['vulns']),
              perf: PerfResult.parse(ctx.upstream['perf']),
              config: ScanResult.nullable().parse(ctx.upstream['config-scan'] ?? null),
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
        output: StagingResult,
        run: (ctx) =>
          once(ctx, (step) =>
            toolkit.deployStaging(step, BuildResult.parse(ctx.upstream['build'])),
          ),
      },
      {
        name: 'smoke',
        needs: ['staging'],
        // A first request can be slow on real apps (a dev server compiling on demand, a JIT
        // warming up): four looks over about a minute before the version is called broken.
        retry: { maxAttempts: 4, initialDelayMs: 2000 },
        output: SmokeResult,
        async run(ctx) {
          const staging = StagingResult.parse(ctx.upstream['staging']);
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
