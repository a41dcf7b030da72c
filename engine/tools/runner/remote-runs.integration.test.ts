import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/database.ts';
import type { Store } from '../../store/database.ts';
import { sqliteRemoteRunJournal } from './remote-runs.ts';

describe('sqliteRemoteRunJournal', () => {
  let store: Store | undefined;
  let dir: string | undefined;

  afterEach(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records start and finish in remote_runs and lists the jobs still in flight', () => {
    dir = mkdtempSync(join(tmpdir(), 'prodsprint-remote-runs-'));
    store = openStore(dir);
    const t = '2026-01-01T00:00:00.000Z';
    store.db.exec(`
      INSERT INTO orgs VALUES ('o1', 'org', '${t}');
      INSERT INTO workspaces (id, org_id, name, created_at) VALUES ('w1', 'o1', 'ws', '${t}');
      INSERT INTO projects (id, workspace_id, name, repo_url, created_at, updated_at)
        VALUES ('p1', 'w1', 'app', 'file:///repo', '${t}', '${t}');
      INSERT INTO runs (id, project_id, kind, status, created_at, updated_at)
        VALUES ('r1', 'p1', 'apply', 'running', '${t}', '${t}');
    `);
    const journal = sqliteRemoteRunJournal(store.db, { runId: 'r1', stage: 'security' });
    journal.started('job-a', 'docker', 'container-a');
    journal.started('job-b', 'docker', 'container-b');
    journal.finished('job-a', 'finished');
    expect(journal.inFlight().map((record) => [record.id, record.handle, record.state])).toEqual([
      ['job-b', 'container-b', 'started'],
    ]);
    journal.finished('job-b', 'terminated');
    journal.finished('job-b', 'finished');
    expect(store.db.prepare(`SELECT id, state FROM remote_runs ORDER BY id`).all()).toEqual([
      { id: 'job-a', state: 'finished' },
      { id: 'job-b', state: 'terminated' },
    ]);
  });
});
