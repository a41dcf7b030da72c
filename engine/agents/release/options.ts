/** How the release and rollback runs are wired: store, target, policy gate, clock. */
import type { AuditSink } from '../../audit/audit-sink.ts';
import type { Clock } from '../../runs/index.ts';
import type { Db } from '../../store/database.ts';
import type { Target } from '../../targets/target.ts';
import type { RiskScore } from './risk.ts';

/** What the policy gate is asked about a release (freeze windows, approvals). */
export interface GateInput {
  projectId: string;
  environment: string;
  version: string;
  strategy: 'canary' | 'blue-green';
  /** ISO time of the check, for freeze windows. */
  at: string;
  approvals: Array<{ environment: string; by: string }>;
  risk: RiskScore;
}

export interface GateDecision {
  allow: boolean;
  deny: string[];
}

/** The policy gate (engine/policy, being built); injected so the release agent does not own policy. */
export type ReleaseGate = (input: GateInput) => GateDecision | Promise<GateDecision>;

export interface ReleaseAgentOptions {
  db: Db;
  audit: AuditSink;
  target: Target;
  gate: ReleaseGate;
  /** Checks a freshly deployed blue/green preview at 0% traffic; throws or returns false to refuse. */
  smoke?: (version: string) => Promise<boolean> | boolean;
  /** Canary: retire the old version once the new one is promoted. Blue/green keeps it warm. Default true. */
  retireStableOnPromote?: boolean;
  clock?: Clock;
}
