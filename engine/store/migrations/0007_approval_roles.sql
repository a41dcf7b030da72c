-- Issue 10: an approval says in which role it was given, and whether the approver approved
-- their own change (`prodsprint sprint --yes-i-approve`). Packs with a two-person rule read it.
ALTER TABLE approvals ADD COLUMN role TEXT NOT NULL DEFAULT 'release-manager';
ALTER TABLE approvals ADD COLUMN self_approval INTEGER NOT NULL DEFAULT 0 CHECK (self_approval IN (0, 1));
