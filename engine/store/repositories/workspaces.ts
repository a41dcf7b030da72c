import { z } from 'zod';
import type { Db } from '../database.ts';
import { newId, nowIso } from '../ids.ts';
import { fromJsonColumn, toJsonColumn } from '../json-column.ts';

export const WorkspaceSettings = z
  .object({
    activePolicyPacks: z.array(z.string()).default([]),
    defaultTarget: z.string().optional(),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export interface Workspace {
  id: string;
  orgId: string;
  name: string;
  settings: WorkspaceSettings;
  createdAt: string;
}

interface WorkspaceRow {
  id: string;
  org_id: string;
  name: string;
  settings: string;
  created_at: string;
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    settings: fromJsonColumn(WorkspaceSettings, row.settings, `workspaces.settings of ${row.id}`),
    createdAt: row.created_at,
  };
}

export interface LocalIdentity {
  orgId: string;
  workspace: Workspace;
  userId: string;
  created: boolean;
}

/**
 * The single-workstation identity `init` sets up: one org, one workspace, the local operator
 * as its owner. Idempotent: a second call returns what the first created.
 */
export function ensureLocalIdentity(
  db: Db,
  operator: { email: string; displayName: string },
): LocalIdentity {
  return db.transaction((): LocalIdentity => {
    const existing = db.prepare(`SELECT * FROM workspaces ORDER BY created_at LIMIT 1`).get() as
      WorkspaceRow | undefined;
    if (existing) {
      const owner = db
        .prepare(
          `SELECT user_id FROM memberships WHERE workspace_id = ? AND role = 'owner' LIMIT 1`,
        )
        .get(existing.id) as { user_id: string } | undefined;
      return {
        orgId: existing.org_id,
        workspace: toWorkspace(existing),
        userId: owner?.user_id ?? '',
        created: false,
      };
    }
    const at = nowIso();
    const orgId = newId('org');
    const userId = newId('usr');
    const workspaceId = newId('wsp');
    db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run(orgId, 'local', at);
    db.prepare('INSERT INTO users (id, email, display_name, created_at) VALUES (?, ?, ?, ?)').run(
      userId,
      operator.email,
      operator.displayName,
      at,
    );
    db.prepare(
      'INSERT INTO workspaces (id, org_id, name, settings, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(
      workspaceId,
      orgId,
      'default',
      toJsonColumn(WorkspaceSettings, {}, 'workspaces.settings'),
      at,
    );
    db.prepare(
      `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)`,
    ).run(workspaceId, userId, at);
    const row = db
      .prepare('SELECT * FROM workspaces WHERE id = ?')
      .get(workspaceId) as WorkspaceRow;
    return { orgId, workspace: toWorkspace(row), userId, created: true };
  })();
}

export function getWorkspace(db: Db, id: string): Workspace | undefined {
  const row = db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as
    WorkspaceRow | undefined;
  return row && toWorkspace(row);
}

export function updateWorkspaceSettings(db: Db, id: string, settings: WorkspaceSettings): void {
  db.prepare('UPDATE workspaces SET settings = ? WHERE id = ?').run(
    toJsonColumn(WorkspaceSettings, settings, 'workspaces.settings'),
    id,
  );
}
