import { cp, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { planBlueprint, writePlanArtifacts } from '../../agents/blueprint/index.ts';
import { terraformChecker } from '../../agents/blueprint/iac/terraform-check.ts';
import type { PlanQuestion } from '../../agents/blueprint/plan-model.ts';
import { failedChecks, type PlanCheck } from '../../agents/blueprint/self-check/index.ts';
import { Fingerprint } from '../../agents/repo-auditor/index.ts';
import { signApproval } from '../../agents/pipeline/approval.ts';
import { listRunInfos } from '../../runs/index.ts';
import { newId } from '../../store/ids.ts';
import { insertApproval, markBlueprintApproved } from '../../store/repositories/approvals.ts';
import {
  getBlueprint,
  insertArtifact,
  insertBlueprint,
  listBlueprintArtifacts,
  type Blueprint,
} from '../../store/repositories/blueprints.ts';
import type { Db } from '../../store/database.ts';
import { dataDirLayout } from '../../store/data-dir.ts';
import { localIdentity } from './local-identity.ts';
import { requireProject } from './lookups.ts';
import { BlueprintInputs } from '../../contract/blueprints.contract.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';

const MEDIA_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.yml': 'application/yaml',
  '.yaml': 'application/yaml',
  '.md': 'text/markdown',
  '.js': 'text/javascript',
  '.tf': 'text/plain',
};

function mediaTypeOf(path: string): string {
  const extension = path.slice(path.lastIndexOf('.'));
  return MEDIA_TYPES[extension] ?? 'text/plain';
}

function artifactsDirOf(ctx: HandlerContext, blueprintId: string): string {
  return join(dataDirLayout(ctx.dataDir).artifacts, 'blueprints', blueprintId);
}

/** The repository's current file for a diff; paths that would leave the checkout read as absent. */
function checkoutReader(checkout: string) {
  return async (path: string): Promise<string | null> => {
    const full = resolve(checkout, path);
    const inside = relative(checkout, full);
    if (inside.startsWith('..') || isAbsolute(inside)) return null;
    try {
      return await readFile(full, 'utf8');
    } catch {
      return null;
    }
  };
}

interface StoredSummary {
  plan: Record<string, unknown> & { infra?: { resources?: unknown[] } };
  artifacts: Array<{
    path: string;
    sha256: string;
    size: number;
    change: 'new' | 'changed' | 'unchanged';
  }>;
}

/** The plan's questions that have no answer yet (PlanSummary.questions; absent in older plans). */
function openQuestions(blueprint: Blueprint): PlanQuestion[] {
  const stored = blueprint.summary as unknown as StoredSummary | null;
  const plan = stored?.plan as { questions?: PlanQuestion[] } | undefined;
  return (plan?.questions ?? []).filter((q) => q.answer === null);
}

/** The plan's self-check results (PlanSummary.checks; absent in older plans). */
function storedChecks(blueprint: Blueprint): PlanCheck[] | undefined {
  const stored = blueprint.summary as unknown as StoredSummary | null;
  return (stored?.plan as { checks?: PlanCheck[] } | undefined)?.checks;
}

/**
 * The project's last approved (or since applied) blueprint: what a new plan's infrastructure
 * delta is counted against. A draft changed nothing, so re-planning without approving must not
 * count against it (issue 15: "0 to add" after a second unapproved plan).
 */
function lastApprovedBlueprint(db: Db, projectId: string): Blueprint | undefined {
  const row = db
    .prepare(
      'SELECT id FROM blueprints WHERE project_id = ? AND approved_at IS NOT NULL ORDER BY version DESC LIMIT 1',
    )
    .get(projectId) as { id: string } | undefined;
  return row && getBlueprint(db, row.id);
}

function toInfo(ctx: HandlerContext, blueprint: Blueprint) {
  const stored = blueprint.summary as unknown as StoredSummary;
  return {
    blueprintId: blueprint.id,
    projectId: blueprint.projectId,
    version: blueprint.version,
    status: blueprint.status,
    planHash: blueprint.planHash,
    inputs: BlueprintInputs.parse(blueprint.inputs),
    summary: stored.plan as never,
    artifacts: stored.artifacts,
    artifactsDir: artifactsDirOf(ctx, blueprint.id),
  };
}

export const blueprintHandlers: HandlerTable = {
  'blueprints.generate': async (input, ctx) => {
    const { db } = ctx.store();
    const project = requireProject(db, input.projectId);
    const fingerprint = Fingerprint.safeParse(project.fingerprint);
    if (!fingerprint.success) {
      throw ProblemError.of('conflict', {
        detail: `project ${project.id} has no current fingerprint to plan from`,
        remedy: `audit it first with \`prodsprint audit ${project.id}\``,
      });
    }
    const approved = lastApprovedBlueprint(db, project.id);
    const previous = approved?.summary as unknown as StoredSummary | undefined;
    const plan = await planBlueprint(fingerprint.data, input.inputs, {
      readCurrentFile: checkoutReader(join(dataDirLayout(ctx.dataDir).repos, project.id)),
      previous: previous?.plan.infra?.resources
        ? {
            resources: previous.plan.infra.resources as never,
            label: `${approved!.id}, version ${approved!.version}`,
          }
        : undefined,
      terraform: terraformChecker({ env: ctx.env, redactor: ctx.redactor }),
      selfCheck: true,
    });

    const blueprintId = newId('bp');
    const dir = artifactsDirOf(ctx, blueprintId);
    await writePlanArtifacts(plan, dir);
    if (input.outDir) await cp(dir, resolve(input.outDir), { recursive: true });

    const artifacts = plan.artifacts.map((artifact) => ({
      path: artifact.path,
      sha256: artifact.sha256,
      size: Buffer.byteLength(artifact.content),
      change: artifact.change,
    }));
    const identity = localIdentity(db);
    const { sink } = ctx.audit();
    const blueprint = db.transaction(() => {
      const created = insertBlueprint(db, {
        id: blueprintId,
        projectId: project.id,
        inputs: plan.inputs as unknown as Record<string, unknown>,
        planHash: plan.planHash,
        summary: { plan: plan.summary, artifacts } as unknown as Record<string, unknown>,
      });
      for (const artifact of artifacts) {
        insertArtifact(db, {
          projectId: project.id,
          blueprintId,
          kind: artifact.path.split('/')[0] ?? 'root',
          path: artifact.path,
          sha256: artifact.sha256,
          size: artifact.size,
          mediaType: mediaTypeOf(artifact.path),
        });
      }
      sink.append(db, {
        actor: { user: identity.userId },
        action: 'blueprint.generated',
        target: `blueprint:${blueprintId}`,
        meta: {
          projectId: project.id,
          version: created.version,
          planHash: plan.planHash,
          artifacts: artifacts.length,
          costMonthly: plan.summary.cost.totalMonthly,
          catalog: `${plan.summary.cost.catalogVersion} (${plan.summary.cost.catalogDate})`,
        },
      });
      return created;
    })();
    return {
      ...toInfo(ctx, blueprint),
      diffs: plan.artifacts
        .filter((artifact) => artifact.change !== 'unchanged')
        .map((artifact) => ({ path: artifact.path, diff: artifact.diff })),
    };
  },

  'blueprints.approve': async (input, ctx) => {
    const { db } = ctx.store();
    const blueprint = getBlueprint(db, input.blueprintId);
    if (!blueprint)
      throw ProblemError.of('not-found', { detail: `no blueprint ${input.blueprintId}` });
    if (blueprint.planHash !== input.planHash) {
      throw ProblemError.of('conflict', {
        detail: `blueprint ${blueprint.id} has plan hash ${blueprint.planHash}, not the ${input.planHash} you reviewed`,
        remedy: `review the current plan of ${blueprint.id} (its artifacts and diffs) and approve its hash`,
      });
    }
    if (blueprint.status === 'superseded') {
      throw ProblemError.of('conflict', {
        detail: `blueprint ${blueprint.id} was superseded by a newer plan`,
        remedy: 'approve the newest blueprint of the project instead',
      });
    }
    const open = openQuestions(blueprint);
    if (open.length > 0) {
      throw ProblemError.of('conflict', {
        detail: `the plan has ${open.length} open question(s) the repository does not answer: ${open
          .map(
            (q) =>
              `${q.id} (${q.question} Candidates: ${q.candidates.map((c) => `${c.value} — ${c.evidence}`).join('; ')})`,
          )
          .join(' ')}`,
        remedy: `answer them and plan again, e.g. \`prodsprint plan ${blueprint.projectId} ${open
          .map((q) => `--answer ${q.id}=${q.candidates[0]?.value ?? '<value>'}`)
          .join(' ')}\` (or "answers" in the --inputs file), then approve the new plan`,
      });
    }
    const failed = failedChecks(storedChecks(blueprint));
    if (failed.length > 0) {
      throw ProblemError.of('conflict', {
        detail: `the plan fails its own checks, so it is not offered for approval: ${failed.join('; ')}`,
        remedy:
          'a generated artifact that its owner’s validator refuses is a ProdSprint defect: report it with the findings; plan again with other inputs (target, strategy) if one avoids it',
      });
    }
    const identity = localIdentity(db);
    const { sink, workstationKey } = ctx.audit();
    const at = new Date().toISOString();
    const approver = identity.userId;
    const signature = signApproval(workstationKey.privateKey, {
      subjectKind: 'blueprint',
      subjectId: blueprint.id,
      subjectHash: blueprint.planHash,
      approver,
      at,
    });
    const approvalId = newId('apr');
    db.transaction(() => {
      insertApproval(db, {
        id: approvalId,
        projectId: blueprint.projectId,
        subjectKind: 'blueprint',
        subjectId: blueprint.id,
        subjectHash: blueprint.planHash,
        approver,
        keyId: workstationKey.keyId,
        signature,
        environment: null,
        role: input.selfApproval ? 'self-approval' : input.role,
        selfApproval: input.selfApproval,
        createdAt: at,
      });
      markBlueprintApproved(db, blueprint.id, at);
      sink.append(db, {
        actor: { user: approver },
        action: input.selfApproval ? 'blueprint.self-approved' : 'blueprint.approved',
        target: `blueprint:${blueprint.id}`,
        meta: {
          projectId: blueprint.projectId,
          approvalId,
          planHash: blueprint.planHash,
          keyId: workstationKey.keyId,
          signature,
          role: input.selfApproval ? 'self-approval' : input.role,
          selfApproval: input.selfApproval,
        },
      });
    })();
    wakeWaitingSprints(ctx, blueprint.projectId);
    return {
      approvalId,
      blueprintId: blueprint.id,
      planHash: blueprint.planHash,
      approver,
      keyId: workstationKey.keyId,
      signature,
      selfApproval: input.selfApproval,
      at,
    };
  },

  'blueprints.get': async (input, ctx) => {
    const { db } = ctx.store();
    const blueprint = getBlueprint(db, input.blueprintId);
    if (!blueprint)
      throw ProblemError.of('not-found', { detail: `no blueprint ${input.blueprintId}` });
    const info = toInfo(ctx, blueprint);
    // The stored digests are the ones the plan hash covers: refuse to hand out a list that the
    // artifacts table contradicts (someone edited one behind the app's back).
    const recorded = new Map(
      listBlueprintArtifacts(db, blueprint.id).map((artifact) => [artifact.path, artifact.sha256]),
    );
    for (const artifact of info.artifacts) {
      if (recorded.get(artifact.path) !== artifact.sha256) {
        throw ProblemError.of('conflict', {
          detail: `artifact ${artifact.path} of ${blueprint.id} does not match its recorded digest`,
        });
      }
    }
    return info;
  },
};

/**
 * A sprint of the project waiting for this approval looks again now, not at its next poll. The
 * wake is written to the database, so the process driving runs sees it even when the approval
 * came through another one (an HTTP client, the CLI beside the desktop app).
 */
function wakeWaitingSprints(ctx: HandlerContext, projectId: string): void {
  const running = listRunInfos(ctx.store().db, { projectId, kind: 'sprint', status: 'running' });
  if (running.length === 0) return;
  const engine = ctx.runs().engine;
  for (const sprint of running) engine.wake(sprint.runId);
}
