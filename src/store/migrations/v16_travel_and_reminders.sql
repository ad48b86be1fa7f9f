ALTER TABLE accounts ADD COLUMN travel_minutes INTEGER
  CHECK (travel_minutes IS NULL OR travel_minutes BETWEEN 0 AND 1440);
CREATE TABLE reminded (
  interaction_uid TEXT NOT NULL,
  due INTEGER NOT NULL,
  what TEXT NOT NULL CHECK (what IN ('start','leave')),
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (interaction_uid, due, what)
) WITHOUT ROWID;
