
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT,
    tier TEXT CHECK (tier IN ('A','B','C')),
    stage TEXT CHECK (stage IN ('pre-kam','early-kam','mid-kam','partnership-kam','synergistic-kam','uncoupling-kam')),
    territory TEXT, city TEXT, country TEXT, address TEXT, website TEXT, phone TEXT,
    revenue REAL, our_sales REAL, currency TEXT,
    about TEXT, needs TEXT, plans TEXT, competitors TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    archived_at TEXT,
    -- unix seconds of the latest done interaction, kept by the store
    last_contact INTEGER
) STRICT;
CREATE INDEX accounts_name_key ON accounts(name_key);
CREATE INDEX accounts_tier_contact ON accounts(tier, last_contact);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    title TEXT,
    role TEXT CHECK (role IN ('economic-buyer','user-buyer','technical-buyer','coach','gatekeeper','influencer','blocker','other')),
    influence INTEGER CHECK (influence BETWEEN 1 AND 5),
    attitude TEXT CHECK (attitude IN ('champion','supporter','neutral','skeptic','opponent')),
    stage TEXT CHECK (stage IN ('identified','contacted','acquainted','loyal','close','advocate','cooling','lost')),
    phone TEXT, email TEXT,
    birthday TEXT,
    -- MM-DD of the birthday, for the agenda
    birthday_md TEXT,
    personal TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    archived_at TEXT,
    last_contact INTEGER
) STRICT;
CREATE INDEX people_name_key ON people(name_key);
CREATE INDEX people_account ON people(account_id);
CREATE INDEX people_birthday ON people(birthday_md) WHERE birthday_md IS NOT NULL;
CREATE INDEX people_key_contact ON people(last_contact) WHERE influence >= 4;

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    from_person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    to_person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reports-to','influences','ally','rival','friend','family')),
    note TEXT
) STRICT;
CREATE INDEX links_from ON links(from_person);
CREATE INDEX links_to ON links(to_person);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    kind TEXT NOT NULL CHECK (kind IN ('meeting','visit','call','event','email','note')),
    -- instant in unix seconds, and the UTC offset (seconds east) it was entered in
    at INTEGER NOT NULL,
    at_offset INTEGER NOT NULL,
    end_at INTEGER,
    end_offset INTEGER,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    title TEXT, body TEXT, location TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
    outcome TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    CHECK ((end_at IS NULL) = (end_offset IS NULL))
) STRICT;
CREATE INDEX interactions_account_at ON interactions(account_id, at);
CREATE INDEX interactions_scheduled_at ON interactions(at) WHERE kind IN ('meeting','visit','call','event');

CREATE TABLE interaction_people (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX interaction_people_person ON interaction_people(person_id, interaction_id);

CREATE TABLE deals (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    kind TEXT CHECK (kind IN ('opportunity','tender','listing','contract','order')),
    stage TEXT CHECK (stage IN ('lead','qualified','proposal','negotiation','won','lost')),
    value REAL, currency TEXT,
    probability REAL CHECK (probability BETWEEN 0 AND 100),
    close TEXT,
    commission_rate REAL CHECK (commission_rate BETWEEN 0 AND 100),
    notes TEXT
) STRICT;
CREATE INDEX deals_account ON deals(account_id);
CREATE INDEX deals_open_close ON deals(close) WHERE stage IS NULL OR stage NOT IN ('won','lost');

CREATE TABLE deal_milestones (
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    date TEXT NOT NULL,
    PRIMARY KEY (deal_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX deal_milestones_date ON deal_milestones(date);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL,
    -- local calendar day; with a time, also the wall-clock time and its UTC offset
    due_date TEXT NOT NULL,
    due_time TEXT,
    due_offset INTEGER,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,
    interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    repeat TEXT,
    status TEXT NOT NULL CHECK (status IN ('open','done','cancelled')),
    done_at TEXT,
    priority INTEGER CHECK (priority BETWEEN 1 AND 3),
    CHECK ((due_time IS NULL) = (due_offset IS NULL))
) STRICT;
CREATE INDEX followups_open_due ON followups(due_date) WHERE status = 'open';
CREATE INDEX followups_account ON followups(account_id);
CREATE INDEX followups_person ON followups(person_id);
CREATE INDEX followups_deal ON followups(deal_id);
CREATE INDEX followups_interaction ON followups(interaction_id);

CREATE TABLE obligations (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    due TEXT NOT NULL,
    party TEXT CHECK (party IN ('us','client')),
    kind TEXT CHECK (kind IN ('delivery','payment','clause')),
    amount REAL, currency TEXT,
    status TEXT CHECK (status IN ('open','done','late')),
    done_at TEXT
) STRICT;
CREATE INDEX obligations_deal ON obligations(deal_id);
CREATE INDEX obligations_pending_due ON obligations(due) WHERE status IS NULL OR status != 'done';

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    objective TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    target TEXT,
    budget REAL, spent REAL, currency TEXT,
    status TEXT CHECK (status IN ('active','achieved','dropped')),
    notes TEXT,
    CHECK ((account_id IS NULL) != (person_id IS NULL))
) STRICT;
CREATE INDEX plans_account ON plans(account_id);
CREATE INDEX plans_person ON plans(person_id);

CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    ladder TEXT NOT NULL CHECK (ladder IN ('person','account','deal')),
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    deal_id INTEGER REFERENCES deals(id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    at INTEGER NOT NULL,
    at_offset INTEGER NOT NULL,
    note TEXT,
    CHECK ((ladder = 'account') = (account_id IS NOT NULL)
       AND (ladder = 'person') = (person_id IS NOT NULL)
       AND (ladder = 'deal') = (deal_id IS NOT NULL))
) STRICT;
CREATE INDEX stage_changes_account ON stage_changes(account_id, at) WHERE account_id IS NOT NULL;
CREATE INDEX stage_changes_person ON stage_changes(person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX stage_changes_deal ON stage_changes(deal_id, at) WHERE deal_id IS NOT NULL;
CREATE INDEX stage_changes_at ON stage_changes(at);
CREATE VIRTUAL TABLE accounts_fts USING fts5(name, about, needs, plans, competitors, city, territory, tags, content='accounts', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO accounts_fts(accounts_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN
           INSERT INTO accounts_fts(rowid, name, about, needs, plans, competitors, city, territory, tags) VALUES (new.id, new.name, new.about, new.needs, new.plans, new.competitors, new.city, new.territory, new.tags);
         END;
         CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN
           INSERT INTO accounts_fts(accounts_fts, rowid, name, about, needs, plans, competitors, city, territory, tags) VALUES ('delete', old.id, old.name, old.about, old.needs, old.plans, old.competitors, old.city, old.territory, old.tags);
         END;
         CREATE TRIGGER accounts_fts_update AFTER UPDATE OF name, about, needs, plans, competitors, city, territory, tags ON accounts BEGIN
           INSERT INTO accounts_fts(accounts_fts, rowid, name, about, needs, plans, competitors, city, territory, tags) VALUES ('delete', old.id, old.name, old.about, old.needs, old.plans, old.competitors, old.city, old.territory, old.tags);
           INSERT INTO accounts_fts(rowid, name, about, needs, plans, competitors, city, territory, tags) VALUES (new.id, new.name, new.about, new.needs, new.plans, new.competitors, new.city, new.territory, new.tags);
         END;CREATE VIRTUAL TABLE people_fts USING fts5(name, title, personal, email, tags, content='people', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO people_fts(people_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
           INSERT INTO people_fts(rowid, name, title, personal, email, tags) VALUES (new.id, new.name, new.title, new.personal, new.email, new.tags);
         END;
         CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
           INSERT INTO people_fts(people_fts, rowid, name, title, personal, email, tags) VALUES ('delete', old.id, old.name, old.title, old.personal, old.email, old.tags);
         END;
         CREATE TRIGGER people_fts_update AFTER UPDATE OF name, title, personal, email, tags ON people BEGIN
           INSERT INTO people_fts(people_fts, rowid, name, title, personal, email, tags) VALUES ('delete', old.id, old.name, old.title, old.personal, old.email, old.tags);
           INSERT INTO people_fts(rowid, name, title, personal, email, tags) VALUES (new.id, new.name, new.title, new.personal, new.email, new.tags);
         END;CREATE VIRTUAL TABLE interactions_fts USING fts5(title, body, outcome, location, tags, content='interactions', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO interactions_fts(interactions_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions BEGIN
           INSERT INTO interactions_fts(rowid, title, body, outcome, location, tags) VALUES (new.id, new.title, new.body, new.outcome, new.location, new.tags);
         END;
         CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions BEGIN
           INSERT INTO interactions_fts(interactions_fts, rowid, title, body, outcome, location, tags) VALUES ('delete', old.id, old.title, old.body, old.outcome, old.location, old.tags);
         END;
         CREATE TRIGGER interactions_fts_update AFTER UPDATE OF title, body, outcome, location, tags ON interactions BEGIN
           INSERT INTO interactions_fts(interactions_fts, rowid, title, body, outcome, location, tags) VALUES ('delete', old.id, old.title, old.body, old.outcome, old.location, old.tags);
           INSERT INTO interactions_fts(rowid, title, body, outcome, location, tags) VALUES (new.id, new.title, new.body, new.outcome, new.location, new.tags);
         END;CREATE VIRTUAL TABLE followups_fts USING fts5(text, content='followups', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO followups_fts(followups_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER followups_fts_insert AFTER INSERT ON followups BEGIN
           INSERT INTO followups_fts(rowid, text) VALUES (new.id, new.text);
         END;
         CREATE TRIGGER followups_fts_delete AFTER DELETE ON followups BEGIN
           INSERT INTO followups_fts(followups_fts, rowid, text) VALUES ('delete', old.id, old.text);
         END;
         CREATE TRIGGER followups_fts_update AFTER UPDATE OF text ON followups BEGIN
           INSERT INTO followups_fts(followups_fts, rowid, text) VALUES ('delete', old.id, old.text);
           INSERT INTO followups_fts(rowid, text) VALUES (new.id, new.text);
         END;CREATE VIRTUAL TABLE deals_fts USING fts5(title, notes, content='deals', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO deals_fts(deals_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER deals_fts_insert AFTER INSERT ON deals BEGIN
           INSERT INTO deals_fts(rowid, title, notes) VALUES (new.id, new.title, new.notes);
         END;
         CREATE TRIGGER deals_fts_delete AFTER DELETE ON deals BEGIN
           INSERT INTO deals_fts(deals_fts, rowid, title, notes) VALUES ('delete', old.id, old.title, old.notes);
         END;
         CREATE TRIGGER deals_fts_update AFTER UPDATE OF title, notes ON deals BEGIN
           INSERT INTO deals_fts(deals_fts, rowid, title, notes) VALUES ('delete', old.id, old.title, old.notes);
           INSERT INTO deals_fts(rowid, title, notes) VALUES (new.id, new.title, new.notes);
         END;CREATE VIRTUAL TABLE plans_fts USING fts5(objective, notes, content='plans', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO plans_fts(plans_fts, rank) VALUES ('secure-delete', 1);
         CREATE TRIGGER plans_fts_insert AFTER INSERT ON plans BEGIN
           INSERT INTO plans_fts(rowid, objective, notes) VALUES (new.id, new.objective, new.notes);
         END;
         CREATE TRIGGER plans_fts_delete AFTER DELETE ON plans BEGIN
           INSERT INTO plans_fts(plans_fts, rowid, objective, notes) VALUES ('delete', old.id, old.objective, old.notes);
         END;
         CREATE TRIGGER plans_fts_update AFTER UPDATE OF objective, notes ON plans BEGIN
           INSERT INTO plans_fts(plans_fts, rowid, objective, notes) VALUES ('delete', old.id, old.objective, old.notes);
           INSERT INTO plans_fts(rowid, objective, notes) VALUES (new.id, new.objective, new.notes);
         END;