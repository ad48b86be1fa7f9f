CREATE INDEX obligations_pending_owed ON obligations(due, party, currency, amount, deal_id) WHERE status IS NULL OR status != 'done';
CREATE INDEX deals_archived ON deals(id) WHERE archived_at IS NOT NULL;
