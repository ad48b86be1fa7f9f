CREATE INDEX people_account_key_groups
    ON people(account_id, influence >= 5, stage IS 'cooling', last_contact, id, influence, stage,
              archived_at, cadence_days)
    WHERE influence >= 4 AND archived_at IS NULL AND cadence_days IS NULL
      AND (stage IS NULL OR stage != 'lost');
CREATE INDEX people_cooling ON people(influence DESC, name_key)
    WHERE stage = 'cooling' AND archived_at IS NULL;
