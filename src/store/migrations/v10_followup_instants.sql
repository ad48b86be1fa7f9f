
ALTER TABLE followups ADD COLUMN due_at INTEGER;
UPDATE followups SET due_at = unixepoch(due_date || ' ' || due_time) - due_offset
    WHERE due_time IS NOT NULL AND due_offset IS NOT NULL;
DROP INDEX followups_open_due;
CREATE INDEX followups_open_due ON followups(due_date, due_at) WHERE status = 'open';
