CREATE TABLE account_open_followups (
    account_id INTEGER PRIMARY KEY,
    open INTEGER NOT NULL
) STRICT;
INSERT INTO account_open_followups (account_id, open)
    SELECT account_id, count(*) FROM followups
    WHERE status = 'open' AND account_id IS NOT NULL GROUP BY account_id;
CREATE TRIGGER followups_open_count_insert AFTER INSERT ON followups
    WHEN new.status = 'open' AND new.account_id IS NOT NULL
BEGIN
    INSERT INTO account_open_followups (account_id, open) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET open = open + 1;
END;
CREATE TRIGGER followups_open_count_delete AFTER DELETE ON followups
    WHEN old.status = 'open' AND old.account_id IS NOT NULL
BEGIN
    UPDATE account_open_followups SET open = open - 1 WHERE account_id = old.account_id;
END;
CREATE TRIGGER followups_open_count_update AFTER UPDATE OF status, account_id ON followups
    WHEN (old.status = 'open' AND old.account_id IS NOT NULL)
      OR (new.status = 'open' AND new.account_id IS NOT NULL)
BEGIN
    UPDATE account_open_followups SET open = open - 1
        WHERE old.status = 'open' AND account_id = old.account_id;
    INSERT INTO account_open_followups (account_id, open)
        SELECT new.account_id, 1 WHERE new.status = 'open' AND new.account_id IS NOT NULL
        ON CONFLICT (account_id) DO UPDATE SET open = open + 1;
END;
