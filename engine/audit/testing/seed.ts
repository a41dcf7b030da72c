import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../store/database.ts';
import { prepared } from '../statements.ts';

/** Inserts an org, workspace and project straight through SQL (tests only). */
export function seedProject(db: Db, projectId: string): void {
  const at = '2026-01-01T00:00:00.000Z';
  prepared(
    db,
    `INSERT OR IGNORE INTO orgs (id, name, created_at) VALUES ('org_t', 'test org', ?)`,
  ).run(at);
  prepared(
    db,
    `INSERT OR IGNORE INTO workspaces (id, org_id, name, created_at) VALUES ('wsp_t', 'org_t', 'test', ?)`,
  ).run(at);
  prepared(
    db,
    `INSERT INTO projects (id, workspace_id, name, repo_url, created_at, updated_at) VALUES (?, 'wsp_t', ?, 'file:///repo', ?, ?)`,
  ).run(projectId, projectId, at, at);
}

/** Writes an artifact file under artifactsDir and records it; returns its sha256. */
export function seedArtifact(
  db: Db,
  artifactsDir: string,
  projectId: string,
  name: string,
  content: string,
): string {
  const sha256 = createHash('sha256').update(content).digest('hex');
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, name), content);
  prepared(
    db,
    `INSERT INTO artifacts (id, project_id, kind, path, sha256, size, media_type, created_at) VALUES (?, ?, 'plan', ?, ?, ?, 'application/json', '2026-01-01T00:00:00.000Z')`,
  ).run(`art_${name}`, projectId, name, sha256, Buffer.byteLength(content));
  return sha256;
}
