-- What the engine needs next: durable stages and their events, idempotency keys for effects,
-- dead letters, policy packs, waivers, approvals, tool images and runs on remote runners.

CREATE TABLE stages (
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'error', 'blocked', 'cancelled', 'skipped')),
  attempt      INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  next_attempt_at TEXT,
  reason       TEXT,
  output       TEXT CHECK (output IS NULL OR json_valid(output)),
  started_at   TEXT,
  finished_at  TEXT,
  PRIMARY KEY (run_id, name)
) STRICT;

CREATE TABLE run_events (
  run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  stage    TEXT,
  status   TEXT NOT NULL,
  percent  REAL CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
  message  TEXT NOT NULL DEFAULT '',
  at       TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;

-- An effect's key is recorded before the effect runs; its result once it has run.
CREATE TABLE idempotency_keys (
  project_id   TEXT NOT NULL,
  stage        TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  effect       TEXT NOT NULL,
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  state        TEXT NOT NULL CHECK (state IN ('started', 'completed')),
  result       TEXT CHECK (result IS NULL OR json_valid(result)),
  created_at   TEXT NOT NULL,
  completed_at TEXT,
  PRIMARY KEY (project_id, stage, attempt, effect)
) STRICT;

CREATE TABLE dead_letters (
  id           TEXT PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage        TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  error        TEXT NOT NULL,
  inputs       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(inputs)),
  created_at   TEXT NOT NULL,
  replayed_at  TEXT
) STRICT;

CREATE TABLE policy_packs (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  revision      TEXT NOT NULL,
  digest        TEXT NOT NULL,
  signer_key_id TEXT,
  manifest      TEXT NOT NULL CHECK (json_valid(manifest)),
  path          TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  UNIQUE (name, revision)
) STRICT;

CREATE TABLE policy_activations (
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  pack_id        TEXT NOT NULL REFERENCES policy_packs(id) ON DELETE CASCADE,
  activated_at   TEXT NOT NULL,
  activated_by   TEXT NOT NULL,
  PRIMARY KEY (workspace_id, pack_id)
) STRICT;

CREATE TABLE waivers (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  rule         TEXT NOT NULL,
  subject      TEXT NOT NULL,
  reason       TEXT NOT NULL,
  approver     TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  revoked_at   TEXT
) STRICT;

CREATE TABLE approvals (
  id             TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('blueprint', 'release', 'waiver')),
  subject_id     TEXT NOT NULL,
  subject_hash   TEXT NOT NULL,
  approver       TEXT NOT NULL,
  key_id         TEXT NOT NULL,
  signature      TEXT NOT NULL,
  environment    TEXT,
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX approvals_by_subject ON approvals (subject_kind, subject_id);

CREATE TABLE tool_images (
  name         TEXT NOT NULL,
  version      TEXT NOT NULL,
  image_ref    TEXT NOT NULL,
  digest       TEXT NOT NULL,
  loaded_at    TEXT NOT NULL,
  PRIMARY KEY (name, version)
) STRICT;

-- A job running outside this process (a container, a remote runner) so a restarted engine
-- can resume or terminate it instead of starting it again.
CREATE TABLE remote_runs (
  id           TEXT PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage        TEXT NOT NULL,
  runner       TEXT NOT NULL,
  handle       TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('started', 'finished', 'terminated')),
  started_at   TEXT NOT NULL,
  finished_at  TEXT
) STRICT;
