import { z } from 'zod';
import type { Db } from '../database.ts';
import { newId, nowIso } from '../ids.ts';
import { fromJsonColumn, toJsonColumn } from '../json-column.ts';

/** Inputs and summary are owned by the blueprint agent and the contract; stored as objects. */
const JsonObject = z.record(z.string(), z.unknown());

export interface Blueprint {
  id: string;
  projectId: string;
  version: number;
  inputs: Record<string, unknown>;
  planHash: string;
  status: 'draft' | 'approved' | 'applied' | 'superseded';
  summary: Record<string, unknown> | null;
  createdAt: string;
  approvedAt: string | null;
}

interface BlueprintRow {
  id: string;
  project_id: string;
  version: number;
  inputs: string;
  plan_hash: string;
  status: Blueprint['status'];
  summary: string | null;
  created_at: string;
  approved_at: string | null;
}

function toBlueprint(row: BlueprintRow): Blueprint {
  return {
    id: row.id,
    projectId: row.project_id,
    version: row.version,
    inputs: fromJsonColumn(JsonObject, row.inputs, `blueprints.inputs of ${row.id}`),
    planHash: row.plan_hash,
    status: row.status,
    summary:
      row.summary === null
        ? null
        : fromJsonColumn(JsonObject, row.summary, `blueprints.summary of ${row.id}`),
    createdAt: row.created_at,
    approvedAt: row.approved_at,
  };
}

/** Records a new draft blueprint as the project's next version. Call inside a transaction. */
export function insertBlueprint(
  db: Db,
  input: {
    id?: string;
    projectId: string;
    inputs: Record<string, unknown>;
    planHash: string;
    summary: Record<string, unknown>;
  },
): Blueprint {
  const id = input.id ?? newId('bp');
  const { next } = db
    .prepare('SELECT coalesce(max(version), 0) + 1 AS next FROM blueprints WHERE project_id = ?')
    .get(input.projectId) as { next: number };
  db.prepare(
    `INSERT INTO blueprints (id, project_id, version, inputs, plan_hash, status, summary, created_at)
     VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)`,
  ).run(
    id,
    input.projectId,
    next,
    toJsonColumn(JsonObject, input.inputs, 'blueprints.inputs'),
    input.planHash,
    toJsonColumn(JsonObject, input.summary, 'blueprints.summary'),
    nowIso(),
  );
  return getBlueprint(db, id)!;
}

export function getBlueprint(db: Db, id: string): Blueprint | undefined {
  const row = db.prepare('SELECT * FROM blueprints WHERE id = ?').get(id) as
    BlueprintRow | undefined;
  return row && toBlueprint(row);
}

export function latestBlueprint(db: Db, projectId: string): Blueprint | undefined {
  const row = db
    .prepare('SELECT * FROM blueprints WHERE project_id = ? ORDER BY version DESC LIMIT 1')
    .get(projectId) as BlueprintRow | undefined;
  return row && toBlueprint(row);
}

/**
 * The answers to plan questions of the project's newest approved (or applied) blueprint, by
 * question id (`api.port`): what a person confirmed that the repository does not state.
 */
export function approvedAnswers(db: Db, projectId: string): Record<string, string> {
  const row = db
    .prepare(
      'SELECT * FROM blueprints WHERE project_id = ? AND approved_at IS NOT NULL ORDER BY version DESC LIMIT 1',
    )
    .get(projectId) as BlueprintRow | undefined;
  const answers = row ? toBlueprint(row).inputs.answers : undefined;
  return answers && typeof answers === 'object' ? (answers as Record<string, string>) : {};
}

export interface ArtifactRecord {
  id: string;
  projectId: string;
  blueprintId: string | null;
  kind: string;
  path: string;
  sha256: string;
  size: number;
  mediaType: string;
  createdAt: string;
}

export function insertArtifact(
  db: Db,
  input: Omit<ArtifactRecord, 'id' | 'createdAt'>,
): ArtifactRecord {
  const record: ArtifactRecord = { ...input, id: newId('art'), createdAt: nowIso() };
  db.prepare(
    `INSERT INTO artifacts (id, project_id, blueprint_id, run_id, kind, path, sha256, size, media_type, created_at)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.id,
    record.projectId,
    record.blueprintId,
    record.kind,
    record.path,
    record.sha256,
    record.size,
    record.mediaType,
    record.createdAt,
  );
  return record;
}

export function listBlueprintArtifacts(db: Db, blueprintId: string): ArtifactRecord[] {
  const rows = db
    .prepare('SELECT * FROM artifacts WHERE blueprint_id = ? ORDER BY path')
    .all(blueprintId) as Array<Record<string, string | number>>;
  return rows.map((row) => ({
    id: String(row.id),
    projectId: String(row.project_id),
    blueprintId: String(row.blueprint_id),
    kind: String(row.kind),
    path: String(row.path),
    sha256: String(row.sha256),
    size: Number(row.size),
    mediaType: String(row.media_type),
    createdAt: String(row.created_at),
  }));
}
