/**
 * Records container jobs in `remote_runs` (0002_engine.sql) so a restarted engine knows which
 * jobs were in flight and can resume or terminate them instead of starting them again.
 */
import type { Db } from '../../store/database.ts';

export type RemoteRunState = 'started' | 'finished' | 'terminated';

export interface RemoteRunRecord {
  id: string;
  runner: string;
  handle: string;
  state: RemoteRunState;
  startedAt: string;
  finishedAt: string | null;
}

/** Where runners note the start and end of a job; optional (tests run without a db). */
export interface RemoteRunJournal {
  started(jobId: string, runner: string, handle: string): void;
  finished(jobId: string, state: Exclude<RemoteRunState, 'started'>): void;
}

/** A journal writing to `remote_runs` for one run and stage. */
export function sqliteRemoteRunJournal(
  db: Db,
  scope: { runId: string; stage: string },
  now: () => Date = () => new Date(),
): RemoteRunJournal & { inFlight(): RemoteRunRecord[] } {
  const insert = db.prepare(
    `INSERT INTO remote_runs (id, run_id, stage, runner, handle, state, started_at)
     VALUES (?, ?, ?, ?, ?, 'started', ?)
     ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, state = 'started', finished_at = NULL`,
  );
  const finish = db.prepare(
    `UPDATE remote_runs SET state = ?, finished_at = ? WHERE id = ? AND state = 'started'`,
  );
  const open = db.prepare(
    `SELECT id, runner, handle, state, started_at AS startedAt, finished_at AS finishedAt
     FROM remote_runs WHERE run_id = ? AND stage = ? AND state = 'started' ORDER BY started_at`,
  );
  return {
    started(jobId, runner, handle) {
      insert.run(jobId, scope.runId, scope.stage, runner, handle, now().toISOString());
    },
    finished(jobId, state) {
      finish.run(state, now().toISOString(), jobId);
    },
    inFlight() {
      return open.all(scope.runId, scope.stage) as RemoteRunRecord[];
    },
  };
}
