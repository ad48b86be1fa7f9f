
CREATE INDEX interactions_at_activity ON interactions(at, account_id, kind, status);
CREATE INDEX followups_done_at ON followups(unixepoch(done_at)) WHERE status = 'done';
