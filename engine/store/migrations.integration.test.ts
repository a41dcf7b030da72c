import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './database.ts';
import {
  appliedSchemaVersion,
  LATEST_SCHEMA_VERSION,
  loadMigrations,
  migrate,
} from './migrations.ts';
import { ensureLocalIdentity } from './repositories/workspaces.ts';
import { insertProject, getProject, saveFingerprint } from './repositories/projects.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-migrations-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function schemaDump(file: string): string {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all();
  db.close();
  return JSON.stringify(rows);
}

describe('migrations on real database files', () => {
  it('takes an empty database to the latest schema, with every table the engine needs', () => {
    const store = openStore(dataDir);
    expect(store.migration.from).toBe(0);
    expect(store.migration.to).toBe(LATEST_SCHEMA_VERSION);
    expect(store.migration.applied.map((m) => m.version)).toEqual(
      loadMigrations().map((m) => m.version),
    );
    const tables = (
      store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    for (const table of [
      'orgs',
      'users',
      'workspaces',
      'memberships',
      'projects',
      'runs',
      'blueprints',
      'artifacts',
      'releases',
      'alerts',
      'audit_log',
      'stages',
      'idempotency_keys',
      'dead_letters',
      'policy_packs',
      'waivers',
      'approvals',
      'tool_images',
      'remote_runs',
    ]) {
      expect(tables).toContain(table);
    }
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('is a no-op the second time: nothing applied, schema unchanged', () => {
    openStore(dataDir).close();
    const file = join(dataDir, 'prodsprint.db');
    const before = schemaDump(file);
    const again = openStore(dataDir);
    expect(again.migration.applied).toEqual([]);
    expect(again.migration.from).toBe(LATEST_SCHEMA_VERSION);
    again.close();
    expect(schemaDump(file)).toBe(before);
  });

  it('upgrades a database left at an earlier migration with its rows intact', () => {
    const old = openStore(dataDir, { targetVersion: 1 });
    expect(appliedSchemaVersion(old.db)).toBe(1);
    const identity = ensureLocalIdentity(old.db, { email: 'ops@example.test', displayName: 'Ops' });
    const project = insertProject(old.db, {
      workspaceId: identity.workspace.id,
      name: 'shop',
      repoUrl: 'https://git.internal/shop.git',
    });
    saveFingerprint(old.db, project.id, { version: 1, services: [{ name: 'api' }] });
    const rowsBefore = JSON.stringify(old.db.prepare('SELECT * FROM projects').all());
    old.close();

    const upgraded = openStore(dataDir);
    expect(upgraded.migration.from).toBe(1);
    expect(upgraded.migration.to).toBe(LATEST_SCHEMA_VERSION);
    expect(JSON.stringify(upgraded.db.prepare('SELECT * FROM projects').all())).toBe(rowsBefore);
    expect(getProject(upgraded.db, project.id)?.fingerprint).toEqual({
      version: 1,
      services: [{ name: 'api' }],
    });
    expect(
      ensureLocalIdentity(upgraded.db, { email: 'other@example.test', displayName: 'Other' })
        .created,
    ).toBe(false);
    upgraded.close();
  });

  it('rebuilds runs for sprint runs (0009) keeping every run, stage and event, with cascades intact', () => {
    const old = openStore(dataDir, { targetVersion: 8 });
    const identity = ensureLocalIdentity(old.db, { email: 'ops@example.test', displayName: 'Ops' });
    const project = insertProject(old.db, {
      workspaceId: identity.workspace.id,
      name: 'shop',
      repoUrl: 'https://git.internal/shop.git',
    });
    const at = '2026-12-01T00:00:00.000Z';
    old.db
      .prepare(
        `INSERT INTO runs (id, project_id, kind, status, input, created_at, updated_at, submit_seq) VALUES ('run_1', ?, 'apply', 'done', '{}', ?, ?, 1)`,
      )
      .run(project.id, at, at);
    old.db
      .prepare(
        `INSERT INTO stages (run_id, name, status, attempt) VALUES ('run_1', 'build', 'done', 1)`,
      )
      .run();
    const stagesBefore = JSON.stringify(old.db.prepare('SELECT * FROM stages').all());
    old.close();

    const upgraded = openStore(dataDir);
    expect(upgraded.migration.applied.map((m) => m.version)).toContain(9);
    expect(upgraded.db.prepare('SELECT id, kind FROM runs').all()).toEqual([
      { id: 'run_1', kind: 'apply' },
    ]);
    expect(
      JSON.stringify(
        (upgraded.db.prepare('SELECT * FROM stages').all() as Array<Record<string, unknown>>).map(
          ({ wait_reason: _added, ...row }) => row,
        ),
      ),
    ).toBe(stagesBefore);
    expect(upgraded.db.pragma('foreign_keys', { simple: true })).toBe(1);
    upgraded.db
      .prepare(
        `INSERT INTO runs (id, project_id, kind, status, input, created_at, updated_at, submit_seq) VALUES ('run_2', ?, 'sprint', 'pending', '{}', ?, ?, 2)`,
      )
      .run(project.id, at, at);
    // The stages still reference runs: deleting the project cascades to runs, then stages.
    upgraded.db.prepare('DELETE FROM projects WHERE id = ?').run(project.id);
    expect(upgraded.db.prepare('SELECT count(*) AS n FROM stages').get()).toEqual({ n: 0 });
    upgraded.close();
  });

  it('rolls a failing migration back whole, leaving the previous version and its data', () => {
    const store = openStore(dataDir, { targetVersion: 1 });
    store.close();
    const file = join(dataDir, 'prodsprint.db');
    const db = new Database(file);
    const broken = [
      ...loadMigrations().slice(0, 1),
      {
        version: 2,
        name: 'broken',
        sql: 'CREATE TABLE half (id INTEGER); SELECT no_such_function();',
      },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow(/no_such_function/);
    expect(appliedSchemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });

  it('refuses the append-only audit log an UPDATE or DELETE', () => {
    const store = openStore(dataDir);
    store.db
      .prepare(
        `INSERT INTO audit_log (seq, at, actor_user, actor_key_id, action, target, meta, prev_hash, entry_hash, signature) VALUES (1, 'now', 'u', 'k', 'a', 't', '{}', 'p', 'h', 's')`,
      )
      .run();
    expect(() => store.db.prepare(`UPDATE audit_log SET action = 'x'`).run()).toThrow(
      /append-only/,
    );
    expect(() => store.db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    store.close();
  });

  it('validates JSON columns on write and on read', () => {
    const store = openStore(dataDir);
    const identity = ensureLocalIdentity(store.db, {
      email: 'ops@example.test',
      displayName: 'Ops',
    });
    const project = insertProject(store.db, {
      workspaceId: identity.workspace.id,
      name: 'shop',
      repoUrl: '/srv/shop',
    });
    expect(() => saveFingerprint(store.db, project.id, { version: 0 })).toThrow(
      /refusing to write projects.fingerprint/,
    );
    store.db
      .prepare(`UPDATE projects SET fingerprint = '{"version":"one"}' WHERE id = ?`)
      .run(project.id);
    expect(() => getProject(store.db, project.id)).toThrow(
      /projects.fingerprint of prj_\w+ holds invalid data/,
    );
    store.close();
  });

  it('ships migrations that never change once released (checksums pinned)', () => {
    // A released migration must never be edited: databases in the field already ran it.
    const pinned: Record<number, string> = JSON.parse(
      readFileSync(new URL('./migrations/checksums.json', import.meta.url), 'utf8'),
    );
    for (const migration of loadMigrations()) {
      const digest = createHash('sha256').update(migration.sql).digest('hex');
      expect(
        pinned[migration.version],
        `migration ${migration.version} has no pinned checksum; add it to checksums.json`,
      ).toBeDefined();
      expect(
        digest,
        `migration ${migration.version}_${migration.name} was edited after release; add a new migration instead`,
      ).toBe(pinned[migration.version]);
    }
  });
});
