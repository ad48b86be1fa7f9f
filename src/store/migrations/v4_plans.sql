
CREATE TABLE plan_spends (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    -- local calendar day it was spent
    day TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('hospitality','events','samples','other')),
    -- in the plan's currency
    amount REAL NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX plan_spends_plan ON plan_spends(plan_id, day);

ALTER TABLE followups ADD COLUMN plan_id INTEGER REFERENCES plans(id) ON DELETE SET NULL;
CREATE INDEX followups_plan ON followups(plan_id) WHERE plan_id IS NOT NULL;
