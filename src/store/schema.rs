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
pub const CURRENT_VERSION: i32 = 8;

/// The migration steps in order: `STEPS[n]` takes a database from version `n` to `n + 1`.
const STEPS: &[fn() -> String] = &[
    v1,
    v2,
    v3_cadence,
    v4_plans,
    v5_reports,
    v6_people_by_account,
    v7_key_people_walk,
    v8_journal,
];

/// Brings a database at `from` (0 = empty) up to [`CURRENT_VERSION`].
pub fn migrate(conn: &Connection, from: i32) -> rusqlite::Result<()> {
    migrate_to(conn, from, CURRENT_VERSION)
}

/// Runs the steps that take a database from version `from` to `to` (tests build old notebooks
/// with it), then stamps `to` into `user_version`.
pub fn migrate_to(conn: &Connection, from: i32, to: i32) -> rusqlite::Result<()> {
    let first = usize::try_from(from).unwrap_or(0);
    let last = usize::try_from(to).unwrap_or(0).min(STEPS.len());
    for step in STEPS.iter().take(last).skip(first) {
        conn.execute_batch(&step())?;
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", to)?;
    Ok(())
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
    let old = columns
        .iter()
        .map(|c| format!("old.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2');
         INSERT INTO {table}_fts({table}_fts, rank) VALUES ('secure-delete', 1);
         {}
         CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
           INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});
         END;
         {}",
        fts_insert_trigger(table, columns),
        fts_update_trigger(table, columns)
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

/// Version 8 (issue 12): the journal of commands. One entry per command run through `ops`, with
/// every record it changed: the table, the row (or, for `set`, the parent whose child rows were
/// replaced), the row's uid, and its image before and after as JSON of the columns (NULL: the
/// row did not exist). `undone_at` marks an entry reverted by `kam undo`: it stays, for history.
fn v8_journal() -> String {
    "
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
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let f = store
            .write(now(), |w| {
                w.upsert_followup(&followup("f-1", "Send prices", "2026-03-05"), None, None)
            })
            .unwrap();
        (a, p, f)
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
    fn v8_journal_upgrades_a_v7_notebook_keeping_its_records() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 7).unwrap();
        conn.execute(
            "INSERT INTO accounts (uid, name, name_key, created_at, updated_at)
             VALUES ('a', 'Acme', 'acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        migrate_to(&conn, 7, 8).unwrap();
        conn.execute(
            "INSERT INTO journal (at, command, summary) VALUES ('2026-01-01T00:00:00Z', 'x', 'y')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO journal_changes (entry_id, seq, shape, tbl, row_id, before, after)
             VALUES (1, 0, 'row', 'accounts', 1, NULL, '{}')",
            [],
        )
        .unwrap();
        let names: i64 = conn
            .query_row(
                "SELECT count(*) FROM accounts WHERE name = 'Acme'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(names, 1);
        assert!(
            conn.execute(
                "INSERT INTO journal_changes (entry_id, seq, shape, tbl, row_id)
                 VALUES (1, 1, 'column', 'accounts', 1)",
                [],
            )
            .is_err(),
            "an unknown shape is refused"
        );
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
