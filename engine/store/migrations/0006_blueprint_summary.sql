-- A blueprint keeps its plan summary (infra resources, cost, policy profile, notes, and each
-- artifact's change against the repository), so the next plan can show add/change/destroy
-- against it and blueprints.get answers without rendering again.
ALTER TABLE blueprints ADD COLUMN summary TEXT CHECK (summary IS NULL OR json_valid(summary));
