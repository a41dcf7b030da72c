-- Core data model: who (orgs, users, workspaces, memberships), what (projects, blueprints,
-- artifacts), what happened (runs, releases, alerts) and the append-only audit log.
-- Timestamps are ISO-8601 UTC text; JSON columns are validated here (json_valid) and by zod in
-- the repositories. STRICT tables make SQLite enforce the declared column types.

CREATE TABLE orgs (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_at  TEXT NOT NULL,
  UNIQUE (org_id, name)
) STRICT;

CREATE TABLE memberships (
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'approver', 'member', 'viewer')),
  created_at    TEXT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) STRICT;

CREATE TABLE projects (
  id              TEXT PRIMARY KEY,
  workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  repo_url        TEXT NOT NULL,
  default_branch  TEXT,
  fingerprint     TEXT CHECK (fingerprint IS NULL OR json_valid(fingerprint)),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (workspace_id, name)
) STRICT;

CREATE TABLE runs (
  id             TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('import', 'blueprint', 'apply', 'release', 'rollback')),
  status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'error', 'blocked', 'cancelled')),
  current_stage  TEXT,
  reason         TEXT,
  input          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(input)),
  output         TEXT CHECK (output IS NULL OR json_valid(output)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  finished_at    TEXT
) STRICT;
CREATE INDEX runs_by_project ON runs (project_id, kind, created_at);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE blueprints (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  inputs       TEXT NOT NULL CHECK (json_valid(inputs)),
  plan_hash    TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'applied', 'superseded')),
  created_at   TEXT NOT NULL,
  approved_at  TEXT,
  UNIQUE (project_id, version)
) STRICT;

CREATE TABLE artifacts (
  id            TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  blueprint_id  TEXT REFERENCES blueprints(id) ON DELETE SET NULL,
  run_id        TEXT REFERENCES runs(id) ON DELETE SET NULL,
  kind          TEXT NOT NULL,
  path          TEXT NOT NULL,
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
  size          INTEGER NOT NULL CHECK (size >= 0),
  media_type    TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX artifacts_by_project ON artifacts (project_id, kind);

CREATE TABLE releases (
  id               TEXT PRIMARY KEY,
  project_id       TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  run_id           TEXT REFERENCES runs(id) ON DELETE SET NULL,
  environment      TEXT NOT NULL,
  version          TEXT NOT NULL,
  strategy         TEXT NOT NULL CHECK (strategy IN ('canary', 'blue-green')),
  status           TEXT NOT NULL,
  traffic_percent  INTEGER NOT NULL DEFAULT 0 CHECK (traffic_percent BETWEEN 0 AND 100),
  risk_score       REAL,
  detail           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX releases_by_project ON releases (project_id, created_at);

CREATE TABLE alerts (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  release_id   TEXT REFERENCES releases(id) ON DELETE SET NULL,
  severity     TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title        TEXT NOT NULL,
  detail       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  created_at   TEXT NOT NULL,
  resolved_at  TEXT
) STRICT;

-- The audit chain (engine/audit). Rows are hash-chained and signed; the triggers make the
-- table append-only for every writer that goes through SQLite, so an edit behind the app's
-- back has to drop the triggers first, and the chain verification then names the edited row.
CREATE TABLE audit_log (
  seq           INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  actor_user    TEXT NOT NULL,
  actor_key_id  TEXT NOT NULL,
  action        TEXT NOT NULL,
  target        TEXT NOT NULL,
  meta          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
  prev_hash     TEXT NOT NULL,
  entry_hash    TEXT NOT NULL UNIQUE,
  signature     TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is refused');
END;
