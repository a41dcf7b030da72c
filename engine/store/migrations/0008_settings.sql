-- Issue 14: settings of this installation, one row per key (registry.mirror, mirrors.npm, …).
-- A value is a JSON document validated by its key's schema (engine/api/config.contract.ts); it
-- holds references to credentials (env:NAME), never a credential. Every change is audited.
CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL CHECK (json_valid(value)),
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL
) STRICT;
