/**
 * The release as persisted (issue 9): the `releases` row, with every analysis sample and
 * decision in its `detail` JSON for the audit. Each save is one IMMEDIATE transaction together
 * with its audit entry (ARCHITECTURE.md invariant 2): a pass persists its new status once.
 */
import type { AuditSink } from '../../audit/audit-sink.ts';
import { RetryableStageError } from '../../runs/index.ts';
import type { Db } from '../../store/database.ts';
import type { HealthEvaluation } from '../../targets/health/thresholds.ts';
import type { TrafficWeights, VersionHealth } from '../../targets/target.ts';
import type { RiskScore } from './risk.ts';

export const RELEASE_PHASES = [
  'progressing',
  /** A person paused the ramp: the split holds, analysis goes on, an unhealthy window still rolls back. */
  'paused',
  'rolling-back',
  'promoted',
  'rolled-back',
  /** A person aborted it: traffic back to stable, the new version stopped (controls.ts). */
  'aborted',
  'blocked',
] as const;
export type ReleasePhase = (typeof RELEASE_PHASES)[number];

export function isTerminalPhase(phase: ReleasePhase): boolean {
  return (
    phase === 'promoted' || phase === 'rolled-back' || phase === 'aborted' || phase === 'blocked'
  );
}

export interface ReleaseStep {
  /** Split to apply at this step. */
  weights: TrafficWeights;
  /** Percent of traffic the new version gets. */
  percent: number;
}

export interface AnalysisSample {
  step: number;
  at: string;
  windowSeconds: number;
  sample: VersionHealth | null;
  evaluation: HealthEvaluation;
  error?: string;
}

export interface ReleaseDecision {
  step: number;
  at: string;
  action:
    | 'next'
    | 'hold'
    | 'rollback'
    | 'promote'
    | 'rolled-back'
    | 'blocked'
    /** Manual controls (controls.ts), each with the person who asked. */
    | 'pause'
    | 'resume'
    | 'manual-promote'
    | 'abort'
    | 'aborted';
  reason: string;
  /** Who decided: set on manual decisions; automatic ones are the system's. */
  actor?: string;
}

/** A manual control asked for and not yet carried out by the release run. */
export interface PendingControl {
  actor: string;
  at: string;
  reason: string;
}

/** One webhook notification the release sent (or failed to send): delivery never fails a release. */
export interface ReleaseNotification {
  type: string;
  at: string;
  delivered: boolean;
  error?: string;
}

export interface ReleaseDetail {
  /** Bumped by every save; a save from a stale read is refused (ReleaseConflictError). */
  revision: number;
  strategy: 'canary' | 'blue-green';
  stableVersion: string | null;
  steps: ReleaseStep[];
  stepIndex: number;
  /** Index of the step whose split was applied, -1 before the first. */
  appliedStep: number;
  windowStartedAt: number | null;
  inconclusive: number;
  samples: AnalysisSample[];
  decisions: ReleaseDecision[];
  risk: RiskScore;
  migration: { forwardOnly: boolean; id?: string; schemaReversed: false } | null;
  rollbackReason: string | null;
  /** A manual promote waiting for the run to set 100% (absent on releases saved before controls). */
  manualPromote?: PendingControl | null;
  /** Set when a person aborted the release: the rollback ends in phase `aborted`. */
  abortedBy?: PendingControl | null;
  /** The hotfix branch prepared from last known good after a rollback. */
  hotfixBranch?: string | null;
  hotfixError?: string | null;
  notifications?: ReleaseNotification[];
}

export interface Release {
  id: string;
  projectId: string;
  runId: string | null;
  environment: string;
  version: string;
  strategy: 'canary' | 'blue-green';
  phase: ReleasePhase;
  trafficPercent: number;
  riskScore: number | null;
  detail: ReleaseDetail;
}

interface ReleaseRow {
  id: string;
  project_id: string;
  run_id: string | null;
  environment: string;
  version: string;
  strategy: 'canary' | 'blue-green';
  status: ReleasePhase;
  traffic_percent: number;
  risk_score: number | null;
  detail: string;
}

/** The release of a run: one per run, id derived from it so a re-entered stage finds it. */
export function releaseIdOf(runId: string): string {
  return `rel_${runId}`;
}

export function getRelease(db: Db, id: string): Release | undefined {
  const row = db.prepare('SELECT * FROM releases WHERE id = ?').get(id) as ReleaseRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    projectId: row.project_id,
    runId: row.run_id,
    environment: row.environment,
    version: row.version,
    strategy: row.strategy,
    phase: row.status,
    trafficPercent: row.traffic_percent,
    riskScore: row.risk_score,
    detail: JSON.parse(row.detail) as ReleaseDetail,
  };
}

export interface ReleaseStore {
  db: Db;
  audit: AuditSink;
}

/** Inserts the release unless it exists; returns what is persisted either way. */
export function ensureRelease(store: ReleaseStore, release: Release): Release {
  const { db } = store;
  return db
    .transaction(() => {
      const existing = getRelease(db, release.id);
      if (existing) return existing;
      const at = new Date().toISOString();
      db.prepare(
        `INSERT INTO releases (id, project_id, run_id, environment, version, strategy, status,
           traffic_percent, risk_score, detail, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        release.id,
        release.projectId,
        release.runId,
        release.environment,
        release.version,
        release.strategy,
        release.phase,
        release.trafficPercent,
        release.riskScore,
        JSON.stringify(release.detail),
        at,
        at,
      );
      store.audit.append(db, {
        actor: { user: 'system' },
        action: 'release.created',
        target: `release:${release.id}`,
        meta: { version: release.version, strategy: release.strategy, risk: release.detail.risk },
      });
      return release;
    })
    .immediate();
}

/**
 * Another run (a person's rollback beside the release run) saved the release since it was read.
 * Retryable: the reader reloads and re-decides from what is persisted now.
 */
export class ReleaseConflictError extends RetryableStageError {
  constructor(id: string) {
    super(`release ${id} changed since it was read`);
    this.name = 'ReleaseConflictError';
  }
}

/** Persists the release's new status once, with one audit entry saying what changed. */
export function saveRelease(
  store: ReleaseStore,
  release: Release,
  action: string,
  meta: Record<string, unknown>,
  actor = 'system',
): Release {
  const { db } = store;
  const read = release.detail.revision;
  const detail = { ...release.detail, revision: read + 1 };
  db.transaction(() => {
    const { changes } = db
      .prepare(
        `UPDATE releases SET status = ?, traffic_percent = ?, detail = ?, updated_at = ?
           WHERE id = ? AND json_extract(detail, '$.revision') = ?`,
      )
      .run(
        release.phase,
        release.trafficPercent,
        JSON.stringify(detail),
        new Date().toISOString(),
        release.id,
        read,
      );
    if (changes === 0) throw new ReleaseConflictError(release.id);
    store.audit.append(db, {
      actor: { user: actor },
      action,
      target: `release:${release.id}`,
      meta: { phase: release.phase, trafficPercent: release.trafficPercent, ...meta },
    });
  }).immediate();
  release.detail = detail;
  return release;
}
