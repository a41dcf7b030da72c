/**
 * Sprints (issue 16). `sprints.start` has the repository first (a new import, or a sync of the
 * project that already has it: every run belongs to a project), then submits a `sprint` run;
 * the process that drives runs carries it through plan → approval → apply → release → evidence.
 */
import { resolve } from 'node:path';
import { SprintInput } from '../../agents/sprint/index.ts';
import {
  isTerminal,
  listRunInfos,
  onceResult,
  showRun,
  stageOutputs,
  type RunInfo,
} from '../../runs/index.ts';
import type { Db } from '../../store/database.ts';
import { listProjects } from '../../store/repositories/projects.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError } from '../../contract/problem.ts';
import type { OutputOf, ParsedInputOf } from '../../contract/operations.contract.ts';
import { localIdentity } from './local-identity.ts';
import { projectHandlers } from './projects.ts';
import { operator, recordingEngine } from './runs.ts';

type SprintInfo = OutputOf<'sprints.get'>;
type Phase = SprintInfo['phase'];

const PHASE_OF_STAGE: Record<string, Phase> = {
  plan: 'planning',
  approval: 'awaiting-approval',
  apply: 'applying',
  release: 'releasing',
  evidence: 'recording-evidence',
  outcome: 'recording-evidence',
};

function requireSprint(ctx: HandlerContext, sprintId: string): RunInfo {
  const run = showRun(ctx.store().db, sprintId);
  if (run.kind !== 'sprint')
    throw ProblemError.of('not-found', {
      detail: `${sprintId} is a ${run.kind} run, not a sprint`,
      remedy: 'list sprints with sprints.list',
    });
  return run;
}

/** The runs a sprint started, as soon as it recorded starting them (its once-effects). */
function childrenOf(db: Db, sprintId: string): SprintInfo['children'] {
  const applied = onceResult(db, sprintId, 'apply', 'submit-apply') as
    { runId: string } | undefined;
  const released = onceResult(db, sprintId, 'release', 'create-release') as
    { releaseId: string; runId: string } | undefined;
  return {
    applyRunId: applied?.runId ?? null,
    releaseId: released?.releaseId ?? null,
    releaseRunId: released?.runId ?? null,
  };
}

/** A sprint run as a person reads it: its phase, the plan it waits on, its summary once recorded. */
function sprintInfo(ctx: HandlerContext, run: RunInfo): SprintInfo {
  const { db } = ctx.store();
  const outputs = stageOutputs(db, run.runId);
  const summary = (outputs.evidence as SprintInfo['summary'] | undefined) ?? null;
  const plan = outputs.plan as
    { blueprintId: string; planHash: string; openQuestions: string[] } | undefined;
  const approval = run.stages.find((stage) => stage.name === 'approval');
  return {
    sprintId: run.runId,
    projectId: run.projectId,
    status: run.status,
    phase: phaseOf(run, summary),
    awaitingApproval:
      plan && run.status === 'running' && approval?.status === 'pending'
        ? {
            blueprintId: plan.blueprintId,
            planHash: plan.planHash,
            openQuestions: plan.openQuestions,
          }
        : null,
    stage: run.stage,
    reason: run.reason,
    stages: run.stages,
    children: childrenOf(db, run.runId),
    summary,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
  };
}

function phaseOf(run: RunInfo, summary: SprintInfo['summary']): Phase {
  if (run.status === 'pending') return 'queued';
  if (run.status === 'cancelled') return 'cancelled';
  if (summary && run.status !== 'running') return summary.outcome;
  if (run.status === 'blocked') return 'blocked';
  if (run.status === 'error') return 'failed';
  // Running: the first stage not yet done is where it is.
  const current = run.stages.find((stage) => stage.status !== 'done');
  return (current && PHASE_OF_STAGE[current.name]) ?? 'planning';
}

/** The same repository as a project already has: its URL, or the same local path. */
function sameRepository(repoUrl: string, source: string): boolean {
  return repoUrl === source || (!/^[a-z]+:\/\//i.test(source) && repoUrl === resolve(source));
}

async function haveRepository(input: ParsedInputOf<'sprints.start'>, ctx: HandlerContext) {
  const { db } = ctx.store();
  const identity = localIdentity(db);
  const existing = listProjects(db, identity.workspace.id).find(
    (project) =>
      sameRepository(project.repoUrl, input.source) && (!input.name || project.name === input.name),
  );
  const credentials = input.credentialRef ? { credentialRef: input.credentialRef } : {};
  if (existing) {
    const synced = await projectHandlers['projects.sync']!(
      { projectId: existing.id, ...credentials },
      ctx,
    );
    return {
      projectId: synced.projectId,
      name: synced.name,
      imported: false,
      commit: synced.commit,
      previousCommit: synced.previousCommit,
      services: synced.services.length,
      gaps: synced.gaps,
    };
  }
  const imported = await projectHandlers['projects.import']!(
    { source: input.source, ...(input.name ? { name: input.name } : {}), ...credentials },
    ctx,
  );
  return {
    projectId: imported.projectId,
    name: imported.name,
    imported: true,
    commit: imported.commit,
    previousCommit: null,
    services: imported.services.length,
    gaps: imported.gaps,
  };
}

export const sprintHandlers: HandlerTable = {
  'sprints.start': async (input, ctx) => {
    const { source: _source, name: _name, credentialRef: _credentialRef, ...options } = input;
    // Checked before anything is imported: a bad option must not surface after the clone.
    const runInput = SprintInput.parse(options);
    const repository = await haveRepository(input, ctx);
    const run = ctx.runs().engine.submit({
      projectId: repository.projectId,
      kind: 'sprint',
      input: runInput,
      actor: operator(ctx),
    });
    const { projectId: _projectId, ...project } = repository;
    return { ...sprintInfo(ctx, run), project };
  },

  'sprints.get': async (input, ctx) => sprintInfo(ctx, requireSprint(ctx, input.sprintId)),

  'sprints.list': async (input, ctx) => ({
    sprints: listRunInfos(ctx.store().db, {
      kind: 'sprint',
      limit: input.limit,
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.status ? { status: input.status } : {}),
    }).map((run) => sprintInfo(ctx, run)),
  }),

  'sprints.cancel': async (input, ctx) => {
    requireSprint(ctx, input.sprintId);
    const engine = recordingEngine(ctx);
    const { db } = ctx.store();
    const cancelled = engine.cancel(input.sprintId, operator(ctx), input.reason);
    // The apply it started stops too; a release in flight keeps its own controls (a canary
    // cut off mid-step is what rollback and abort are for, with their own audit entries).
    const { applyRunId } = childrenOf(db, input.sprintId);
    if (applyRunId && !isTerminal(showRun(db, applyRunId).status))
      engine.cancel(
        applyRunId,
        operator(ctx),
        `sprint ${input.sprintId} cancelled: ${input.reason}`,
      );
    return sprintInfo(ctx, cancelled);
  },
};
