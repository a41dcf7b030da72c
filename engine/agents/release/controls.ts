/**
 * Manual controls of a running release (issue 9): promote, pause, resume, abort. A control is
 * only written here (state + audit in one IMMEDIATE transaction, read and checked inside it, so
 * no other writer can slip in between); the release run carries it out on its next pass, which
 * a waiting rollout starts within about a second (wait.ts polls the revision). Every control is
 * a decision on the release, with the person who asked.
 */
import type { AuditSink } from '../../audit/audit-sink.ts';
import type { Db } from '../../store/database.ts';
import { getRelease, saveRelease, type Release, type ReleasePhase } from './release-state.ts';

export type ReleaseControlAction = 'promote' | 'pause' | 'resume' | 'abort';

export interface ReleaseControlRequest {
  releaseId: string;
  action: ReleaseControlAction;
  /** The person asking; recorded on the decision and the audit entry. */
  actor: string;
  reason?: string;
}

/** `not-found` maps to 404, `invalid-transition` to 409 (the release's phase refuses it). */
export type ReleaseControlErrorCode = 'not-found' | 'invalid-transition';

export class ReleaseControlError extends Error {
  readonly code: ReleaseControlErrorCode;
  readonly releaseId: string;
  readonly action: ReleaseControlAction;
  /** The phase that refused the control; absent when the release does not exist. */
  readonly phase: ReleasePhase | undefined;

  constructor(
    code: ReleaseControlErrorCode,
    request: ReleaseControlRequest,
    message: string,
    phase?: ReleasePhase,
  ) {
    super(message);
    this.name = 'ReleaseControlError';
    this.code = code;
    this.releaseId = request.releaseId;
    this.action = request.action;
    this.phase = phase;
  }
}

/** Phases each control may start from. */
const ALLOWED: Record<ReleaseControlAction, readonly ReleasePhase[]> = {
  pause: ['progressing'],
  resume: ['paused'],
  promote: ['progressing', 'paused'],
  abort: ['progressing', 'paused'],
};

const EXPLAIN: Record<ReleaseControlAction, string> = {
  pause: 'only a progressing release can be paused',
  resume: 'only a paused release can be resumed',
  promote: 'only a progressing or paused release can be promoted',
  abort: 'only a progressing or paused release can be aborted (use rollback for a finished one)',
};

/**
 * Records a control on the release and returns the release as saved. Throws
 * ReleaseControlError when the release does not exist or its phase refuses the control.
 */
export function requestReleaseControl(
  db: Db,
  audit: AuditSink,
  request: ReleaseControlRequest,
  options: { now?: () => number } = {},
): Release {
  const now = options.now ?? Date.now;
  return db
    .transaction(() => {
      const release = getRelease(db, request.releaseId);
      if (!release)
        throw new ReleaseControlError(
          'not-found',
          request,
          `release ${request.releaseId} does not exist`,
        );
      refuseInvalid(release, request);
      apply(release, request, new Date(now()).toISOString());
      return saveRelease(
        { db, audit },
        release,
        `release.control.${request.action}`,
        { action: request.action, reason: request.reason ?? null },
        request.actor,
      );
    })
    .immediate();
}

function refuseInvalid(release: Release, request: ReleaseControlRequest): void {
  const { action } = request;
  const d = release.detail;
  const refuse = (why: string) => {
    throw new ReleaseControlError(
      'invalid-transition',
      request,
      `cannot ${action} release ${release.id}: it is ${release.phase}; ${why}`,
      release.phase,
    );
  };
  if (!ALLOWED[action].includes(release.phase)) refuse(EXPLAIN[action]);
  if (d.manualPromote && (action === 'pause' || action === 'promote'))
    refuse(`a promote by ${d.manualPromote.actor} is already under way`);
}

function apply(release: Release, request: ReleaseControlRequest, at: string): void {
  const d = release.detail;
  const why = request.reason ? `: ${request.reason}` : '';
  const percent = release.trafficPercent;
  const record = { actor: request.actor, at, reason: request.reason ?? '' };
  switch (request.action) {
    case 'pause':
      release.phase = 'paused';
      // Hold the split that is live: a next step decided but not yet applied is taken back,
      // and the window restarts so analysis keeps watching the traffic that is really there.
      if (d.appliedStep >= 0 && d.appliedStep !== d.stepIndex) d.stepIndex = d.appliedStep;
      if (d.appliedStep === d.stepIndex) d.windowStartedAt = null;
      d.decisions.push(
        decision(
          d.stepIndex,
          at,
          'pause',
          `paused by ${request.actor} at ${percent}%${why}`,
          request.actor,
        ),
      );
      break;
    case 'resume':
      release.phase = 'progressing';
      // A fresh window: promotion is decided on health measured after the resume.
      if (d.appliedStep === d.stepIndex) d.windowStartedAt = null;
      d.decisions.push(
        decision(d.stepIndex, at, 'resume', `resumed by ${request.actor}${why}`, request.actor),
      );
      break;
    case 'promote':
      release.phase = 'progressing';
      d.manualPromote = record;
      d.decisions.push(
        decision(
          d.stepIndex,
          at,
          'manual-promote',
          `promote to 100% requested by ${request.actor}${why}`,
          request.actor,
        ),
      );
      break;
    case 'abort':
      release.phase = 'rolling-back';
      d.abortedBy = record;
      d.manualPromote = null;
      d.rollbackReason = `aborted by ${request.actor}${why}`;
      d.decisions.push(decision(d.stepIndex, at, 'abort', d.rollbackReason, request.actor));
      break;
  }
}

function decision(
  step: number,
  at: string,
  action: 'pause' | 'resume' | 'manual-promote' | 'abort',
  reason: string,
  actor: string,
) {
  return { step, at, action, reason, actor };
}
