-- Keys and signed tree heads of the audit chain (engine/audit, issue 4).
-- A key's id is the SHA-256 fingerprint of its public key, so a substituted key cannot keep
-- the id of the one it replaces. Both tables keep history: rows are never deleted, and a key
-- only ever changes by being retired.

CREATE TABLE audit_keys (
  key_id          TEXT PRIMARY KEY CHECK (length(key_id) = 64),
  public_key      TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('workstation', 'operator')),
  owner           TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  retired_at      TEXT,
  replaced_by     TEXT REFERENCES audit_keys(key_id)
) STRICT;

CREATE TRIGGER audit_keys_no_delete BEFORE DELETE ON audit_keys
BEGIN
  SELECT RAISE(ABORT, 'audit_keys keeps every key: DELETE is refused');
END;

CREATE TRIGGER audit_keys_public_key_fixed BEFORE UPDATE OF key_id, public_key, role, owner, created_at ON audit_keys
BEGIN
  SELECT RAISE(ABORT, 'audit_keys: a key cannot be changed, only retired');
END;

-- RFC 9162 signed tree heads: the Merkle root of the first tree_size entries, signed.
CREATE TABLE audit_tree_heads (
  tree_size   INTEGER PRIMARY KEY CHECK (tree_size >= 0),
  root_hash   TEXT NOT NULL CHECK (length(root_hash) = 64),
  at          TEXT NOT NULL,
  key_id      TEXT NOT NULL REFERENCES audit_keys(key_id),
  signature   TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_tree_heads_no_update BEFORE UPDATE ON audit_tree_heads
BEGIN
  SELECT RAISE(ABORT, 'audit_tree_heads is append-only: UPDATE is refused');
END;

CREATE TRIGGER audit_tree_heads_no_delete BEFORE DELETE ON audit_tree_heads
BEGIN
  SELECT RAISE(ABORT, 'audit_tree_heads is append-only: DELETE is refused');
END;
