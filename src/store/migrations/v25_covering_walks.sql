DROP INDEX followups_open_due;
CREATE INDEX followups_open_due ON followups(due_date, due_at, id, due_offset, priority)
    WHERE status = 'open';
DROP INDEX followups_open_account;
CREATE INDEX followups_open_account ON followups(account_id, due_date, id, due_at)
    WHERE status = 'open';
DROP INDEX people_account_key_groups;
CREATE INDEX people_account_key_groups
    ON people(account_id, influence >= 5, stage IS 'cooling', last_contact, id, influence, stage,
              archived_at, cadence_days, created_at)
    WHERE influence >= 4 AND archived_at IS NULL AND cadence_days IS NULL
      AND (stage IS NULL OR stage != 'lost');
