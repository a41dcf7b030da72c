/**
 * What a production release's policy gate is shown: the measurements the apply run took of the
 * same version (its `policy` stage's gate input). A version no apply run passed has no evidence,
 * and the gate then denies on everything unmeasured (fail closed, invariant 5).
 */
import type { ReleaseEvidence } from '../agents/release/policy-gate.ts';
import type { Db } from '../store/database.ts';

export interface AppliedVersion {
  runId: string;
  image: string | null;
  evidence: Partial<ReleaseEvidence>;
}

export function appliedVersion(
  db: Db,
  projectId: string,
  version: string,
): AppliedVersion | undefined {
  const row = db
    .prepare(
      `SELECT r.id AS runId, p.output AS policy, b.output AS build
         FROM runs r
         JOIN stages p ON p.run_id = r.id AND p.name = 'policy' AND p.status = 'done'
         LEFT JOIN stages b ON b.run_id = r.id AND b.name = 'build' AND b.status = 'done'
        WHERE r.project_id = ? AND r.kind = 'apply' AND json_extract(r.input, '$.version') = ?
        ORDER BY r.created_at DESC, r.id DESC LIMIT 1`,
    )
    .get(projectId, version) as { runId: string; policy: string; build: string | null } | undefined;
  if (!row) return undefined;
  const policy = JSON.parse(row.policy) as { gateInput: Record<string, unknown> };
  const {
    time: _time,
    environment: _env,
    approvals: _a,
    freezeWindows: _f,
    ...evidence
  } = policy.gateInput;
  const build = row.build ? (JSON.parse(row.build) as { image?: string }) : undefined;
  return {
    runId: row.runId,
    image: build?.image ?? null,
    evidence: evidence as Partial<ReleaseEvidence>,
  };
}

/** The version serving an environment now: its newest promoted release. */
export function stableVersionOf(
  db: Db,
  projectId: string,
  environment: string,
): string | undefined {
  const row = db
    .prepare(
      `SELECT version FROM releases WHERE project_id = ? AND environment = ? AND status = 'promoted'
        ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get(projectId, environment) as { version: string } | undefined;
  return row?.version;
}
