ALTER TABLE deals ADD COLUMN archived_at TEXT;
ALTER TABLE plans ADD COLUMN archived_at TEXT;
