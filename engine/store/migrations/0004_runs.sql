-- The durable run engine (engine/runs, issue 3).
--
-- Idempotency keys gain the run: the key (project_id, stage, attempt) of 0002 would let a
-- second apply of the same project find the first apply's completed effects and skip them.
-- SQLite cannot change a primary key in place, so the table is rebuilt (rows are kept).
CREATE TABLE idempotency_keys_v2 (
  project_id   TEXT NOT NULL,
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage        TEXT NOT NULL,
  attempt      INTEGER NOT NULL CHECK (attempt >= 0),
  effect       TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('started', 'completed')),
  result       TEXT CHECK (result IS NULL OR json_valid(result)),
  created_at   TEXT NOT NULL,
  completed_at TEXT,
  PRIMARY KEY (project_id, run_id, stage, attempt, effect)
) STRICT;
INSERT INTO idempotency_keys_v2 (project_id, run_id, stage, attempt, effect, state, result, created_at, completed_at)
  SELECT project_id, run_id, stage, attempt, effect, state, result, created_at, completed_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;

-- A dead-letter replay gives a stage a fresh retry budget without reusing attempt numbers
-- (reused numbers would reuse idempotency keys and silently skip the replayed effects):
-- the budget counts attempts above attempt_base.
ALTER TABLE stages ADD COLUMN attempt_base INTEGER NOT NULL DEFAULT 0 CHECK (attempt_base >= 0);

-- Declaration order of the stage in its run definition, so listings and tie-breaks are stable.
ALTER TABLE stages ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- Whether a failed or cancelled stage still owes a compensate() call for its partial apply;
-- persisted so a restarted engine finishes a compensation it was killed in.
ALTER TABLE stages ADD COLUMN compensation TEXT NOT NULL DEFAULT 'none'
  CHECK (compensation IN ('none', 'pending', 'done', 'failed'));

-- Submission order: admission is FIFO per (project, kind), and ISO timestamps can tie.
ALTER TABLE runs ADD COLUMN submit_seq INTEGER;
CREATE UNIQUE INDEX runs_by_submit_seq ON runs (submit_seq);
CREATE INDEX runs_active ON runs (status, project_id, kind);

-- Who submitted the run: later transitions are the system's, but the audit trail and the
-- listing name the person who asked for it.
ALTER TABLE runs ADD COLUMN submitted_by TEXT;

CREATE INDEX dead_letters_by_run ON dead_letters (run_id, stage);
