CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    command TEXT NOT NULL,
    summary TEXT NOT NULL,
    undone_at TEXT
) STRICT;
CREATE INDEX journal_live ON journal(id) WHERE undone_at IS NULL;
CREATE TABLE journal_changes (
    entry_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    shape TEXT NOT NULL CHECK (shape IN ('row','set')),
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    uid TEXT,
    before TEXT,
    after TEXT,
    PRIMARY KEY (entry_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX journal_changes_record ON journal_changes(tbl, row_id, entry_id);
