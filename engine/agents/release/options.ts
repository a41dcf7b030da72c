/** How the release and rollback runs are wired: store, target, policy gate, clock, notifications. */
import type { AuditSink } from '../../audit/audit-sink.ts';
import type { Clock } from '../../runs/index.ts';
import type { Db } from '../../store/database.ts';
import type { Target } from '../../targets/target.ts';
import type { WebhookEvent } from '../../webhooks/index.ts';
import type { RiskScore } from './risk.ts';

/** What the policy gate is asked about a release (freeze windows, approvals). */
export interface GateInput {
  projectId: string;
  environment: string;
  version: string;
  strategy: 'canary' | 'blue-green';
  /** ISO time of the check, for freeze windows. */
  at: string;
  approvals: Array<{ environment: string; by: string; role?: string; at?: string }>;
  risk: RiskScore;
}

export interface GateDecision {
  allow: boolean;
  deny: string[];
  /** What to do about each deny, when the gate knows (the policy packs do); shown with the block. */
  remediation?: string[];
}

/** The policy gate: `policyReleaseGate` (policy-gate.ts) in production, injected for tests. */
export type ReleaseGate = (input: GateInput) => GateDecision | Promise<GateDecision>;

/** Where a release goes. */
export interface ReleaseScope {
  projectId: string;
  environment: string;
}

/** One target for every release, or one chosen per release (resolved once per stage body). */
export type ReleaseTargetOption = Target | ((scope: ReleaseScope) => Promise<Target>);

/** What a rollback tells the hotfix hook: the branch goes at the last known good version. */
export interface HotfixRequest {
  releaseId: string;
  projectId: string;
  environment: string;
  /** The version rolled back. */
  version: string;
  /** Last known good version, now serving traffic. */
  goodVersion: string;
  reason: string;
}

export interface ReleaseAgentOptions {
  db: Db;
  audit: AuditSink;
  target: ReleaseTargetOption;
  gate: ReleaseGate;
  /** Checks a freshly deployed blue/green preview at 0% traffic; throws or returns false to refuse. */
  smoke?: (version: string) => Promise<boolean> | boolean;
  /** Canary: retire the old version once the new one is promoted. Blue/green keeps it warm. Default true. */
  retireStableOnPromote?: boolean;
  clock?: Clock;
  /**
   * Sends `release.completed` and `policy.failed` (e.g. `webhookNotifier`). A failure is logged
   * and recorded on the release, never fails it.
   */
  notify?: (event: WebhookEvent) => Promise<void>;
  /** After a rollback: prepare a hotfix branch at last known good (e.g. with prepareHotfixBranch). */
  hotfix?: (info: HotfixRequest) => Promise<{ branch: string }>;
  /** Days of history counted as "recent failures" for the risk score when the input gives none. Default 30. */
  recentFailureDays?: number;
  /** Where notification and hotfix failures are logged; stderr by default. Messages carry no secrets. */
  log?: (message: string) => void;
}
