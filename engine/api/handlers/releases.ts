import {
  getRelease,
  releaseIdOf,
  ReleaseControlError,
  requestReleaseControl,
  type Release,
} from '../../agents/release/index.ts';
import { appliedVersion, stableVersionOf } from '../../runtime/release-evidence.ts';
import type { Db } from '../../store/database.ts';
import type { ReleaseInfo } from '../../contract/releases.contract.ts';
import type { HandlerTable } from '../handlers.ts';
import { approvedAnswers } from '../../store/repositories/blueprints.ts';
import { ProblemError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';
import { requirePrimaryService, requireProject } from './lookups.ts';

/** Thresholds of a release's health gate when the plan's perf budget says nothing. */
const DEFAULT_THRESHOLDS = { maxErrorRate: 0.05, maxP95Seconds: 0.5, minRequests: 10 };

function toInfo(release: Release): ReleaseInfo {
  const d = release.detail;
  const step = d.steps[Math.max(0, Math.min(d.stepIndex, d.steps.length - 1))];
  return {
    releaseId: release.id,
    projectId: release.projectId,
    runId: release.runId,
    environment: release.environment,
    version: release.version,
    stableVersion: d.stableVersion,
    strategy: release.strategy,
    phase: release.phase,
    trafficPercent: release.trafficPercent,
    step: { index: d.stepIndex, of: d.steps.length, percent: step?.percent ?? 0 },
    riskScore: release.riskScore,
    rollbackReason: d.rollbackReason,
    migration: d.migration
      ? { forwardOnly: d.migration.forwardOnly, schemaReversed: d.migration.schemaReversed }
      : null,
    hotfixBranch: d.hotfixBranch ?? null,
    samples: d.samples.length,
    decisions: d.decisions.map((decision) => ({
      step: decision.step,
      at: decision.at,
      action: decision.action,
      reason: decision.reason,
    })),
    url: null,
  };
}

function requireRelease(db: Db, releaseId: string): Release {
  const release = getRelease(db, releaseId);
  if (!release) throw ProblemError.of('not-found', { detail: `no release ${releaseId}` });
  return release;
}

export const releaseHandlers: HandlerTable = {
  'releases.create': async (input, ctx) => {
    const { db } = ctx.store();
    const project = requireProject(db, input.projectId);
    const { fingerprint, service } = requirePrimaryService(
      project,
      approvedAnswers(db, project.id),
    );
    const applied = appliedVersion(db, project.id, input.version);
    const image = input.image ?? applied?.image ?? undefined;
    if (!image) {
      throw ProblemError.of('validation-failed', {
        detail: `no apply run built version ${input.version} of ${project.id}, and no image was given`,
        errors: [
          { field: 'input.image', message: 'required when no apply run built this version' },
        ],
        remedy: 'apply the approved plan first (prodsprint apply), or pass --image',
      });
    }
    const stable = stableVersionOf(db, project.id, input.environment);
    if (stable === input.version) {
      throw ProblemError.of('conflict', {
        detail: `${input.version} already serves ${input.environment}`,
        remedy: 'release a new version',
      });
    }
    const budget = applied?.evidence.perf?.budget;
    const migrations = fingerprint.services.find((s) => s.name === service.name)?.migrations;
    const identity = localIdentity(db);
    const run = ctx.runs().engine.submit({
      projectId: project.id,
      kind: 'release',
      actor: { user: identity.userId },
      input: {
        environment: input.environment,
        version: input.version,
        image,
        env: { PORT: String(service.port) },
        ...(stable ? { stableVersion: stable } : {}),
        strategy: input.strategy,
        ...(input.steps ? { steps: input.steps } : {}),
        ...(input.analysisWindowSeconds
          ? { analysisWindowSeconds: input.analysisWindowSeconds }
          : {}),
        thresholds: budget
          ? {
              maxErrorRate: Math.max(budget.errorRate, 0.01),
              // A canary's p95 is measured under live load, not the perf stage's: allow headroom.
              maxP95Seconds: (budget.p95Ms * 2) / 1000,
              minRequests: DEFAULT_THRESHOLDS.minRequests,
            }
          : DEFAULT_THRESHOLDS,
        ...(migrations ? { migration: { forwardOnly: true, id: migrations.value.path } } : {}),
        approvals: input.approvals.map((by) => ({ environment: input.environment, by })),
      },
    });
    return { releaseId: releaseIdOf(run.runId), runId: run.runId };
  },

  'releases.get': async (input, ctx) => {
    const { db } = ctx.store();
    return toInfo(requireRelease(db, input.releaseId));
  },

  'releases.list': async (input, ctx) => {
    const { db } = ctx.store();
    requireProject(db, input.projectId);
    const ids = db
      .prepare(
        `SELECT id FROM releases WHERE project_id = ? AND (? IS NULL OR environment = ?)
          ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(
        input.projectId,
        input.environment ?? null,
        input.environment ?? null,
        input.limit,
      ) as Array<{ id: string }>;
    return { releases: ids.map(({ id }) => toInfo(requireRelease(db, id))) };
  },

  'releases.control': async (input, ctx) => {
    const { db } = ctx.store();
    try {
      const release = requestReleaseControl(db, ctx.audit().sink, {
        releaseId: input.releaseId,
        action: input.action,
        actor: localIdentity(db).userId,
        ...(input.reason ? { reason: input.reason } : {}),
      });
      return toInfo(release);
    } catch (error) {
      if (!(error instanceof ReleaseControlError)) throw error;
      throw ProblemError.of(error.code === 'not-found' ? 'not-found' : 'conflict', {
        detail: error.message,
        ...(error.code === 'not-found' ? {} : { remedy: 'see `prodsprint release status`' }),
      });
    }
  },

  'releases.rollback': async (input, ctx) => {
    const { db } = ctx.store();
    requireRelease(db, input.releaseId);
    const run = ctx.runs().engine.submit({
      projectId: requireRelease(db, input.releaseId).projectId,
      kind: 'rollback',
      actor: { user: localIdentity(db).userId },
      input: { releaseId: input.releaseId, reason: input.reason },
    });
    return { runId: run.runId };
  },
};
