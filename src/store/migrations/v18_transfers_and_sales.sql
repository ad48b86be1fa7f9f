ALTER TABLE plan_spends ADD COLUMN transfer TEXT CHECK (transfer IN ('donation','grant','registration','travel','accommodation','fee','expenses','meal','sample','gift'));
CREATE TABLE plan_spend_people (
    spend_id INTEGER NOT NULL REFERENCES plan_spends(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (spend_id, person_id)
) STRICT;
CREATE INDEX plan_spend_people_person ON plan_spend_people(person_id);
CREATE TABLE account_sales (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    target REAL,
    actual REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (account_id, month, currency)
) STRICT;
CREATE INDEX account_sales_month ON account_sales(month);
