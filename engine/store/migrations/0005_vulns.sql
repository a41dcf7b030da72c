-- Offline vulnerability data (issue 8): OSV records imported from files
-- (https://ossf.github.io/osv-schema/). SQLite cannot order npm, PEP 440, Go or Maven versions,
-- so the range index narrows a lookup to (ecosystem, package) and the engine's comparators
-- evaluate the ranges kept beside it.

CREATE TABLE vuln_advisories (
  id           TEXT PRIMARY KEY,
  modified     TEXT NOT NULL,
  withdrawn    TEXT,
  aliases      TEXT NOT NULL CHECK (json_valid(aliases)),
  summary      TEXT NOT NULL DEFAULT '',
  severity     TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none', 'unknown')),
  score        REAL CHECK (score IS NULL OR score BETWEEN 0 AND 10),
  record       TEXT NOT NULL CHECK (json_valid(record)),
  source       TEXT NOT NULL,
  imported_at  TEXT NOT NULL
) STRICT;

-- One row per `affected` entry: the package it names and that entry's ranges and versions.
CREATE TABLE vuln_affected (
  advisory_id  TEXT NOT NULL REFERENCES vuln_advisories(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL CHECK (position >= 0),
  ecosystem    TEXT NOT NULL,
  package_key  TEXT NOT NULL,
  package_name TEXT NOT NULL,
  affected     TEXT NOT NULL CHECK (json_valid(affected)),
  PRIMARY KEY (advisory_id, position)
) STRICT;

CREATE INDEX vuln_affected_by_package ON vuln_affected (ecosystem, package_key);

CREATE TABLE vuln_imports (
  source       TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  records      INTEGER NOT NULL CHECK (records >= 0),
  skipped      INTEGER NOT NULL CHECK (skipped >= 0)
) STRICT;
