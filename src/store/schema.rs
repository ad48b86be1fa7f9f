//! The schema and its migrations, keyed by `PRAGMA user_version`, under kamnote's
//! `PRAGMA application_id`. Each step runs inside the caller's `BEGIN IMMEDIATE` transaction.
//!
//! Migrations are append-only and frozen: a released step is literal SQL in
//! `src/store/migrations/vN_<purpose>.sql`, read with `include_str!`, and is never edited, not
//! even its whitespace (the text of a `CREATE` is what `sqlite_master` keeps). Nothing in a step
//! is generated from today's code (enums, helpers): a new vocabulary value, a new full-text
//! column, a new trigger is a new step. The SQL lives in files rather than Rust strings so that
//! what is read is exactly what SQLite runs (no `{{}}`, no `\"`), a step can be read and diffed as
//! SQL, and a change to a released step shows as a diff of a file that must never change.
//!
//! To add a step N (the next version; see `v9_fold_apart.sql` for a recent one):
//! 1. write `src/store/migrations/vN_<purpose>.sql`: literal SQL, one batch, nothing generated
//!    (a CHECK spells its values out, `'a','b'`; a function it calls, like `kam_fold`, is
//!    registered in [`migrate_to`]);
//! 2. add `const VN_<PURPOSE>: &str = include_str!("migrations/vN_<purpose>.sql");` with a doc
//!    comment saying what and why, append it to [`STEPS`], set [`CURRENT_VERSION`] to N;
//! 3. add a small upgrade test in `upgrade_tests` (a version N-1 notebook with data, migrated
//!    to N, keeps it; `every_step_keeps_the_rows_it_finds` also runs the step on a row of every
//!    table), then `cargo test --lib store::schema`: `released_steps_are_frozen` prints the line
//!    to append to its `RELEASED`; if the schema changed, accept the new `sqlite_master`
//!    snapshot (`cargo insta review`); `check_lists_are_the_vocabularies` fails until a changed
//!    vocabulary has its step.
//!
//! The full-text triggers are also written at runtime (a bulk import sets them aside and puts
//! them back): [`fts_insert_trigger`] and friends must give the exact text the latest schema
//! holds, which `runtime_triggers_are_the_schemas` checks.

use rusqlite::Connection;

/// `PRAGMA application_id` of a kamnote notebook: "KAMN".
pub const APPLICATION_ID: i32 = 0x4b41_4d4e;

/// The schema version this build writes; files with a higher `user_version` are refused.
pub const CURRENT_VERSION: i32 = 25;

/// The migration steps in order: `STEPS[n]` takes a database from version `n` to `n + 1`.
/// Append only; see the module header.
const STEPS: &[&str] = &[
    V1,
    V2,
    V3_CADENCE,
    V4_PLANS,
    V5_REPORTS,
    V6_PEOPLE_BY_ACCOUNT,
    V7_KEY_PEOPLE_WALK,
    V8_DRAFT_OWNERS,
    V9_FOLD_APART,
    V10_FOLLOWUP_INSTANTS,
    V11_EXACT_AMOUNTS,
    V12_JOURNAL,
    V13_FLAG_WALKS,
    V14_ARCHIVED_DEALS_PLANS,
    V15_OBLIGATIONS_OWED,
    V16_TRAVEL_AND_REMINDERS,
    V17_SYNC_STATE,
    V18_TRANSFERS_AND_SALES,
    V19_CONTACT,
    V20_DEAL_PEOPLE_PRODUCTS,
    V21_SALUTATIONS,
    V22_KEY_PEOPLE_GROUPS,
    V23_SALES_UIDS,
    V24_OPEN_PROMISE_COUNTS,
    V25_COVERING_WALKS,
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
        conn.execute_batch(step)?;
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", to)?;
    Ok(())
}

/// Version 1: the records (accounts, people, links, interactions and their people, deals and
/// milestones, follow-ups, obligations, plans, stage changes), their indexes, and an
/// external-content FTS5 index per searched table kept in sync by triggers (the update trigger
/// only fires when an indexed column changes, so bookkeeping updates cost nothing there).
const V1: &str = include_str!("migrations/v1.sql");

/// Version 2: the TUI's capture drafts, and the indexes behind the accounts and people lists.
const V2: &str = include_str!("migrations/v2.sql");

/// Version 3 (relationship intelligence): a person's own cadence, read from their extension data
/// (`x-cadence_days`, a whole number of days 1–3650; anything else counts as none) into a virtual
/// column, and the indexes behind the agenda's who-to-contact walk and the red flags of an account.
const V3_CADENCE: &str = include_str!("migrations/v3_cadence.sql");

/// Plans (issue 4): the spend entries behind a plan's `spent` (category, amount, day), and the
/// follow-ups that are a plan's steps (`followups.plan_id`).
const V4_PLANS: &str = include_str!("migrations/v4_plans.sql");

/// The deals step (issue 5; renumbered at merge): the indexes behind the period report and the
/// Pareto ranking. A month of activity per account is a range scan of one covering index instead
/// of a table lookup per interaction; follow-ups done in a period are found by their done time.
const V5_REPORTS: &str = include_str!("migrations/v5_reports.sql");

/// Version 6: the people of one account in name order (its People tab, `kam person list --account`): a
/// window walks this index and stops at its limit, where `people_account` alone made the
/// biggest L account (18,745 people) sort them all for every window (17–75 ms, now 1 ms).
/// `people_account` stays for now: the new index covers its uses, dropping it is for the lead
/// to decide when steps are renumbered.
const V6_PEOPLE_BY_ACCOUNT: &str = include_str!("migrations/v6_people_by_account.sql");

/// Version 7: an account's key people walked by last contact with everything the red-flag
/// groups filter on in the index (influence, stage, archived, own cadence), so a rare group
/// (cooling, own cadence) no longer reads a table row per key person: the biggest generated L
/// account (5,000 key people) took ~30 ms of row lookups per `flags::for_account`, for every
/// meeting's prep line. It replaces `people_account_key_contact` (same leading columns).
const V7_KEY_PEOPLE_WALK: &str = include_str!("migrations/v7_key_people_walk.sql");

/// Version 8: which TUI window a capture draft belongs to (`pid:n`; NULL: no live window, to
/// be offered on the next start), so two open windows never share one.
const V8_DRAFT_OWNERS: &str = include_str!("migrations/v8_draft_owners.sql");

/// Version 9: `fold` spells ß, ł, ı, ø, æ, œ, đ, ð, þ, ħ, ŀ... as their base letters ("Weißach"
/// is found as "weissach"), so the stored name keys of accounts and people are folded again
/// with `kam_fold` (today's [`crate::text::fold`], registered by [`migrate_to`]).
/// The search index holds the text, not keys: it stays as it is.
const V9_FOLD_APART: &str = include_str!("migrations/v9_fold_apart.sql");

/// Version 10 (issue 11.7): a timed follow-up is an instant (`due_at`, Unix seconds) plus the
/// offset it was entered in, as meetings are; `due_date` stays its day in that offset (the
/// index range the queries widen), a date-only follow-up keeps `due_at` NULL. Existing timed
/// follow-ups get their instant from their wall-clock time and offset. The open-due index holds
/// the instant, so the local-day tests read no table row.
const V10_FOLLOWUP_INSTANTS: &str = include_str!("migrations/v10_followup_instants.sql");

/// Version 11 (issue 11.12): amounts are decimals of at most 4 places (`check_amount`); an
/// amount stored before with more (a plan's `spent` summed in floating point as
/// 0.30000000000000004, a CSV's 12.3456789) is rounded to 4 places, half away from zero, so
/// the record's next edit is not refused for a value its owner never typed.
const V11_EXACT_AMOUNTS: &str = include_str!("migrations/v11_exact_amounts.sql");

/// Version 12 (issue 12): the journal of commands. One entry per command run through `ops`, with
/// every record it changed: the table, the row (or, for `set`, the parent whose child rows were
/// replaced), the row's uid, and its image before and after as JSON of the columns (NULL: the
/// row did not exist). `undone_at` marks an entry reverted by `kam undo`: it stays, for history.
const V12_JOURNAL: &str = include_str!("migrations/v12_journal.sql");

/// Version 13 (issue 16): two walks of the red flags an agenda's prep lines judge per account.
/// `interactions_account_done`: the single-threading check reads an account's latest done
/// contacts; walking `interactions_account_at` it read each interaction's row to test its status
/// (and passed the planned ones), about 20 table pages per account, where this partial index
/// hands over the ids. `people_account_opponents`: an account's powerful opponents in the order
/// the flag lists them, so reading the first ten stops there (the biggest L account has 194,
/// each a table row, then sorted).
const V13_FLAG_WALKS: &str = include_str!("migrations/v13_flag_walks.sql");

/// Version 14 (issue 12): deals and plans are archived and restored like people and accounts:
/// `archived_at` (NULL: in use) takes an archived one out of the pipeline, the agenda, the
/// insights and the lists, keeping it and its history.
const V14_ARCHIVED_DEALS_PLANS: &str = include_str!("migrations/v14_archived_deals_plans.sql");

/// Version 15 (issue 16): the agenda lists the latest overdue contract obligations and counts
/// and sums all of them per party and currency. `obligations_pending_owed` covers that sum (the
/// pending obligations' due date, party, currency, amount and deal), and `deals_archived` sets
/// the archived deals aside as a short list: at L the sum read ~340 pages, one obligation row
/// and one deal row each; from these two indexes it reads 7.
const V15_OBLIGATIONS_OWED: &str = include_str!("migrations/v15_obligations_owed.sql");

/// Version 16 (issue 13.5): on time. `accounts.travel_minutes` is how long the KAM takes to get
/// to the account (the place its meetings are held; NULL: not known), which moves the "leave by"
/// time and the alarm earlier; `reminded` remembers which meeting starts and leave-by times
/// `kam remind` has already announced (by the meeting's uid and the moment, unix seconds), so a
/// timer that runs every minute announces each once, and a moved meeting again.
const V16_TRAVEL_AND_REMINDERS: &str = include_str!("migrations/v16_travel_and_reminders.sql");

/// Version 17 (issue 13): the state of the two-way sync with a CalDAV calendar and a CardDAV
/// address book — per collection its URL, sync-token and ctag; per item on the server its href,
/// ETag, UID, the record it is and the fields both sides last agreed on (with their hash) —
/// written in the same transaction as the change each item brings, so a killed sync resumes.
const V17_SYNC_STATE: &str = include_str!("migrations/v17_sync_state.sql");

/// Version 18 (issue 14): transfers of value to healthcare professionals, and monthly sales. A
/// plan spend says what kind of transfer it was (`transfer`, the EFPIA disclosure categories plus
/// meals, samples and gifts; NULL: not a transfer of value) and whom it benefited
/// (`plan_spend_people`, the amount shared evenly), so `kam tov YEAR` can list one line per
/// person per category. `account_sales`: an account's target and actual sales for a month, in
/// one currency (the KAM's targets are monthly, per account).
const V18_TRANSFERS_AND_SALES: &str = include_str!("migrations/v18_transfers_and_sales.sql");

/// Version 19 (issue 14.1, what counts as contact): the kinds `meal` and `message` (the
/// interactions' CHECK list widened in place, the scheduled index with meals); who took part
/// in an interaction and who was only mentioned (`interaction_people.part`, the people of the
/// notes written before marked mentioned); `last_contact` of people and accounts recomputed as
/// *last seen* and `last_touch` beside it (`crate::domain::contact`).
const V19_CONTACT: &str = include_str!("migrations/v19_contact.sql");

/// Version 20 (issue 14.3-4): the people of a deal with their per-deal role (`deal_people`); a
/// catalogue of products, ours and the competitors' (`products.competitor_of`); each account's
/// status of a product as a history, one row per change, the latest the current one
/// (`product_statuses`); the objections a person raised about a product; the products
/// discussed in an interaction (`interaction_products`).
const V20_DEAL_PEOPLE_PRODUCTS: &str = include_str!("migrations/v20_deal_people_products.sql");

/// Version 21 (issue 14.7): a person's salutation apart from the name ("Dra." of "Dra. Carmen
/// Peña" moved out of the existing names, by a word list frozen in the step), an explicit family
/// name, and `sort_key` (family name, then full name; `kam_sort_key`, registered by
/// [`migrate_to`]) with the indexes the people lists walk in that order.
const V21_SALUTATIONS: &str = include_str!("migrations/v21_salutations.sql");

/// Version 22 (issue 16; to be numbered 22 on merge): the red flags read an account's key
/// people in four cadence groups (influence 4 or 5, cooling or not), each longest silent first
/// and cut at 50. On `people_account_key_walk` (by account, then last contact) a rare group
/// (cooling) walked most of the account's key people to find its 50: at L, 16 M of the 55 M
/// instructions of `kam agenda`. `people_account_key_groups` puts the group before the last
/// contact, so each group is a range of at most 50 entries; it holds every column the walk
/// filters on and reads. `people_cooling`: the insights list the most influential cooling
/// people, which read and sorted every person (~22 ms of CPU at L).
const V22_KEY_PEOPLE_GROUPS: &str = include_str!("migrations/v22_key_people_groups.sql");

/// Version 23: a uid on each month of an account's sales (`account_sales.uid`), so the JSON
/// Lines export carries targets and actuals as `sales` records and a second import updates
/// them rather than adding twins; the months written before get a random one.
const V23_SALES_UIDS: &str = include_str!("migrations/v23_sales_uids.sql");

/// Version 24: how many open follow-ups each account carries (`account_open_followups`),
/// kept by triggers on `followups` (insert, delete, and an update of the status or the
/// account: every write, upsert, undo, merge and import goes through them). A meeting's prep
/// line says how many promises are open around the account; counting them walked every open
/// one of the account, 14,130 for the biggest at L (5.5 M of the 40 M instructions of
/// `kam agenda`). An account may keep a row at 0.
const V24_OPEN_PROMISE_COUNTS: &str = include_str!("migrations/v24_open_promise_counts.sql");

/// Version 25: three walks of `kam agenda` read what they need from their index alone, not
/// from a table row per entry. `followups_open_due` adds the offset and priority that order a
/// day's follow-ups (the overdue list and the day's follow-ups walk it); `followups_open_account`
/// adds the instant (`due_at`) that tells an account's overdue promises (the red flags and the
/// prep line count them); `people_account_key_groups` adds when a person was added, from which
/// an identified key person never seen is due. At L the agenda read 584 pages, ~200 of them a
/// row each for these.
const V25_COVERING_WALKS: &str = include_str!("migrations/v25_covering_walks.sql");

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

/// `kam_fold(text)`: [`crate::text::fold`] for the steps that recompute stored name keys (a key
/// must be the fold of today's build). NULL stays NULL. `kam_sort_key(name, family_name)`:
/// [`crate::domain::person_name::sort_key`], for the same reason.
fn register_fold(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "kam_sort_key",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let name: String = ctx.get::<Option<String>>(0)?.unwrap_or_default();
            let family: Option<String> = ctx.get(1)?;
            Ok(crate::domain::person_name::sort_key(
                &name,
                family.as_deref(),
            ))
        },
    )?;
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
mod frozen_tests {
    //! The steps stay as released, the latest schema stays as snapshotted, and what the code
    //! assumes of the schema (vocabularies, full-text columns and triggers, the scheduled kinds)
    //! is what the schema holds.

    use std::collections::BTreeSet;
    use std::fmt::Write as _;

    use super::super::Store;
    use super::super::testing::now;
    use super::*;
    use crate::domain::{
        AccountStage, Attitude, BuyingRole, DealKind, DealRole, DealStage, DraftKind,
        FollowUpStatus, InteractionKind, InteractionStatus, Ladder, LinkKind, ObligationKind,
        ObligationStatus, Participation, Party, PersonStage, PlanStatus, ProductStatus,
        SpendCategory, Tier, Transfer, Vocabulary,
    };

    /// Each released step: its file, its length in bytes and its FNV-1a 64 fingerprint.
    /// Append a line per new step (the failing test prints it); never edit one.
    const RELEASED: &[(&str, usize, u64)] = &[
        ("v1.sql", 16088, 0xb637_a9fe_623b_9b68),
        ("v2.sql", 1574, 0xbd06_8b9b_4109_36c7),
        ("v3_cadence.sql", 862, 0x83fb_0373_9043_2603),
        ("v4_plans.sql", 616, 0x23dd_294a_b70e_12cb),
        ("v5_reports.sql", 173, 0xc76e_46e5_a721_980a),
        ("v6_people_by_account.sql", 65, 0x37c6_13d6_c008_dc74),
        ("v7_key_people_walk.sql", 319, 0x8b7a_ae95_486d_1a6c),
        ("v8_draft_owners.sql", 43, 0x35ec_c354_1989_45f7),
        ("v9_fold_apart.sql", 167, 0xba39_7f32_7236_91d0),
        ("v10_followup_instants.sql", 308, 0x58fd_735c_7f4b_2009),
        ("v11_exact_amounts.sql", 566, 0x5dce_4e04_2b6c_cb46),
        ("v12_journal.sql", 642, 0xcd01_07ad_c737_71da),
        ("v13_flag_walks.sql", 250, 0x6aa3_1bf4_be39_46ef),
        ("v14_archived_deals_plans.sql", 94, 0xa41c_87ac_1b55_95a2),
        ("v15_obligations_owed.sql", 206, 0x9d2e_437f_f12e_6096),
        ("v16_travel_and_reminders.sql", 351, 0x1b75_7c68_5f09_2a51),
        ("v17_sync_state.sql", 1204, 0xccf9_c795_197a_2561),
        ("v18_transfers_and_sales.sql", 980, 0xf5ba_f85c_a649_cdb3),
        ("v19_contact.sql", 3171, 0x1e89_70bb_d419_fa3c),
        ("v20_deal_people_products.sql", 2883, 0x0539_4320_b08d_c33b),
        ("v21_salutations.sql", 3243, 0x7ff9_6ad3_1882_1cd1),
        ("v22_key_people_groups.sql", 415, 0x5d7e_ff05_69f5_ecab),
        ("v23_sales_uids.sql", 185, 0x2888_4e35_5e39_3964),
        ("v24_open_promise_counts.sql", 1362, 0x84f6_05ac_a218_7412),
        ("v25_covering_walks.sql", 640, 0x0535_3058_bf4e_6909),
    ];

    fn fnv1a(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// `sqlite_master` of `conn` (type, name, table, SQL), sorted by type and name.
    pub(super) fn master(conn: &Connection) -> Vec<(String, String, String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn latest() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, 0).unwrap();
        conn
    }

    fn sql_of(conn: &Connection, name: &str) -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn current_version_counts_the_steps() {
        assert_eq!(usize::try_from(CURRENT_VERSION).unwrap(), STEPS.len());
    }

    #[test]
    fn released_steps_are_frozen() {
        let mut missing = String::new();
        for (n, step) in STEPS.iter().enumerate() {
            let seen = (step.len(), fnv1a(step));
            match RELEASED.get(n) {
                Some(&(file, len, hash)) => assert_eq!(
                    seen,
                    (len, hash),
                    "released step v{} ({file}) was edited: a released step is never changed, \
                     put the change in a new step",
                    n + 1
                ),
                None => {
                    let _ = writeln!(
                        missing,
                        "    (\"v{}_<purpose>.sql\", {}, 0x{:016x}),",
                        n + 1,
                        seen.0,
                        seen.1
                    );
                }
            }
        }
        assert!(
            missing.is_empty(),
            "new steps: append to RELEASED (with their file names):\n{missing}"
        );
        assert_eq!(
            RELEASED.len(),
            STEPS.len(),
            "RELEASED lists a step STEPS lacks"
        );
    }

    /// Any change to the latest schema shows here: accept it (`cargo insta review`) only with
    /// the new step that made it.
    #[test]
    fn latest_schema_is_the_snapshot() {
        let mut text = String::new();
        for (kind, name, table, sql) in master(&latest()) {
            let _ = writeln!(
                text,
                "-- {kind} {name} ON {table}\n{};\n",
                sql.as_deref().unwrap_or("(no sql)")
            );
        }
        insta::assert_snapshot!(text);
    }

    /// The values of the `CHECK ({column} IN (...))` of `table` in the latest schema.
    fn check_list(conn: &Connection, table: &str, column: &str) -> BTreeSet<String> {
        let sql = sql_of(conn, table);
        let opening = format!("CHECK ({column} IN (");
        let mut found = sql.match_indices(&opening);
        let (at, _) = found
            .next()
            .unwrap_or_else(|| panic!("{table}.{column} has no CHECK list"));
        assert!(found.next().is_none(), "{table}.{column}: two CHECK lists");
        let rest = &sql[at + opening.len()..];
        let list = &rest[..rest.find("))").unwrap()];
        list.split(',')
            .map(|v| v.trim().trim_matches('\'').to_string())
            .collect()
    }

    fn values<V: Vocabulary>() -> BTreeSet<String> {
        V::ALL.iter().map(|v| v.as_str().to_string()).collect()
    }

    /// A vocabulary value added (or dropped) without a step that changes the CHECK fails here.
    #[test]
    fn check_lists_are_the_vocabularies() {
        let conn = latest();
        let columns: [(&str, &str, BTreeSet<String>); 22] = [
            ("accounts", "tier", values::<Tier>()),
            ("accounts", "stage", values::<AccountStage>()),
            ("people", "role", values::<BuyingRole>()),
            ("people", "attitude", values::<Attitude>()),
            ("people", "stage", values::<PersonStage>()),
            ("links", "kind", values::<LinkKind>()),
            ("interactions", "kind", values::<InteractionKind>()),
            ("interactions", "status", values::<InteractionStatus>()),
            ("deals", "kind", values::<DealKind>()),
            ("deals", "stage", values::<DealStage>()),
            ("followups", "status", values::<FollowUpStatus>()),
            ("obligations", "party", values::<Party>()),
            ("obligations", "kind", values::<ObligationKind>()),
            ("obligations", "status", values::<ObligationStatus>()),
            ("plans", "status", values::<PlanStatus>()),
            ("plan_spends", "transfer", values::<Transfer>()),
            ("interaction_people", "part", values::<Participation>()),
            ("deal_people", "role", values::<DealRole>()),
            ("product_statuses", "status", values::<ProductStatus>()),
            ("stage_changes", "ladder", values::<Ladder>()),
            ("drafts", "kind", values::<DraftKind>()),
            ("plan_spends", "category", values::<SpendCategory>()),
        ];
        for (table, column, vocabulary) in columns {
            assert_eq!(
                check_list(&conn, table, column),
                vocabulary,
                "{table}.{column}: the schema's CHECK list and the vocabulary differ \
                 (a new value needs a migration step)"
            );
        }
    }

    /// Reads of meetings filter on `InteractionKind::SCHEDULED` to walk the partial index.
    #[test]
    fn the_scheduled_index_lists_the_scheduled_kinds() {
        let sql = sql_of(&latest(), "interactions_scheduled_at");
        let list = &sql[sql.find("kind IN (").unwrap() + "kind IN (".len()..];
        let list: BTreeSet<&str> = list[..list.find(')').unwrap()]
            .split(',')
            .map(|v| v.trim().trim_matches('\''))
            .collect();
        let scheduled: BTreeSet<&str> = InteractionKind::SCHEDULED
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(list, scheduled);
    }

    /// A bulk import drops and recreates the full-text triggers with the runtime helpers: they
    /// must write what the latest schema holds, and the index must cover `SEARCHED`'s columns.
    #[test]
    fn runtime_triggers_are_the_schemas() {
        let conn = latest();
        for &(table, columns) in SEARCHED {
            for (name, runtime) in [
                ("insert", fts_insert_trigger(table, columns)),
                ("update", fts_update_trigger(table, columns)),
                ("delete", fts_delete_trigger(table, columns)),
            ] {
                let stored = sql_of(&conn, &format!("{table}_fts_{name}"));
                assert_eq!(
                    runtime.strip_suffix(';'),
                    Some(stored.as_str()),
                    "{table} {name}"
                );
            }
            let index = sql_of(&conn, &format!("{table}_fts"));
            let head = format!(
                "CREATE VIRTUAL TABLE {table}_fts USING fts5({}, content='{table}',",
                columns.join(", ")
            );
            assert!(index.starts_with(&head), "{index}");
        }
        let indexed: BTreeSet<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let searched: BTreeSet<String> = SEARCHED.iter().map(|(t, _)| format!("{t}_fts")).collect();
        assert_eq!(indexed, searched);
    }

    /// Setting the search index aside for a bulk import and catching it up leaves the schema
    /// exactly as migrated.
    #[test]
    fn a_bulk_import_puts_the_schema_back_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(&tmp.path().join("kam.db")).unwrap();
        let before = master(&store.conn);
        store
            .write(now(), |w| {
                let backlog = w.defer_search_index()?;
                w.catch_up_search_index(backlog)
            })
            .unwrap();
        assert_eq!(master(&store.conn), before);
    }
}

#[cfg(test)]
mod upgrade_tests {
    use super::super::testing::{followup, now};
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
        let store = Store {
            conn,
            path: None,
            key: None,
        };
        // Written as version 1 did (today's writer fills `travel_minutes`, added in v16).
        let name = "Hospital Clínic";
        store
            .conn
            .execute(
                "INSERT INTO accounts(uid, created_at, updated_at, name, name_key)
                 VALUES ('acc-1', ?1, ?1, ?2, ?3)",
                (
                    crate::store::codec::ts_text(&now()),
                    name,
                    crate::text::fold(name),
                ),
            )
            .unwrap();
        let a = store.conn.last_insert_rowid();
        // Written as version 1 did (today's writer fills `salutation`, added in v21).
        store
            .conn
            .execute(
                "INSERT INTO people(uid, created_at, updated_at, name, name_key, account_id)
                 VALUES ('p-1', ?1, ?1, 'Dr. Nuño Peña', 'dr nuno pena', ?2)",
                (crate::store::codec::ts_text(&now()), a),
            )
            .unwrap();
        let p = store.conn.last_insert_rowid();
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
    fn v21_moves_a_leading_salutation_out_of_the_names_as_the_domain_does() {
        use crate::domain::person_name::{sort_key, split_salutation};
        let conn = Connection::open_in_memory().unwrap();
        register_fold(&conn).unwrap();
        migrate_to(&conn, 0, 20).unwrap();
        let names = [
            "Dr. House",
            "Dra Peña",
            "Drago Petrović",
            "Dr.House",
            "Dr.",
            "Dr. ",
            "Prof. Dr. Müller",
            "Sr. Prof. Dr. Dr. Müller",
            "MRS Smith",
            "Doña  Elvira",
            "DOÑA Urraca",
            "Don Johnson",
            "M. Dubois",
            "Carmen Peña Olmedo",
            "dott.ssa Rossi",
            "Mr",
            "Srta. Ana de la Fuente",
            "dr hab. Piotr Łukasiewicz",
        ];
        for (i, name) in names.iter().enumerate() {
            conn.execute(
                "INSERT INTO people(uid, created_at, updated_at, name, name_key)
                 VALUES (?1, '', '', ?2, kam_fold(?2))",
                (format!("p-{i}"), name),
            )
            .unwrap();
        }
        migrate_to(&conn, 20, 21).unwrap();
        let mut read = conn
            .prepare("SELECT salutation, name, name_key, sort_key FROM people WHERE uid = ?1")
            .unwrap();
        for (i, before) in names.iter().enumerate() {
            let got: (Option<String>, String, String, String) = read
                .query_row([format!("p-{i}")], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .unwrap();
            let (salutation, name) = split_salutation(before);
            let want = (
                salutation,
                name.clone(),
                crate::text::fold(&name),
                sort_key(&name, None),
            );
            assert_eq!(got, want, "{before:?}");
        }
        let pairs: Vec<(Option<String>, String)> = conn
            .prepare("SELECT salutation, name FROM people ORDER BY id LIMIT 3")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            pairs,
            [
                (Some("Dr.".to_string()), "House".to_string()),
                (Some("Dra".to_string()), "Peña".to_string()),
                (None, "Drago Petrović".to_string()),
            ]
        );
        // The search index follows the names; the lists walk the family-name order.
        conn.execute(
            "INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
        let first: String = conn
            .query_row(
                "SELECT name FROM people INDEXED BY people_sort ORDER BY sort_key LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(first, "Dr.");
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
        let person = r.person(p).unwrap().unwrap().0;
        assert_eq!(person.account, Some(a));
        // v21 took the salutation out of the name.
        assert_eq!(
            (person.salutation.as_deref(), person.name.as_str()),
            (Some("Dr."), "Nuño Peña")
        );
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
                    transfer: None,
                    benefited: Vec::new(),
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
                transfer: None,
                benefited: Vec::new(),
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

    /// Rows of every table, as the step before wrote them: one of each record, each searched
    /// one holding the word "zebra", and the tables of later steps seeded when they appear.
    const SEEDS: &[(i32, &str)] = &[
        (
            1,
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key, tier, stage, about)
               VALUES ('a', 't', 't', 'Acme', 'acme', 'A', 'mid-kam', 'zebra crossing');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id, role,
               influence, attitude, stage, personal, extra)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1, 'coach', 5, 'champion', 'loyal',
                       'likes zebra', '{\"x-cadence_days\":30}'),
                      ('q', 't', 't', 'Bo', 'bo', 1, 'blocker', 4, 'opponent', 'cooling', NULL, '{}');
             INSERT INTO links (uid, created_at, updated_at, from_person, to_person, kind)
               VALUES ('l', 't', 't', 1, 2, 'rival');
             INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset, account_id,
               title, status) VALUES ('i', 't', 't', 'visit', 100, 3600, 1, 'zebra talk', 'done');
             INSERT INTO interaction_people (interaction_id, person_id, position) VALUES (1, 1, 0);
             INSERT INTO deals (uid, created_at, updated_at, account_id, title, kind, stage, value,
               currency, notes) VALUES ('d', 't', 't', 1, 'Tender', 'tender', 'proposal', 1000.5,
               'EUR', 'zebra lot');
             INSERT INTO deal_milestones (deal_id, position, name, date)
               VALUES (1, 0, 'opening', '2026-04-01');
             INSERT INTO followups (uid, created_at, updated_at, text, due_date, account_id,
               person_id, deal_id, status) VALUES ('f', 't', 't', 'call zebra', '2026-03-05', 1, 1,
               1, 'open');
             INSERT INTO obligations (uid, created_at, updated_at, deal_id, text, due, party, kind,
               amount, status) VALUES ('o', 't', 't', 1, 'invoice', '2026-05-01', 'client',
               'payment', 99.5, 'open');
             INSERT INTO plans (uid, created_at, updated_at, objective, account_id, budget, status)
               VALUES ('pl', 't', 't', 'zebra chair', 1, 500, 'active');
             INSERT INTO stage_changes (uid, created_at, updated_at, ladder, account_id,
               from_stage, to_stage, at, at_offset) VALUES ('s', 't', 't', 'account', 1,
               'early-kam', 'mid-kam', 50, 0);",
        ),
        (
            2,
            "INSERT INTO drafts (kind, target_kind, target_id, text, created_at, updated_at)
               VALUES ('note', 'account', 1, 'half a thought', 't', 't');",
        ),
        (
            4,
            "INSERT INTO plan_spends (plan_id, day, category, amount, created_at)
               VALUES (1, '2026-03-01', 'samples', 70, 't');
             UPDATE followups SET plan_id = 1;",
        ),
        (
            12,
            "INSERT INTO journal (at, command, summary) VALUES ('t', 'account edit', 'Edited #a1');
             INSERT INTO journal_changes (entry_id, seq, shape, tbl, row_id, uid, before, after)
               VALUES (1, 0, 'row', 'accounts', 1, 'a', '{}', '{}');",
        ),
        (
            20,
            "INSERT INTO deal_people (uid, created_at, updated_at, deal_id, person_id, role)
               VALUES ('dp', 't', 't', 1, 1, 'decision-maker');
             INSERT INTO products (uid, created_at, updated_at, name, name_key)
               VALUES ('pr', 't', 't', 'Ours', 'ours');
             INSERT INTO products (uid, created_at, updated_at, name, name_key, competitor_of)
               VALUES ('pc', 't', 't', 'Theirs', 'theirs', 1);
             INSERT INTO product_statuses (uid, created_at, updated_at, account_id, product_id,
               status, day) VALUES ('ps', 't', 't', 1, 1, 'listed', '2026-03-01');
             INSERT INTO objections (uid, created_at, updated_at, person_id, product_id, day, text)
               VALUES ('ob', 't', 't', 2, 1, '2026-03-02', 'too dear');
             INSERT INTO interaction_products (interaction_id, product_id) VALUES (1, 1);",
        ),
    ];

    /// Every row of every record table (not the search index's own), each column as SQLite
    /// gives it, keyed by table and column names.
    fn rows(conn: &Connection) -> Vec<(String, Vec<String>, Vec<Vec<rusqlite::types::Value>>)> {
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB '*_fts*'
                 AND name NOT GLOB 'sqlite_*' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables
            .into_iter()
            .map(|table| {
                let columns: Vec<String> = conn
                    .prepare(&format!(
                        "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
                    ))
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let rows = select(conn, &table, &columns);
                (table, columns, rows)
            })
            .collect()
    }

    fn select(
        conn: &Connection,
        table: &str,
        columns: &[String],
    ) -> Vec<Vec<rusqlite::types::Value>> {
        let list = columns.join(", ");
        let mut stmt = conn
            .prepare(&format!("SELECT {list} FROM {table} ORDER BY {list}"))
            .unwrap();
        stmt.query_map([], |r| {
            (0..columns.len())
                .map(|i| r.get(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// Each step, run on a notebook holding a row of every table, keeps every row and every
    /// column value it found, and the search index still finds every searched record. (A step
    /// meant to rewrite values leaves these seeds as they are, like v9 with keys already
    /// folded; its rewrite is checked by its own test.)
    #[test]
    fn every_step_keeps_the_rows_it_finds() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        for to in 1..=CURRENT_VERSION {
            let before = rows(&conn);
            migrate_to(&conn, to - 1, to).unwrap();
            for (table, columns, old) in &before {
                assert_eq!(
                    &select(&conn, table, columns),
                    old,
                    "v{to} changed the rows of {table}"
                );
            }
            for (_, sql) in SEEDS.iter().filter(|(at, _)| *at == to) {
                conn.execute_batch(sql).unwrap();
            }
            for &(table, _) in SEARCHED {
                conn.execute(
                    &format!(
                        "INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)"
                    ),
                    [],
                )
                .unwrap_or_else(|e| panic!("v{to} {table}: {e}"));
                let found: i64 = conn
                    .query_row(
                        &format!(
                            "SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH 'zebra'"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(found, 1, "v{to}: zebra in {table}");
            }
            let fk: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(fk, 0, "v{to}");
        }
        let kept = rows(&conn);
        let count = |t: &str| {
            kept.iter()
                .find(|(n, _, _)| n == t)
                .map(|(_, _, r)| r.len())
        };
        assert_eq!(
            (count("people"), count("drafts"), count("plan_spends")),
            (Some(2), Some(1), Some(1))
        );
    }

    /// The query plan of `sql` on `conn`, its steps joined.
    fn plan_of(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// v2: a version-1 notebook gains the drafts table (empty, usable) and keeps its people,
    /// whose list by last contact now walks an index.
    #[test]
    fn v2_adds_drafts_to_a_v1_notebook() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO people (uid, created_at, updated_at, name, name_key, last_contact)
               VALUES ('p', 't', 't', 'Ana', 'ana', 10);",
        )
        .unwrap();
        migrate_to(&conn, 1, 2).unwrap();
        let drafts: i64 = conn
            .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(drafts, 0);
        conn.execute(
            "INSERT INTO drafts (kind, text, created_at, updated_at) VALUES ('meeting', 'x', 't', 't')",
            [],
        )
        .unwrap();
        let name: String = conn
            .query_row("SELECT name FROM people WHERE last_contact = 10", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(name, "Ana");
        let walk = plan_of(
            &conn,
            "SELECT id FROM people ORDER BY last_contact, name_key LIMIT 10",
        );
        assert!(walk.contains("people_contact_name"), "{walk}");
    }

    /// v6: an account's people keep their rows and are walked in name order by the new index.
    #[test]
    fn v6_walks_an_accounts_people_by_name() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id)
               VALUES ('p', 't', 't', 'Bo', 'bo', 1), ('q', 't', 't', 'Ana', 'ana', 1);",
        )
        .unwrap();
        migrate_to(&conn, 5, 6).unwrap();
        let sql = "SELECT name FROM people WHERE account_id = 1 ORDER BY name_key LIMIT 50";
        let names: Vec<String> = conn
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(names, ["Ana", "Bo"]);
        let walk = plan_of(&conn, sql);
        assert!(
            walk.contains("people_account_name") && !walk.contains("TEMP B-TREE"),
            "{walk}"
        );
    }

    /// v7: `people_account_key_contact` gives way to `people_account_key_walk`; key people keep
    /// their rows and their own cadence, and an account's key people are walked by last contact
    /// on the new index.
    #[test]
    fn v7_replaces_the_key_people_index_and_keeps_the_people() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
               influence, stage, last_contact, extra)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1, 5, 'cooling', 20, '{\"x-cadence_days\":14}'),
                      ('q', 't', 't', 'Bo', 'bo', 1, 4, 'loyal', 10, '{}');",
        )
        .unwrap();
        migrate_to(&conn, 6, 7).unwrap();
        let index = |name: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(
            (
                index("people_account_key_contact"),
                index("people_account_key_walk"),
                index("people_account_own_cadence")
            ),
            (0, 1, 1)
        );
        let sql = "SELECT id, stage, cadence_days FROM people
                   WHERE account_id = 1 AND influence >= 4 AND archived_at IS NULL
                   ORDER BY last_contact";
        let seen: Vec<(i64, String, Option<i64>)> = conn
            .prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            seen,
            [
                (2, "loyal".to_string(), None),
                (1, "cooling".to_string(), Some(14))
            ]
        );
        let walk = plan_of(&conn, sql);
        assert!(walk.contains("INDEX people_account_key_walk"), "{walk}");
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
    fn v13_indexes_the_flag_walks_and_keeps_the_rows() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
               influence, attitude)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1, 5, 'opponent'),
                      ('q', 't', 't', 'Bo', 'bo', 1, 4, 'opponent');
             INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset, status, account_id)
               VALUES ('i', 't', 't', 'meeting', 10, 0, 'done', 1),
                      ('j', 't', 't', 'meeting', 20, 0, 'planned', 1);",
        )
        .unwrap();
        migrate_to(&conn, 12, 13).unwrap();
        let ids = |sql: &str| -> Vec<i64> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            ids(
                "SELECT id FROM interactions INDEXED BY interactions_account_done
                 WHERE account_id = 1 AND status = 'done' ORDER BY at DESC"
            ),
            [1]
        );
        assert_eq!(
            ids("SELECT id FROM people INDEXED BY people_account_opponents
                 WHERE account_id = 1 AND attitude = 'opponent' AND influence >= 4
                   AND archived_at IS NULL ORDER BY influence DESC, id"),
            [1, 2]
        );
    }

    #[test]
    fn v14_adds_archived_at_to_deals_and_plans_keeping_them_in_use() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO deals (uid, created_at, updated_at, account_id, title)
               VALUES ('d', 't', 't', 1, 'Tender 2027');
             INSERT INTO plans (uid, created_at, updated_at, objective, account_id)
               VALUES ('p', 't', 't', 'Advisory board', 1);",
        )
        .unwrap();
        migrate_to(&conn, 13, 14).unwrap();
        let row: (String, Option<String>, String, Option<String>) = conn
            .query_row(
                "SELECT d.title, d.archived_at, p.objective, p.archived_at FROM deals d, plans p",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            ("Tender 2027".into(), None, "Advisory board".into(), None)
        );
    }

    #[test]
    fn v15_sums_a_v14_notebooks_pending_obligations_from_its_indexes() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 14).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO deals (uid, created_at, updated_at, account_id, title)
               VALUES ('d1', 't', 't', 1, 'Supply 2026'), ('d2', 't', 't', 1, 'Old');
             UPDATE deals SET archived_at = 't' WHERE uid = 'd2';
             INSERT INTO obligations (uid, created_at, updated_at, deal_id, text, due, party,
                 kind, amount, currency, status)
               VALUES ('o1', 't', 't', 1, 'Q1', '2026-01-31', 'client', 'payment', 100.5, 'EUR', NULL),
                      ('o2', 't', 't', 1, 'Q2', '2026-04-30', 'client', 'payment', 200, 'EUR', 'late'),
                      ('o3', 't', 't', 1, 'Q3', '2026-07-31', 'client', 'payment', 300, 'EUR', 'done'),
                      ('o4', 't', 't', 2, 'Q1', '2026-01-31', 'client', 'payment', 400, 'EUR', NULL),
                      ('o5', 't', 't', 1, 'Kit', '2026-02-01', 'us', 'delivery', NULL, NULL, NULL);",
        )
        .unwrap();
        migrate_to(&conn, 14, 15).unwrap();
        let sum = "SELECT o.party, count(*), sum(o.amount)
                   FROM obligations o INDEXED BY obligations_pending_owed
                   WHERE (o.status IS NULL OR o.status != 'done') AND o.due < '2026-12-01'
                     AND o.deal_id NOT IN (SELECT id FROM deals WHERE archived_at IS NOT NULL)
                   GROUP BY o.party ORDER BY o.party";
        let mut stmt = conn.prepare(sum).unwrap();
        let rows: Vec<(String, i64, Option<f64>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [("client".into(), 2, Some(300.5)), ("us".into(), 1, None)]
        );
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sum}"))
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|p| p.contains("obligations_pending_owed")),
            "{plan:?}"
        );
        assert!(
            plan.iter().any(|p| p.contains("deals_archived")),
            "{plan:?}"
        );
    }

    #[test]
    fn v16_adds_travel_minutes_and_the_reminded_table_keeping_accounts() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 15).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');",
        )
        .unwrap();
        migrate_to(&conn, 15, 16).unwrap();
        let row: (String, Option<i64>) = conn
            .query_row("SELECT name, travel_minutes FROM accounts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(row, ("Acme".into(), None));
        conn.execute("UPDATE accounts SET travel_minutes = 25", [])
            .unwrap();
        assert!(
            conn.execute("UPDATE accounts SET travel_minutes = -5", [])
                .is_err(),
            "a negative travel time is refused"
        );
        conn.execute(
            "INSERT INTO reminded (interaction_uid, due, what, sent_at) VALUES ('i', 1, 'start', 0)",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO reminded (interaction_uid, due, what, sent_at) VALUES ('i', 1, 'start', 5)",
                [],
            )
            .is_err(),
            "a reminder is remembered once"
        );
    }

    #[test]
    fn v17_adds_the_sync_state_keeping_the_records() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 16).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');",
        )
        .unwrap();
        migrate_to(&conn, 16, 17).unwrap();
        conn.execute_batch(
            "INSERT INTO sync_collections (name, url) VALUES ('calendar', 'http://x/c/');
             INSERT INTO sync_items (collection, href, uid, kind, record_id, etag, base, hash)
               VALUES ('calendar', '/c/a.ics', 'a@kamnote', 'meeting', 1, '\"1\"', '{}', 'h');",
        )
        .unwrap();
        let (name, items): (String, i64) = conn
            .query_row(
                "SELECT (SELECT name FROM accounts), (SELECT count(*) FROM sync_items)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((name.as_str(), items), ("Acme", 1));
        // One row per record: the same meeting cannot sit at two hrefs.
        assert!(
            conn.execute(
                "INSERT INTO sync_items (collection, href, uid, kind, record_id, base, hash)
                 VALUES ('calendar', '/c/b.ics', 'b', 'meeting', 1, '{}', 'h')",
                [],
            )
            .is_err()
        );
    }

    #[test]
    fn v18_keeps_spends_links_benefited_people_and_holds_monthly_sales() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 17).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1);
             INSERT INTO plans (uid, created_at, updated_at, objective, account_id)
               VALUES ('l', 't', 't', 'Advisory board', 1);
             INSERT INTO plan_spends (plan_id, day, category, amount, created_at)
               VALUES (1, '2026-11-02', 'hospitality', 120, 't');",
        )
        .unwrap();
        migrate_to(&conn, 17, 18).unwrap();
        let kept: (f64, Option<String>) = conn
            .query_row("SELECT amount, transfer FROM plan_spends", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(kept, (120.0, None));
        conn.execute_batch(
            "UPDATE plan_spends SET transfer = 'meal';
             INSERT INTO plan_spend_people (spend_id, person_id) VALUES (1, 1);",
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE plan_spends SET transfer = 'bribe'", [])
                .is_err()
        );
        conn.execute("DELETE FROM plan_spends", []).unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM plan_spend_people", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "a spend's people go with it");
        conn.execute_batch(
            "INSERT INTO account_sales (account_id, month, currency, target, created_at, updated_at)
               VALUES (1, '2026-11', 'EUR', 1000, 't', 't');",
        )
        .unwrap();
        // One row per account, month and currency; a month is YYYY-MM.
        assert!(
            conn.execute(
                "INSERT INTO account_sales (account_id, month, currency, created_at, updated_at)
                 VALUES (1, '2026-11', 'EUR', 't', 't')",
                []
            )
            .is_err()
        );
        assert!(
            conn.execute(
                "INSERT INTO account_sales (account_id, month, currency, created_at, updated_at)
                 VALUES (1, 'nov', 'EUR', 't', 't')",
                []
            )
            .is_err()
        );
    }

    /// v19: the people of the notes written before were only mentioned, those of meetings took
    /// part; last contact becomes last seen (a note or an e-mail no longer counts) and last
    /// touch is the latest seen or e-mail; meals and messages can be stored, planned meals sit
    /// in the scheduled index, and a connection opened before the step sees the new kinds.
    #[test]
    #[allow(clippy::too_many_lines)] // one upgrade told top to bottom: before, the step, after
    fn v19_splits_participants_from_mentions_and_recomputes_last_seen() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let conn = Connection::open(&path).unwrap();
        migrate_to(&conn, 0, 18).unwrap();
        // As v18 kept them: every done interaction moved last_contact (Bo's 300 is his note,
        // Cy's 400 her e-mail, the account's 400 too).
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key, last_contact)
               VALUES ('a', 't', 't', 'Acme', 'acme', 400),
                      ('b', 't', 't', 'Quiet', 'quiet', 300);
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
               last_contact)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1, 300), ('q', 't', 't', 'Bo', 'bo', 1, 300),
                      ('r', 't', 't', 'Cy', 'cy', 1, 400), ('s', 't', 't', 'Di', 'di', 1, NULL);
             INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset,
               account_id, status) VALUES
               ('i1', 't', 't', 'visit', 100, 0, 1, 'done'),
               ('i2', 't', 't', 'note', 300, 0, 1, 'done'),
               ('i3', 't', 't', 'email', 400, 0, 1, 'done'),
               ('i4', 't', 't', 'meeting', 500, 0, 1, 'cancelled'),
               ('i5', 't', 't', 'note', 300, 0, 2, 'done');
             INSERT INTO interaction_people (interaction_id, person_id, position) VALUES
               (1, 1, 0), (2, 1, 0), (2, 2, 1), (3, 3, 0), (4, 4, 0);",
        )
        .unwrap();
        let before = Connection::open(&path).unwrap();
        before
            .query_row("SELECT count(*) FROM interactions", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        let tx =
            rusqlite::Transaction::new_unchecked(&conn, rusqlite::TransactionBehavior::Immediate)
                .unwrap();
        migrate_to(&tx, 18, 19).unwrap();
        tx.commit().unwrap();
        let parts: Vec<(i64, i64, String)> = conn
            .prepare("SELECT interaction_id, person_id, part FROM interaction_people ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let p = "participant".to_string();
        let m = "mentioned".to_string();
        assert_eq!(
            parts,
            [
                (1, 1, p.clone()),
                (2, 1, m.clone()),
                (2, 2, m),
                (3, 3, p.clone()),
                (4, 4, p)
            ]
        );
        let contacts = |table: &str| -> Vec<(Option<i64>, Option<i64>)> {
            conn.prepare(&format!(
                "SELECT last_contact, last_touch FROM {table} ORDER BY id"
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        // Ana seen at the visit (her note is hearsay), Bo only written about, Cy e-mailed,
        // Di's meeting was cancelled.
        assert_eq!(
            contacts("people"),
            [
                (Some(100), Some(100)),
                (None, None),
                (None, Some(400)),
                (None, None)
            ]
        );
        assert_eq!(contacts("accounts"), [(Some(100), Some(400)), (None, None)]);
        // The new kinds are stored, through the connection that was open before as well.
        for (c, uid) in [(&conn, "m1"), (&before, "m2")] {
            c.execute(
                "INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset,
                   status) VALUES (?1, 't', 't', 'meal', 600, 0, 'planned')",
                [uid],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset, status)
               VALUES ('w', 't', 't', 'message', 700, 0, 'done')",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset,
                   status) VALUES ('x', 't', 't', 'lunch', 700, 0, 'done')",
                [],
            )
            .is_err()
        );
        let plan = plan_of(
            &conn,
            "SELECT id FROM interactions INDEXED BY interactions_scheduled_at
               WHERE kind IN ('meeting','visit','call','event','meal') AND at >= 0 AND at < 1000",
        );
        assert!(plan.contains("interactions_scheduled_at"), "{plan}");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn v20_adds_deal_people_and_products_keeping_a_v16_notebook() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        migrate_to(&conn, 0, 19).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id)
               VALUES ('p', 't', 't', 'Ana', 'ana', 1);
             INSERT INTO deals (uid, created_at, updated_at, account_id, title)
               VALUES ('d', 't', 't', 1, 'Tender 2027');",
        )
        .unwrap();
        migrate_to(&conn, 19, 20).unwrap();
        let title: String = conn
            .query_row("SELECT title FROM deals", [], |r| r.get(0))
            .unwrap();
        assert_eq!(title, "Tender 2027");
        conn.execute_batch(
            "INSERT INTO deal_people (uid, created_at, updated_at, deal_id, person_id, role)
               VALUES ('dp', 't', 't', 1, 1, 'evaluation-committee');
             INSERT INTO products (uid, created_at, updated_at, name, name_key)
               VALUES ('pr', 't', 't', 'Ours', 'ours');
             INSERT INTO product_statuses (uid, created_at, updated_at, account_id, product_id,
               status, day) VALUES ('ps', 't', 't', 1, 1, 'under-review', '2026-03-01');",
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO deal_people (uid, created_at, updated_at, deal_id, person_id, role)
                 VALUES ('dq', 't', 't', 1, 1, 'chairman')",
                [],
            )
            .is_err(),
            "a role outside the vocabulary is refused"
        );
        assert!(
            conn.execute(
                "INSERT INTO product_statuses (uid, created_at, updated_at, account_id, product_id,
                   status, day) VALUES ('pt', 't', 't', 1, 1, 'maybe', '2026-03-01')",
                [],
            )
            .is_err(),
            "a status outside the vocabulary is refused"
        );
        conn.execute("DELETE FROM deals WHERE id = 1", []).unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM deal_people", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "a deal's people go with it");
    }

    #[test]
    fn v22_groups_the_key_people_keeping_a_v21_notebook() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        migrate_to(&conn, 0, 21).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
               influence, stage) VALUES ('p', 't', 't', 'Ana', 'ana', 1, 5, 'cooling');",
        )
        .unwrap();
        migrate_to(&conn, 21, 22).unwrap();
        let found: String = conn
            .query_row(
                "SELECT name FROM people INDEXED BY people_account_key_groups
                 WHERE account_id = 1 AND influence >= 4 AND archived_at IS NULL
                   AND cadence_days IS NULL AND (stage IS NULL OR stage != 'lost')
                   AND (influence >= 5) = 1 AND (stage IS 'cooling') = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, "Ana", "the person is in the new index's group");
    }

    /// v23: the months of sales written before get a uid each, distinct, and keep their
    /// figures; a second month with a uid already taken is refused.
    #[test]
    fn v23_gives_each_month_of_sales_a_uid_keeping_its_figures() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 22).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO account_sales (account_id, month, currency, target, actual,
               created_at, updated_at) VALUES (1, '2026-10', 'EUR', 1000, 900, 't', 't');
             INSERT INTO account_sales (account_id, month, currency, target, actual,
               created_at, updated_at) VALUES (1, '2026-11', 'EUR', 1000, NULL, 't', 't');",
        )
        .unwrap();
        migrate_to(&conn, 22, 23).unwrap();
        let rows: Vec<(String, f64, Option<f64>)> = conn
            .prepare("SELECT uid, target, actual FROM account_sales ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].1, rows[0].2), (1000.0, Some(900.0)));
        assert_eq!(rows[0].0.len(), 32, "{rows:?}");
        assert_ne!(rows[0].0, rows[1].0);
        assert!(
            conn.execute(
                "INSERT INTO account_sales (account_id, month, currency, created_at, updated_at,
                   uid) VALUES (1, '2026-12', 'EUR', 't', 't', ?1)",
                [&rows[0].0],
            )
            .is_err(),
            "a uid names one month"
        );
    }

    /// v24: each account's open follow-ups are counted from the rows found, and the triggers
    /// keep the count through an insert, a status change, a move and a delete.
    #[test]
    fn v24_counts_the_open_followups_found_and_keeps_counting() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 23).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme'), ('b', 't', 't', 'Bolt', 'bolt');
             INSERT INTO followups (uid, created_at, updated_at, text, due_date, account_id,
               status) VALUES ('f1', 't', 't', 'x', '2026-03-01', 1, 'open'),
               ('f2', 't', 't', 'x', '2026-03-01', 1, 'open'),
               ('f3', 't', 't', 'x', '2026-03-01', 1, 'done'),
               ('f4', 't', 't', 'x', '2026-03-01', NULL, 'open'),
               ('f5', 't', 't', 'x', '2026-03-01', 2, 'cancelled');",
        )
        .unwrap();
        migrate_to(&conn, 23, 24).unwrap();
        let counts = |conn: &Connection| -> Vec<(i64, i64)> {
            conn.prepare(
                "SELECT account_id, open FROM account_open_followups WHERE open != 0
                 ORDER BY account_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        assert_eq!(counts(&conn), [(1, 2)]);
        conn.execute_batch(
            "UPDATE followups SET status = 'open' WHERE uid = 'f5';
             UPDATE followups SET account_id = 2 WHERE uid = 'f1';
             UPDATE followups SET status = 'done' WHERE uid = 'f2';
             INSERT INTO followups (uid, created_at, updated_at, text, due_date, account_id,
               status) VALUES ('f6', 't', 't', 'x', '2026-03-01', 1, 'open');
             UPDATE followups SET account_id = 1 WHERE uid = 'f4';",
        )
        .unwrap();
        assert_eq!(counts(&conn), [(1, 2), (2, 2)]);
        conn.execute_batch("DELETE FROM followups WHERE uid IN ('f1', 'f6');")
            .unwrap();
        assert_eq!(counts(&conn), [(1, 1), (2, 1)]);
    }

    /// v25: the widened indexes hold the rows found, and the follow-up walks of the agenda
    /// read them alone (no table row per entry).
    #[test]
    fn v25_widens_the_walks_keeping_a_v24_notebook() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 24).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
               VALUES ('a', 't', 't', 'Acme', 'acme');
             INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
               influence, stage) VALUES ('p', '2026-01-02T03:04:05Z', 't', 'Ana', 'ana', 1, 4,
               'identified');
             INSERT INTO followups (uid, created_at, updated_at, text, due_date, due_time,
               due_at, due_offset, priority, account_id, status)
               VALUES ('f1', 't', 't', 'x', '2026-03-01', '09:00', 1772352000, 3600, 1, 1,
               'open');",
        )
        .unwrap();
        migrate_to(&conn, 24, 25).unwrap();
        let plan = |sql: &str| plan_of(&conn, sql);
        let by_day = "SELECT id, due_date, due_at, due_offset, priority
             FROM followups INDEXED BY followups_open_due
             WHERE status = 'open' AND due_date <= '2026-03-02' ORDER BY due_date DESC";
        assert!(
            plan(by_day).contains("COVERING INDEX followups_open_due"),
            "{}",
            plan(by_day)
        );
        let of_account = "SELECT due_date, due_at FROM followups
             INDEXED BY followups_open_account WHERE status = 'open' AND account_id = 1";
        assert!(
            plan(of_account).contains("COVERING INDEX followups_open_account"),
            "{}",
            plan(of_account)
        );
        // Within a day, the entries keep the order they had (instant, then id): the walks that
        // stop at a limit (the red flags' candidates, an account's next follow-ups) pick the
        // same ones, and an account's follow-ups in order need no sort.
        let in_order = "SELECT id FROM followups INDEXED BY followups_open_account
             WHERE status = 'open' AND account_id = 1 ORDER BY due_date, id";
        assert!(
            !plan(in_order).contains("TEMP B-TREE"),
            "{}",
            plan(in_order)
        );
        conn.execute_batch(
            "INSERT INTO followups (uid, created_at, updated_at, text, due_date, priority,
               account_id, status)
               VALUES ('f2', 't', 't', 'x', '2026-03-01', 3, 1, 'open'),
                      ('f3', 't', 't', 'x', '2026-03-01', 1, 1, 'open');",
        )
        .unwrap();
        let latest: Vec<i64> = conn
            .prepare(
                "SELECT id FROM followups INDEXED BY followups_open_due
                 WHERE status = 'open' AND due_date <= '2026-03-01' ORDER BY due_date DESC",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            latest,
            [1, 3, 2],
            "the timed one, then by id, priority aside"
        );
        let row: (i64, i64, i64) = conn
            .query_row(&by_day.replace("SELECT id,", "SELECT"), [], |r| {
                Ok((r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!(row, (1_772_352_000, 3600, 1));
        let added: i64 = conn
            .query_row(
                "SELECT unixepoch(created_at) FROM people INDEXED BY people_account_key_groups
                 WHERE account_id = 1 AND influence >= 4 AND archived_at IS NULL
                   AND cadence_days IS NULL AND (stage IS NULL OR stage != 'lost')
                   AND (influence >= 5) = 0 AND (stage IS 'cooling') = 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            added, 1_767_323_045,
            "the key person is in the new index's group"
        );
    }

    #[test]
    fn v12_journal_upgrades_a_v11_notebook_keeping_its_records() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 11).unwrap();
        conn.execute(
            "INSERT INTO accounts (uid, name, name_key, created_at, updated_at)
             VALUES ('a', 'Acme', 'acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        migrate_to(&conn, 11, 12).unwrap();
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
}
