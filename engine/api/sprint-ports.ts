/**
 * The sprint run's ports (engine/agents/sprint/ports.ts) wired to operations of the contract,
 * through the engine's own `invoke`: same input validation, same handlers, same audit entries
 * as a person calling them one by one. A refusal (a 4xx Problem: a gate, a conflict, a bad
 * input) blocks the sprint with the Problem's remedy; anything else is worth a retry.
 */
import { join } from 'node:path';
import type { SprintPorts } from '../agents/sprint/index.ts';
import { BlockedStageError } from '../runs/index.ts';
import { startSyntheticTraffic } from '../runtime/synthetic-traffic.ts';
import { dataDirLayout } from '../store/data-dir.ts';
import { latestBlueprintApproval } from '../store/repositories/approvals.ts';
import type { HandlerContext } from './handler-context.ts';
import type { InputOf, OperationName, OutputOf } from '../contract/operations.contract.ts';
import { ProblemError } from '../contract/problem.ts';

export type Invoke = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

async function refusalsBlock<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status < 500)
      throw new BlockedStageError(
        `${error.problem.title}: ${error.problem.detail}`,
        error.problem.remedy ?? undefined,
      );
    throw error;
  }
}

export function sprintPorts(invoke: Invoke, ctx: HandlerContext): SprintPorts {
  const call = <N extends OperationName>(name: N, input: InputOf<N>) =>
    refusalsBlock(invoke(name, input));
  return {
    async generatePlan(projectId, inputs) {
      const plan = await call('blueprints.generate', { projectId, inputs });
      const questions = (plan.summary as { questions?: unknown }).questions;
      return {
        blueprintId: plan.blueprintId,
        version: plan.version,
        planHash: plan.planHash,
        artifacts: plan.artifacts.length,
        artifactsDir: plan.artifactsDir,
        questions: Array.isArray(questions) ? (questions as never) : [],
      };
    },
    async approve(plan, selfApproval) {
      const approval = await call('blueprints.approve', {
        blueprintId: plan.blueprintId,
        planHash: plan.planHash,
        selfApproval,
      });
      return {
        approvalId: approval.approvalId,
        blueprintId: approval.blueprintId,
        planHash: approval.planHash,
        approver: approval.approver,
        selfApproval: approval.selfApproval,
      };
    },
    approvalSince(projectId, minVersion) {
      const found = latestBlueprintApproval(ctx.store().db, projectId, minVersion);
      return found
        ? {
            approvalId: found.id,
            blueprintId: found.subjectId,
            planHash: found.subjectHash,
            approver: found.approver,
            selfApproval: found.selfApproval,
          }
        : null;
    },
    importAdvisories: (source) => call('vulns.import', { source }),
    apply: (request) =>
      call('pipelines.apply', {
        projectId: request.projectId,
        blueprintId: request.blueprintId,
        approvalId: request.approvalId,
        perfLoad: { durationSeconds: request.perfSeconds, connections: 10 },
      }),
    run: (runId) => call('runs.get', { runId }),
    runOutputs: async (runId) => (await call('runs.outputs', { runId })).outputs,
    createRelease: (request) =>
      call('releases.create', {
        projectId: request.projectId,
        version: request.version,
        environment: 'prod',
        strategy: 'canary',
        analysisWindowSeconds: request.windowSeconds,
        approvals: [request.approver],
      }),
    async release(releaseId) {
      const release = await invoke('releases.get', { releaseId }).catch((error: unknown) => {
        if (error instanceof ProblemError && error.problem.status === 404) return null;
        throw error;
      });
      if (!release) return null;
      return {
        releaseId: release.releaseId,
        phase: release.phase,
        trafficPercent: release.trafficPercent,
        stableVersion: release.stableVersion,
        steps: release.step.of,
        decisions: release.decisions,
        rollbackReason: release.rollbackReason,
      };
    },
    async prodEndpoint(projectId) {
      const prod = await ctx.runs().environmentUrl(projectId, 'prod');
      return { url: prod.url, path: prod.healthPath };
    },
    startTraffic: (options) => startSyntheticTraffic({ ...options, concurrency: 8 }),
    exportBundle: (outFile) => call('audit.export', { outFile }),
    verifyBundle: (file) => call('audit.verify', { file }),
    bundlesDir: join(dataDirLayout(ctx.dataDir).root, 'bundles'),
  };
}
