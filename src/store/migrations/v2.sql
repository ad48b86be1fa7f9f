
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('note','followup','meeting')),
    -- what the capture is about, when picked: account, person, deal, interaction or follow-up
    target_kind TEXT CHECK (target_kind IN ('account','person','deal','interaction','follow-up')),
    target_id INTEGER,
    text TEXT NOT NULL DEFAULT '',
    -- the date-language field as typed: +3d, fri 10:00
    when_text TEXT,
    -- the capture window's other fields, as a JSON object
    fields TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((target_kind IS NULL) = (target_id IS NULL))
) STRICT;

-- the lists sorted by last contact walk these; by name, the v1 name_key indexes
CREATE INDEX accounts_contact_name ON accounts(last_contact, name_key);
CREATE INDEX people_contact_name ON people(last_contact, name_key);
CREATE INDEX accounts_tier_name ON accounts(tier, name_key);
-- an account's or a person's open promises in date order: the next follow-up of a list row is
-- one probe, a meeting prep counts them without reading the rows
CREATE INDEX followups_open_account ON followups(account_id, due_date) WHERE status = 'open';
CREATE INDEX followups_open_person ON followups(person_id, due_date) WHERE status = 'open';
-- open follow-ups tied to a person but no account (imported so): a prep finds those of the
-- account's people without probing every person of a big account
CREATE INDEX followups_open_unassigned ON followups(person_id)
    WHERE status = 'open' AND account_id IS NULL;
