
DROP INDEX people_account_key_contact;
CREATE INDEX people_account_key_walk
    ON people(account_id, last_contact, influence, stage, archived_at, cadence_days)
    WHERE influence >= 4;
CREATE INDEX people_account_own_cadence ON people(account_id, last_contact)
    WHERE cadence_days IS NOT NULL AND influence >= 4;
