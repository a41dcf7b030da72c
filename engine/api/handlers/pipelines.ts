import { join } from 'node:path';
import { resolveRef } from 'isomorphic-git';
import * as fs from 'node:fs';
import { verifyApproval } from '../../agents/pipeline/approval.ts';
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import { dataDirLayout } from '../../store/data-dir.ts';
import { getApproval } from '../../store/repositories/approvals.ts';
import { getBlueprint } from '../../store/repositories/blueprints.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';
import { requirePrimaryService, requireProject } from './lookups.ts';

/** The perf budget a plan gets when its inputs set none: generous for a local target. */
export const DEFAULT_PERF_BUDGET = { p95Ms: 250, errorRate: 0.01 };

/** The imported commit, shortened: what the image and the release are versioned by. */
async function importedVersion(ctx: HandlerContext, projectId: string): Promise<string> {
  const dir = join(dataDirLayout(ctx.dataDir).repos, projectId);
  const oid = await resolveRef({ fs, dir, ref: 'HEAD' }).catch(() => undefined);
  if (!oid) {
    throw ProblemError.of('conflict', {
      detail: `the checkout of ${projectId} has no commit to version the image by`,
      remedy: 'import the repository again',
    });
  }
  return oid.slice(0, 12);
}

export const pipelineHandlers: HandlerTable = {
  'pipelines.apply': async (input, ctx) => {
    const { db } = ctx.store();
    const project = requireProject(db, input.projectId);
    const blueprint = getBlueprint(db, input.blueprintId);
    if (!blueprint || blueprint.projectId !== project.id) {
      throw ProblemError.of('not-found', {
        detail: `project ${project.id} has no blueprint ${input.blueprintId}`,
      });
    }
    const approval = getApproval(db, input.approvalId);
    if (!approval || approval.subjectKind !== 'blueprint' || approval.subjectId !== blueprint.id) {
      throw ProblemError.of('gate-blocked', {
        detail: `approval ${input.approvalId} does not approve blueprint ${blueprint.id}`,
        remedy: `approve plan ${blueprint.id} (hash ${blueprint.planHash}) first`,
        action: {
          operation: 'blueprints.approve',
          input: { blueprintId: blueprint.id, planHash: blueprint.planHash },
          label: 'Approve the plan',
        },
      });
    }
    const key = ctx.audit().workstationKey;
    const signed = {
      subjectKind: 'blueprint' as const,
      subjectId: blueprint.id,
      subjectHash: approval.subjectHash,
      approver: approval.approver,
      at: approval.createdAt,
    };
    if (
      approval.subjectHash !== blueprint.planHash ||
      approval.keyId !== key.keyId ||
      !verifyApproval(key.publicKey, signed, approval.signature)
    ) {
      throw ProblemError.of('gate-blocked', {
        detail: `approval ${approval.id} does not verify against plan hash ${blueprint.planHash} and key ${key.keyId}`,
        remedy:
          'the plan or its approval changed after signing: review the plan and approve it again',
      });
    }
    const inputs = BlueprintInputs.parse(blueprint.inputs);
    const { service } = requirePrimaryService(project, inputs.answers);
    const summary = blueprint.summary as {
      plan?: { cost?: { totalMonthly?: number; currency?: string } };
    };
    const version = await importedVersion(ctx, project.id);
    const branch = `prodsprint/blueprint-v${blueprint.version}`;
    const identity = localIdentity(db);
    const run = ctx.runs().engine.submit({
      projectId: project.id,
      kind: 'apply',
      actor: { user: identity.userId },
      input: {
        blueprintId: blueprint.id,
        planHash: blueprint.planHash,
        version,
        branch,
        service: {
          name: service.name,
          path: service.path,
          port: service.port,
          healthPath: service.healthPath,
          health: service.health,
        },
        coverageMin: inputs.policies.coverageMin ?? null,
        perfBudget: inputs.policies.perfBudgets ?? DEFAULT_PERF_BUDGET,
        ...(input.perfLoad ? { perfLoad: input.perfLoad } : {}),
        cost: {
          monthly: summary.plan?.cost?.totalMonthly ?? null,
          ceiling: inputs.costCeilingMonthly ?? null,
          currency: summary.plan?.cost?.currency ?? 'USD',
        },
        approvals: [{ who: approval.approver, role: approval.role, at: approval.createdAt }],
        packs: inputs.policies.packs,
      },
    });
    const warnings = service.healthWarning
      ? [{ subject: `service ${service.name}: health`, ...service.healthWarning }]
      : [];
    return { runId: run.runId, version, branch, warnings };
  },
};
