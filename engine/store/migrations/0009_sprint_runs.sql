-- prodsprint: foreign-keys-off
-- Sprints become runs (issue 16): the kind check gains 'sprint' and loses 'import' and
-- 'blueprint', which never had a definition (no row can hold them). SQLite cannot change a
-- CHECK in place, so `runs` is rebuilt the way SQLite documents ("Making Other Kinds Of Table
-- Schema Changes"): with foreign keys off, so dropping the old table cascades nothing, and the
-- tables that reference `runs` by name refer to the new one after the rename. The migration
-- runner checks `PRAGMA foreign_key_check` before it commits. A run also records the version of
-- its kind's definition it was submitted under: a run in flight keeps the stages it started
-- with when a newer build changes them.
CREATE TABLE runs_v2 (
  id             TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('apply', 'release', 'rollback', 'sprint')),
  status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'error', 'blocked', 'cancelled')),
  current_stage  TEXT,
  reason         TEXT,
  input          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(input)),
  output         TEXT CHECK (output IS NULL OR json_valid(output)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  finished_at    TEXT,
  submit_seq     INTEGER,
  submitted_by   TEXT,
  definition_version INTEGER NOT NULL DEFAULT 1 CHECK (definition_version >= 1)
) STRICT;
INSERT INTO runs_v2 (id, project_id, kind, status, current_stage, reason, input, output, created_at, updated_at, finished_at, submit_seq, submitted_by)
  SELECT id, project_id, kind, status, current_stage, reason, input, output, created_at, updated_at, finished_at, submit_seq, submitted_by FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
CREATE INDEX runs_by_project ON runs (project_id, kind, created_at);
CREATE INDEX runs_by_status ON runs (status);
CREATE UNIQUE INDEX runs_by_submit_seq ON runs (submit_seq);
CREATE INDEX runs_active ON runs (status, project_id, kind);

-- A stage that waits of its own accord (StageContext.requeueAt: an approval, a child run, a
-- canary window) rather than backing off after a failure; NULL otherwise.
ALTER TABLE stages ADD COLUMN wait_reason TEXT;
