CREATE TABLE deal_people (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('spec-author','evaluation-committee','decision-maker','user','influencer'))
) STRICT;
CREATE INDEX deal_people_deal ON deal_people(deal_id, person_id);
CREATE INDEX deal_people_person ON deal_people(person_id, deal_id);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    -- NULL: one of ours; else the product of ours it competes with
    competitor_of INTEGER REFERENCES products(id) ON DELETE SET NULL,
    notes TEXT
) STRICT;
CREATE INDEX products_competitor ON products(competitor_of) WHERE competitor_of IS NOT NULL;

CREATE TABLE product_statuses (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('not-listed','requested','under-review','listed','preferred','delisted')),
    -- local calendar day the status took effect
    day TEXT NOT NULL,
    note TEXT
) STRICT;
CREATE INDEX product_statuses_account ON product_statuses(account_id, product_id, day, id);
CREATE INDEX product_statuses_product ON product_statuses(product_id, account_id, day, id);

CREATE TABLE objections (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    -- local calendar day it was raised
    day TEXT NOT NULL,
    text TEXT NOT NULL
) STRICT;
CREATE INDEX objections_person ON objections(person_id, day);
CREATE INDEX objections_product ON objections(product_id);

CREATE TABLE interaction_products (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX interaction_products_product ON interaction_products(product_id, interaction_id);
