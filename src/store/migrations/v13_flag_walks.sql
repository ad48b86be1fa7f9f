CREATE INDEX interactions_account_done ON interactions(account_id, at) WHERE status = 'done';
CREATE INDEX people_account_opponents ON people(account_id, influence DESC, id)
    WHERE attitude = 'opponent' AND influence >= 4 AND archived_at IS NULL;
