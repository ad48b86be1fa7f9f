-- Issue 14.1, what counts as contact. Two new kinds of interaction: a meal (before, an event
-- titled "Meal") and a message (a chat or text: a touch, like an e-mail). Widening a CHECK list
-- changes nothing stored, so the table's text is edited in place (the "other kinds of table
-- schema changes" of SQLite's ALTER TABLE page) rather than the table rebuilt: a rebuild inside
-- this transaction, foreign keys on, would cascade the drop of the old table to its people.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''email'',''note'')', '''email'',''note'',''meal'',''message'')')
 WHERE type = 'table' AND name = 'interactions';
PRAGMA writable_schema = RESET;
-- a meal sits in the calendar like a meeting
DROP INDEX interactions_scheduled_at;
CREATE INDEX interactions_scheduled_at ON interactions(at)
    WHERE kind IN ('meeting','visit','call','event','meal');
-- who took part, and who was only mentioned (an @name in the text, the people a note is about)
ALTER TABLE interaction_people ADD COLUMN part TEXT NOT NULL DEFAULT 'participant'
    CHECK (part IN ('participant','mentioned'));
-- before, a note's people were its target and its @mentions: none of them took part
UPDATE interaction_people SET part = 'mentioned'
 WHERE interaction_id IN (SELECT id FROM interactions WHERE kind = 'note');
-- last_contact now means last seen (a meeting, visit, call, meal or event taken part in);
-- last_touch is the latest contact of either kind, an e-mail or a message included
ALTER TABLE accounts ADD COLUMN last_touch INTEGER;
ALTER TABLE people ADD COLUMN last_touch INTEGER;
-- recomputed from the done interactions; never later than the old last contact, which was
-- never after the moment it was written
UPDATE accounts SET
    last_touch = min(last_contact, (SELECT at FROM interactions
        INDEXED BY interactions_account_done
        WHERE account_id = accounts.id AND status = 'done'
          AND kind IN ('meeting','visit','call','meal','event','email','message')
        ORDER BY at DESC LIMIT 1)),
    last_contact = min(last_contact, (SELECT at FROM interactions
        INDEXED BY interactions_account_done
        WHERE account_id = accounts.id AND status = 'done'
          AND kind IN ('meeting','visit','call','meal','event')
        ORDER BY at DESC LIMIT 1))
 WHERE last_contact IS NOT NULL;
UPDATE people SET
    last_touch = min(people.last_contact, c.touch),
    last_contact = min(people.last_contact, c.seen)
  FROM (SELECT p.id, m.seen, m.touch FROM people p LEFT JOIN
          (SELECT ip.person_id,
                  max(CASE WHEN i.kind IN ('meeting','visit','call','meal','event')
                      THEN i.at END) AS seen,
                  max(CASE WHEN i.kind IN ('meeting','visit','call','meal','event','email',
                      'message') THEN i.at END) AS touch
             FROM interactions AS i NOT INDEXED
             CROSS JOIN interaction_people AS ip ON ip.interaction_id = i.id
            WHERE i.status = 'done' AND ip.part = 'participant'
            GROUP BY ip.person_id) m
        ON m.person_id = p.id) c
 WHERE people.id = c.id AND people.last_contact IS NOT NULL;
