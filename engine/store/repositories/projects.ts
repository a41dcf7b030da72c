import { z } from 'zod';
import type { Db } from '../database.ts';
import { newId, nowIso } from '../ids.ts';
import { fromJsonColumn, toJsonColumn } from '../json-column.ts';

/**
 * The stored fingerprint is versioned; its full shape belongs to the repo auditor
 * (engine/agents/repo-auditor), which validates it before it gets here.
 */
export const StoredFingerprint = z.looseObject({ version: z.number().int().positive() });
export type StoredFingerprint = z.infer<typeof StoredFingerprint>;

export interface Project {
  id: string;
  workspaceId: string;
  name: string;
  repoUrl: string;
  defaultBranch: string | null;
  fingerprint: StoredFingerprint | null;
  createdAt: string;
  updatedAt: string;
}

interface ProjectRow {
  id: string;
  workspace_id: string;
  name: string;
  repo_url: string;
  default_branch: string | null;
  fingerprint: string | null;
  created_at: string;
  updated_at: string;
}

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    repoUrl: row.repo_url,
    defaultBranch: row.default_branch,
    fingerprint:
      row.fingerprint === null
        ? null
        : fromJsonColumn(StoredFingerprint, row.fingerprint, `projects.fingerprint of ${row.id}`),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewProject {
  /** Chosen by the caller when something must be named after the project first (its checkout). */
  id?: string;
  workspaceId: string;
  name: string;
  /** Never carries credentials: the importer strips them before a URL is stored. */
  repoUrl: string;
  defaultBranch?: string | null;
}

export function insertProject(db: Db, input: NewProject): Project {
  const at = nowIso();
  const id = input.id ?? newId('prj');
  db.prepare(
    `INSERT INTO projects (id, workspace_id, name, repo_url, default_branch, fingerprint, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
  ).run(id, input.workspaceId, input.name, input.repoUrl, input.defaultBranch ?? null, at, at);
  return getProject(db, id)!;
}

export function getProject(db: Db, id: string): Project | undefined {
  const row = db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
  return row && toProject(row);
}

export function findProjectByName(db: Db, workspaceId: string, name: string): Project | undefined {
  const row = db
    .prepare('SELECT * FROM projects WHERE workspace_id = ? AND name = ?')
    .get(workspaceId, name) as ProjectRow | undefined;
  return row && toProject(row);
}

export function listProjects(db: Db, workspaceId: string): Project[] {
  const rows = db
    .prepare('SELECT * FROM projects WHERE workspace_id = ? ORDER BY created_at, id')
    .all(workspaceId) as ProjectRow[];
  return rows.map(toProject);
}

export function saveFingerprint(db: Db, projectId: string, fingerprint: StoredFingerprint): void {
  db.prepare('UPDATE projects SET fingerprint = ?, updated_at = ? WHERE id = ?').run(
    toJsonColumn(StoredFingerprint, fingerprint, 'projects.fingerprint'),
    nowIso(),
    projectId,
  );
}
