-- Two-way sync with a CalDAV calendar and a CardDAV address book (issue 13): what was last
-- agreed with the server, so the next sync is incremental and a rerun after a kill is safe.
-- One row per collection: the URL it was synced with (another URL starts afresh), the
-- server's sync-token and ctag when last read.
CREATE TABLE sync_collections (
    name TEXT PRIMARY KEY CHECK (name IN ('calendar','contacts')),
    url TEXT NOT NULL,
    sync_token TEXT,
    ctag TEXT
) STRICT;
-- One row per item on the server: where it is (href), its ETag, the UID it carries, the record
-- it is (kind and id: a plain pair, so erasing a record never erases what the server still
-- holds of it), and the fields both sides last agreed on (JSON) with their hash.
CREATE TABLE sync_items (
    collection TEXT NOT NULL CHECK (collection IN ('calendar','contacts')),
    href TEXT NOT NULL,
    uid TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('meeting','followup','person')),
    record_id INTEGER NOT NULL,
    etag TEXT,
    base TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (collection, href)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX sync_items_record ON sync_items (kind, record_id);
