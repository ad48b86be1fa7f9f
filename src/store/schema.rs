//! The schema and its migrations, keyed by `PRAGMA user_version`, under kamnote's
//! `PRAGMA application_id`. Migrations are append-only: a released step is never edited, a change
//! is a new step. Each step runs inside the caller's `BEGIN IMMEDIATE` transaction.

use rusqlite::Connection;

use crate::domain::{
    AccountStage, Attitude, BuyingRole, DealKind, DealStage, DraftKind, FollowUpStatus,
    InteractionKind, InteractionStatus, Ladder, LinkKind, ObligationKind, ObligationStatus, Party,
    PersonStage, PlanStatus, SpendCategory, Tier, Vocabulary,
};

/// `PRAGMA application_id` of a kamnote notebook: "KAMN".
pub const APPLICATION_ID: i32 = 0x4b41_4d4e;

/// The schema version this build writes; files with a higher `user_version` are refused.
pub const CURRENT_VERSION: i32 = 11;

/// The migration steps in order: `STEPS[n]` takes a database from version `n` to `n + 1`.
const STEPS: &[fn() -> String] = &[
    v1,
    v2,
    v3_cadence,
    v4_plans,
    v5_reports,
    v6_people_by_account,
    v7_key_people_walk,
    v8_draft_owners,
    v9_fold_apart,
    v10_followup_instants,
    v11_exact_amounts,
];

/// Brings a database at `from` (0 = empty) up to [`CURRENT_VERSION`].
pub fn migrate(conn: &Connection, from: i32) -> rusqlite::Result<()> {
    migrate_to(conn, from, CURRENT_VERSION)
}

/// Runs the steps that take a database from version `from` to `to` (tests build old notebooks
/// with it), then stamps `to` into `user_version`.
pub fn migrate_to(conn: &Connection, from: i32, to: i32) -> rusqlite::Result<()> {
    register_fold(conn)?;
    let first = usize::try_from(from).unwrap_or(0);
    let last = usize::try_from(to).unwrap_or(0).min(STEPS.len());
    for step in STEPS.iter().take(last).skip(first) {
        conn.execute_batch(&step())?;
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", to)?;
    Ok(())
}

/// `kam_fold(text)`: [`crate::text::fold`] for the steps that recompute stored name keys (a key
/// must be the fold of today's build). NULL stays NULL.
fn register_fold(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "kam_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| crate::text::fold(&t)))
        },
    )
}

fn check<V: Vocabulary>(column: &str) -> String {
    format!("CHECK ({column} IN ({}))", V::sql_list())
}

/// The trigger that indexes a new row of `table` (dropped and recreated around bulk imports).
pub(super) fn fts_insert_trigger(table: &str, columns: &[&str]) -> String {
    let cols = columns.join(", ");
    let new = columns
        .iter()
        .map(|c| format!("new.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN
           INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new});
         END;"
    )
}

/// The trigger that re-indexes a row of `table` whose indexed columns changed.
pub(super) fn fts_update_trigger(table: &str, columns: &[&str]) -> String {
    let cols = columns.join(", ");
    let new = columns
        .iter()
        .map(|c| format!("new.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let old = columns
        .iter()
        .map(|c| format!("old.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {cols} ON {table} BEGIN
           INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});
           INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new});
         END;"
    )
}

/// An external-content FTS5 index over `columns` of `table`, kept in sync by triggers. The update
/// trigger only fires when an indexed column changes, so bookkeeping updates cost nothing here.
fn fts(table: &str, columns: &[&str]) -> String {
    let cols = columns.join(", ");
    format!(
        "CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO {table}_fts({table}_fts, rank) VALUES ('secure-delete', 1);
         {}
         {}
         {}",
        fts_insert_trigger(table, columns),
        fts_delete_trigger(table, columns),
        fts_update_trigger(table, columns)
    )
}

/// The trigger that takes a deleted row of `table` out of the index (set aside around bulk
/// imports with the others).
pub(super) fn fts_delete_trigger(table: &str, columns: &[&str]) -> String {
    let cols = columns.join(", ");
    let old = columns
        .iter()
        .map(|c| format!("old.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
           INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});
         END;"
    )
}

/// The tables with a full-text index (`{table}_fts`), and the columns it covers.
pub(super) const SEARCHED: &[(&str, &[&str])] = &[
    (
        "accounts",
        &[
            "name",
            "about",
            "needs",
            "plans",
            "competitors",
            "city",
            "territory",
            "tags",
        ],
    ),
    ("people", &["name", "title", "personal", "email", "tags"]),
    (
        "interactions",
        &["title", "body", "outcome", "location", "tags"],
    ),
    ("followups", &["text"]),
    ("deals", &["title", "notes"]),
    ("plans", &["objective", "notes"]),
];

/// Columns every record has.
const RECORD: &str = "id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}'";

#[allow(clippy::too_many_lines)] // one schema, read top to bottom
fn v1() -> String {
    let tier = check::<Tier>("tier");
    let account_stage = check::<AccountStage>("stage");
    let person_stage = check::<PersonStage>("stage");
    let role = check::<BuyingRole>("role");
    let attitude = check::<Attitude>("attitude");
    let link_kind = check::<LinkKind>("kind");
    let interaction_kind = check::<InteractionKind>("kind");
    let interaction_status = check::<InteractionStatus>("status");
    let followup_status = check::<FollowUpStatus>("status");
    let deal_kind = check::<DealKind>("kind");
    let deal_stage = check::<DealStage>("stage");
    let party = check::<Party>("party");
    let obligation_kind = check::<ObligationKind>("kind");
    let obligation_status = check::<ObligationStatus>("status");
    let plan_status = check::<PlanStatus>("status");
    let ladder = check::<Ladder>("ladder");
    let scheduled = InteractionKind::SCHEDULED
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(",");
    let mut sql = format!(
        "
CREATE TABLE accounts (
    {RECORD},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT,
    tier TEXT {tier},
    stage TEXT {account_stage},
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
    {RECORD},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    title TEXT,
    role TEXT {role},
    influence INTEGER CHECK (influence BETWEEN 1 AND 5),
    attitude TEXT {attitude},
    stage TEXT {person_stage},
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
    {RECORD},
    from_person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    to_person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL {link_kind},
    note TEXT
) STRICT;
CREATE INDEX links_from ON links(from_person);
CREATE INDEX links_to ON links(to_person);

CREATE TABLE interactions (
    {RECORD},
    kind TEXT NOT NULL {interaction_kind},
    -- instant in unix seconds, and the UTC offset (seconds east) it was entered in
    at INTEGER NOT NULL,
    at_offset INTEGER NOT NULL,
    end_at INTEGER,
    end_offset INTEGER,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    title TEXT, body TEXT, location TEXT,
    status TEXT NOT NULL {interaction_status},
    outcome TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    CHECK ((end_at IS NULL) = (end_offset IS NULL))
) STRICT;
CREATE INDEX interactions_account_at ON interactions(account_id, at);
CREATE INDEX interactions_scheduled_at ON interactions(at) WHERE kind IN ({scheduled});

CREATE TABLE interaction_people (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX interaction_people_person ON interaction_people(person_id, interaction_id);

CREATE TABLE deals (
    {RECORD},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    kind TEXT {deal_kind},
    stage TEXT {deal_stage},
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
    {RECORD},
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
    status TEXT NOT NULL {followup_status},
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
    {RECORD},
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    due TEXT NOT NULL,
    party TEXT {party},
    kind TEXT {obligation_kind},
    amount REAL, currency TEXT,
    status TEXT {obligation_status},
    done_at TEXT
) STRICT;
CREATE INDEX obligations_deal ON obligations(deal_id);
CREATE INDEX obligations_pending_due ON obligations(due) WHERE status IS NULL OR status != 'done';

CREATE TABLE plans (
    {RECORD},
    objective TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    target TEXT,
    budget REAL, spent REAL, currency TEXT,
    status TEXT {plan_status},
    notes TEXT,
    CHECK ((account_id IS NULL) != (person_id IS NULL))
) STRICT;
CREATE INDEX plans_account ON plans(account_id);
CREATE INDEX plans_person ON plans(person_id);

CREATE TABLE stage_changes (
    {RECORD},
    ladder TEXT NOT NULL {ladder},
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
"
    );
    for &(table, columns) in SEARCHED {
        sql.push_str(&fts(table, columns));
    }
    sql
}

/// Version 2: the TUI's capture drafts, and the indexes behind the accounts and people lists.
fn v2() -> String {
    let draft_kind = check::<DraftKind>("kind");
    format!(
        "
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL {draft_kind},
    -- what the capture is about, when picked: account, person, deal, interaction or follow-up
    target_kind TEXT CHECK (target_kind IN ('account','person','deal','interaction','follow-up')),
    target_id INTEGER,
    text TEXT NOT NULL DEFAULT '',
    -- the date-language field as typed: +3d, fri 10:00
    when_text TEXT,
    -- the capture window's other fields, as a JSON object
    fields TEXT NOT NULL DEFAULT '{{}}',
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
"
    )
}

/// Plans (issue 4): the spend entries behind a plan's `spent` (category, amount, day), and the
/// follow-ups that are a plan's steps (`followups.plan_id`).
fn v4_plans() -> String {
    let category = check::<SpendCategory>("category");
    format!(
        "
CREATE TABLE plan_spends (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    -- local calendar day it was spent
    day TEXT NOT NULL,
    category TEXT NOT NULL {category},
    -- in the plan's currency
    amount REAL NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX plan_spends_plan ON plan_spends(plan_id, day);

ALTER TABLE followups ADD COLUMN plan_id INTEGER REFERENCES plans(id) ON DELETE SET NULL;
CREATE INDEX followups_plan ON followups(plan_id) WHERE plan_id IS NOT NULL;
"
    )
}

/// Version 3 (relationship intelligence): a person's own cadence, read from their extension data
/// (`x-cadence_days`, a whole number of days 1–3650; anything else counts as none) into a virtual
/// column, and the indexes behind the agenda's who-to-contact walk and the red flags of an account.
fn v3_cadence() -> String {
    "
ALTER TABLE people ADD COLUMN cadence_days INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_type(extra, '$.\"x-cadence_days\"') = 'integer'
          AND json_extract(extra, '$.\"x-cadence_days\"') BETWEEN 1 AND 3650
         THEN json_extract(extra, '$.\"x-cadence_days\"') END) VIRTUAL;
-- people with their own cadence, oldest contact first (the agenda's second walk)
CREATE INDEX people_own_cadence ON people(last_contact) WHERE cadence_days IS NOT NULL;
-- red flags of one account: its coaches and economic buyers, its key people by last contact,
-- and the powerful opponents (of an account, or of every account)
CREATE INDEX people_account_role ON people(account_id, role);
CREATE INDEX people_account_key_contact ON people(account_id, last_contact) WHERE influence >= 4;
CREATE INDEX people_key_attitude ON people(attitude, account_id) WHERE influence >= 4;
"
    .to_string()
}

/// The deals step (issue 5; renumbered at merge): the indexes behind the period report and the
/// Pareto ranking. A month of activity per account is a range scan of one covering index instead
/// of a table lookup per interaction; follow-ups done in a period are found by their done time.
fn v5_reports() -> String {
    "
CREATE INDEX interactions_at_activity ON interactions(at, account_id, kind, status);
CREATE INDEX followups_done_at ON followups(unixepoch(done_at)) WHERE status = 'done';
"
    .to_string()
}

/// Version 6: the people of one account in name order (its People tab, `kam person list --account`): a
/// window walks this index and stops at its limit, where `people_account` alone made the
/// biggest L account (18,745 people) sort them all for every window (17–75 ms, now 1 ms).
/// `people_account` stays for now: the new index covers its uses, dropping it is for the lead
/// to decide when steps are renumbered.
fn v6_people_by_account() -> String {
    "CREATE INDEX people_account_name ON people(account_id, name_key);".to_string()
}

/// Version 7: an account's key people walked by last contact with everything the red-flag
/// groups filter on in the index (influence, stage, archived, own cadence), so a rare group
/// (cooling, own cadence) no longer reads a table row per key person: the biggest generated L
/// account (5,000 key people) took ~30 ms of row lookups per `flags::for_account`, for every
/// meeting's prep line. It replaces `people_account_key_contact` (same leading columns).
fn v7_key_people_walk() -> String {
    "
DROP INDEX people_account_key_contact;
CREATE INDEX people_account_key_walk
    ON people(account_id, last_contact, influence, stage, archived_at, cadence_days)
    WHERE influence >= 4;
CREATE INDEX people_account_own_cadence ON people(account_id, last_contact)
    WHERE cadence_days IS NOT NULL AND influence >= 4;
"
    .to_string()
}

/// Version 8: which TUI window a capture draft belongs to (`pid:n`; NULL: no live window, to
/// be offered on the next start), so two open windows never share one.
fn v8_draft_owners() -> String {
    "
ALTER TABLE drafts ADD COLUMN owner TEXT;
"
    .to_string()
}

/// Version 10 (issue 11.7): a timed follow-up is an instant (`due_at`, Unix seconds) plus the
/// offset it was entered in, as meetings are; `due_date` stays its day in that offset (the
/// index range the queries widen), a date-only follow-up keeps `due_at` NULL. Existing timed
/// follow-ups get their instant from their wall-clock time and offset. The open-due index holds
/// the instant, so the local-day tests read no table row.
fn v10_followup_instants() -> String {
    "
ALTER TABLE followups ADD COLUMN due_at INTEGER;
UPDATE followups SET due_at = unixepoch(due_date || ' ' || due_time) - due_offset
    WHERE due_time IS NOT NULL AND due_offset IS NOT NULL;
DROP INDEX followups_open_due;
CREATE INDEX followups_open_due ON followups(due_date, due_at) WHERE status = 'open';
"
    .to_string()
}

/// Version 9: `fold` spells ß, ł, ı, ø, æ, œ, đ, ð, þ, ħ, ŀ... as their base letters ("Weißach"
/// is found as "weissach"), so the stored name keys of accounts and people are folded again.
/// The search index holds the text, not keys: it stays as it is.
fn v9_fold_apart() -> String {
    "
UPDATE accounts SET name_key = kam_fold(name) WHERE name_key IS NOT kam_fold(name);
UPDATE people SET name_key = kam_fold(name) WHERE name_key IS NOT kam_fold(name);
"
    .to_string()
}

/// Version 11 (issue 11.12): amounts are decimals of at most 4 places (`check_amount`); an
/// amount stored before with more (a plan's `spent` summed in floating point as
/// 0.30000000000000004, a CSV's 12.3456789) is rounded to 4 places, half away from zero, so
/// the record's next edit is not refused for a value its owner never typed.
fn v11_exact_amounts() -> String {
    "
UPDATE accounts SET revenue = round(revenue, 4) WHERE revenue != round(revenue, 4);
UPDATE accounts SET our_sales = round(our_sales, 4) WHERE our_sales != round(our_sales, 4);
UPDATE deals SET value = round(value, 4) WHERE value != round(value, 4);
UPDATE obligations SET amount = round(amount, 4) WHERE amount != round(amount, 4);
UPDATE plans SET budget = round(budget, 4) WHERE budget != round(budget, 4);
UPDATE plans SET spent = round(spent, 4) WHERE spent != round(spent, 4);
UPDATE plan_spends SET amount = round(amount, 4) WHERE amount != round(amount, 4);
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v8_gives_drafts_an_owner_and_keeps_the_old_ones_unowned() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 7).unwrap();
        conn.execute(
            "INSERT INTO drafts (kind, text, created_at, updated_at)
             VALUES ('note', 'left before v8', '2026-03-02T10:00:00+01:00',
                     '2026-03-02T10:00:00+01:00')",
            [],
        )
        .unwrap();
        migrate_to(&conn, 7, 8).unwrap();
        let (text, owner): (String, Option<String>) = conn
            .query_row("SELECT text, owner FROM drafts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((text.as_str(), owner), ("left before v8", None));
    }

    #[test]
    fn v1_applies_to_an_empty_database() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, 0).unwrap();
        let version: i32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
    }

    #[test]
    fn checks_reject_values_off_the_ladder() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, 0).unwrap();
        let insert = |stage: &str| {
            conn.execute(
                "INSERT INTO people(uid, created_at, updated_at, name, name_key, stage)
                 VALUES (?1, '', '', 'x', 'x', ?2)",
                (format!("u-{stage}"), stage),
            )
        };
        assert!(insert("loyal").is_ok());
        assert!(insert("friendly").is_err());
    }
}

#[cfg(test)]
mod upgrade_tests {
    use super::super::testing::{account, add_account, add_person, followup, now, person};
    use super::super::{Store, open};
    use super::*;
    use crate::domain::{Draft, DraftKind};

    /// A notebook file as version 1 wrote it, with an account, a person and a follow-up.
    fn v1_notebook(path: &std::path::Path) -> (i64, i64, i64) {
        let conn = Connection::open(path).unwrap();
        open::configure(&conn).unwrap();
        let tx =
            rusqlite::Transaction::new_unchecked(&conn, rusqlite::TransactionBehavior::Immediate)
                .unwrap();
        migrate_to(&tx, 0, 1).unwrap();
        tx.commit().unwrap();
        let mut store = Store { conn, path: None };
        let a = add_account(&mut store, &account("acc-1", "Hospital Clínic"));
        let p = add_person(&mut store, &person("p-1", "Dr. Nuño Peña", Some(a)));
        // Written as version 1 did (today's writer fills columns added since).
        let f = followup("f-1", "Send prices", "2026-03-05");
        store
            .conn
            .execute(
                "INSERT INTO followups(uid, created_at, updated_at, text, due_date, status,
                    version) VALUES (?1, ?2, ?2, ?3, '2026-03-05', 'open', 1)",
                (&f.uid, crate::store::codec::ts_text(&now()), &f.text),
            )
            .unwrap();
        (a, p, store.conn.last_insert_rowid())
    }

    fn version(conn: &Connection) -> i32 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_v1_notebook_is_backed_up_then_migrated_with_its_data_intact() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let (a, p, f) = v1_notebook(&path);
        let raw = Connection::open(&path).unwrap();
        assert_eq!(version(&raw), 1);
        let has_drafts: i64 = raw
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'drafts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(has_drafts, 0);
        drop(raw);

        let mut store = Store::open(&path).unwrap();
        assert_eq!(version(&store.conn), CURRENT_VERSION);
        let r = store.reader();
        assert_eq!(r.account(a).unwrap().unwrap().0.name, "Hospital Clínic");
        assert_eq!(r.person(p).unwrap().unwrap().0.account, Some(a));
        assert_eq!(r.followup(f).unwrap().unwrap().0.text, "Send prices");
        assert!(store.check().unwrap().is_empty());
        let id = store
            .write(now(), |w| w.save_draft(&Draft::new(DraftKind::Note)))
            .unwrap();
        assert_eq!(store.reader().drafts().unwrap()[0].id, id);

        // The copy taken before migrating: a healthy version-1 file with the same data.
        let backup = tmp
            .path()
            .join(format!("kam.db.before-v{CURRENT_VERSION}.bak"));
        let copy = Connection::open_with_flags(&backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
        assert_eq!(version(&copy), 1);
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let name: String = copy
            .query_row("SELECT name FROM people WHERE id = ?1", [p], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Dr. Nuño Peña");
        drop(store);

        // Opening again migrates nothing and takes no second backup.
        let before = std::fs::read_dir(tmp.path()).unwrap().count();
        Store::open(&path).unwrap();
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), before);
    }

    /// v4_plans: a notebook from before keeps its plans and follow-ups; the follow-ups are
    /// nobody's steps yet, spend entries can be recorded and add up into `spent`.
    #[test]
    fn plans_gain_spend_entries_and_steps_on_upgrade() {
        use crate::domain::{PlanStatus, PlanSubject, Spend, SpendCategory};
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let (a, _, f) = v1_notebook(&path);
        {
            let conn = Connection::open(&path).unwrap();
            let tx = rusqlite::Transaction::new_unchecked(
                &conn,
                rusqlite::TransactionBehavior::Immediate,
            )
            .unwrap();
            migrate_to(&tx, 1, 2).unwrap();
            tx.execute(
                "INSERT INTO plans (uid, objective, account_id, budget, spent, currency, status,
                    created_at, updated_at) VALUES ('pl-1', 'Chair', ?1, 100, 40, 'EUR', 'active',
                    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [a],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(version(&store.conn), CURRENT_VERSION);
        let r = store.reader();
        let plan = r.plans_of(PlanSubject::Account(a)).unwrap().remove(0);
        assert_eq!(
            (plan.spent, plan.status),
            (Some(40.0), Some(PlanStatus::Active))
        );
        assert_eq!(r.followup_plan(f).unwrap(), None);
        assert!(r.plan_spends(plan.id).unwrap().is_empty());
        store
            .write(now(), |w| {
                w.set_followup_plan(f, Some(plan.id))?;
                w.add_spend(&Spend {
                    id: 0,
                    plan: plan.id,
                    day: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                    category: SpendCategory::Samples,
                    amount: 70.0,
                    note: None,
                })
            })
            .unwrap();
        let r = store.reader();
        let (after, version) = r.plan(plan.id).unwrap().unwrap();
        assert_eq!((after.spent, version), (Some(110.0), 2));
        assert_eq!(r.plan_steps(plan.id).unwrap().total, 1);
        // A spend on a plan that is gone writes nothing.
        let gone = store.write(now(), |w| {
            w.add_spend(&Spend {
                id: 0,
                plan: 999,
                day: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                category: SpendCategory::Other,
                amount: 1.0,
                note: None,
            })
        });
        assert!(gone.is_err());
        assert_eq!(store.reader().plan_spends(plan.id).unwrap().len(), 1);
        // Deleting the plan frees its steps and takes its spend entries with it.
        store
            .conn
            .execute("DELETE FROM plans WHERE id = ?1", [plan.id])
            .unwrap();
        assert_eq!(store.reader().followup_plan(f).unwrap(), None);
        assert!(store.check().unwrap().is_empty());
    }

    #[test]
    fn v3_cadence_reads_an_own_cadence_from_the_extension_data_of_existing_people() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 2).unwrap();
        for (uid, extra) in [
            ("p-1", r#"{"x-cadence_days":21}"#),
            ("p-2", r#"{"x-cadence_days":"21"}"#),
            ("p-3", r#"{"x-cadence_days":0}"#),
            ("p-4", "{}"),
        ] {
            conn.execute(
                "INSERT INTO people(uid, created_at, updated_at, name, name_key, extra)
                 VALUES (?1, '', '', 'x', 'x', ?2)",
                (uid, extra),
            )
            .unwrap();
        }
        migrate_to(&conn, 2, 3).unwrap();
        let seen: Vec<(String, Option<i64>)> = conn
            .prepare("SELECT uid, cadence_days FROM people ORDER BY uid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = [
            ("p-1", Some(21)),
            ("p-2", None),
            ("p-3", None),
            ("p-4", None),
        ]
        .map(|(u, c)| (u.to_string(), c));
        assert_eq!(seen, expected);
    }

    #[test]
    fn v9_fold_apart_folds_the_name_keys_of_existing_records_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kam.db");
        {
            let conn = Connection::open(&path).unwrap();
            migrate_to(&conn, 0, 7).unwrap();
            // Keys as the fold of version 7 wrote them (ß, ł and ı kept, ŀ a word break).
            for (table, uid, name, key) in [
                (
                    "accounts",
                    "a-1",
                    "Müller & Weiß Chemie AG",
                    "muller weiß chemie ag",
                ),
                ("accounts", "a-2", "Hospital Clínic", "hospital clinic"),
                ("people", "p-1", "Łukasz Yılmaz", "łukasz yılmaz"),
                ("people", "p-2", "Paŀla Søren", "pal la søren"),
            ] {
                conn.execute(
                    &format!(
                        "INSERT INTO {table}(uid, created_at, updated_at, name, name_key)
                         VALUES (?1, '', '', ?2, ?3)"
                    ),
                    (uid, name, key),
                )
                .unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(version(&store.conn), CURRENT_VERSION);
        let keys: Vec<String> = store
            .conn
            .prepare(
                "SELECT name_key FROM (SELECT uid, name_key FROM accounts
                 UNION ALL SELECT uid, name_key FROM people) ORDER BY uid",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            keys,
            [
                "muller weiss chemie ag",
                "hospital clinic",
                "lukasz yilmaz",
                "palla soren"
            ],
            "by uid: a-1, a-2, p-1, p-2"
        );
        // Name resolution by key now finds them as plain letters.
        let found = store
            .reader()
            .match_names(&[crate::store::TargetKind::Person], "lukasz yilmaz", 5)
            .unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].exact);
    }

    #[test]
    fn v10_gives_existing_timed_followups_their_instant() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 9).unwrap();
        for (uid, date, time, offset) in [
            ("f-1", "2026-11-27", Some("00:30:00"), Some(3600)),
            ("f-2", "2026-11-26", Some("18:30:00"), Some(-18_000)),
            ("f-3", "2026-11-27", None, None),
        ] {
            conn.execute(
                "INSERT INTO followups(uid, created_at, updated_at, text, due_date, due_time,
                    due_offset, status) VALUES (?1, '', '', 'x', ?2, ?3, ?4, 'open')",
                (uid, date, time, offset),
            )
            .unwrap();
        }
        migrate_to(&conn, 9, 10).unwrap();
        let seen: Vec<(String, Option<i64>)> = conn
            .prepare("SELECT uid, due_at FROM followups ORDER BY uid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // 00:30 in Madrid and 18:30 the day before in New York are the same instant.
        let instant = chrono::DateTime::parse_from_rfc3339("2026-11-26T23:30:00Z")
            .unwrap()
            .timestamp();
        let expected = [
            ("f-1", Some(instant)),
            ("f-2", Some(instant)),
            ("f-3", None),
        ]
        .map(|(u, t)| (u.to_string(), t));
        assert_eq!(seen, expected);
    }

    #[test]
    fn v11_rounds_stored_amounts_to_four_decimals() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts(uid, created_at, updated_at, name, name_key, revenue, our_sales)
                VALUES ('a-1', '', '', 'x', 'x', 12.3456789, 1500.5);
             INSERT INTO plans(uid, created_at, updated_at, objective, account_id, spent)
                VALUES ('pl-1', '', '', 'o', 1, 0.1 + 0.2);",
        )
        .unwrap();
        migrate_to(&conn, 10, 11).unwrap();
        let (revenue, sales, spent): (f64, f64, f64) = conn
            .query_row(
                "SELECT revenue, our_sales, spent FROM accounts, plans",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((revenue, sales, spent), (12.3457, 1500.5, 0.3));
        assert!(crate::domain::check_amount("spent", spent).is_ok());
    }

    #[test]
    fn every_step_in_turn_gives_the_same_schema_as_all_at_once() {
        let schema = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let at_once = Connection::open_in_memory().unwrap();
        migrate(&at_once, 0).unwrap();
        let stepwise = Connection::open_in_memory().unwrap();
        for v in 0..CURRENT_VERSION {
            migrate_to(&stepwise, v, v + 1).unwrap();
            assert_eq!(version(&stepwise), v + 1);
        }
        assert_eq!(schema(&at_once), schema(&stepwise));
    }

    #[test]
    fn v5_reports_indexes_serve_the_report_queries() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, name, name_key, created_at, updated_at)
               VALUES ('a', 'Acme', 'acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO interactions (uid, kind, at, at_offset, account_id, status, created_at,
               updated_at) VALUES ('i', 'visit', 100, 0, 1, 'done', '2026-01-01T00:00:00Z',
               '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        migrate_to(&conn, 4, 5).unwrap();
        let plan = |sql: &str| -> String {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let activity = plan(
            "SELECT account_id, kind FROM interactions
             WHERE at >= 0 AND at < 200 AND status = 'done'",
        );
        assert!(
            activity.contains("COVERING INDEX interactions_at_activity"),
            "{activity}"
        );
        let done = plan(
            "SELECT count(*) FROM followups WHERE status = 'done'
             AND unixepoch(done_at) >= 0 AND unixepoch(done_at) < 10",
        );
        assert!(done.contains("followups_done_at"), "{done}");
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM interactions WHERE at < 200",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }
}
