//! What a KAM waits for, measured on generated notebooks of the sizes in DESIGN.md §7: the
//! agenda of a day and of a week, the dossier of the biggest account and of its economic buyer,
//! finding a record by name, and saving one note durably. See benches/README.md.
//!
//! These time the library calls a command makes, not a whole process: opening the file, reading
//! the clock and printing come on top (and are what `hyperfine` measures).

// Setup may panic: a benchmark without its notebook has nothing to measure.
#![allow(clippy::unwrap_used)]

mod fixture;
mod screens;
mod text;

use divan::Bencher;
use kamnote::agenda::{self, Cadence};
use kamnote::domain::{
    Id, Interaction, InteractionKind, InteractionStatus, Ladder, PlanSubject, Timestamp,
};
use kamnote::store::{Reader, Store, StoreError, TargetKind, UidTable};

use fixture::Size;

fn main() {
    // Build (or find) the notebooks first, so that building one is never timed and its
    // messages do not land in the middle of the results table.
    for size in Size::enabled() {
        fixture::notebook(size).unwrap();
    }
    divan::main();
}

/// 2026-11-27 08:00 +03:00, the morning of the data's fixed today.
fn now() -> Timestamp {
    fixture::at(fixture::today(), 8, 0)
}

fn open(size: Size) -> Store {
    Store::open(&fixture::notebook(size).unwrap()).unwrap()
}

fn id_of(store: &Store, table: UidTable, uid: &str) -> Id {
    store.reader().id_by_uid(table, uid).unwrap().unwrap()
}

/// `kam agenda`: today's meetings, follow-ups due and overdue, birthdays, deadlines, stale
/// key people and accounts.
#[divan::bench(args = Size::enabled())]
fn agenda_day(bencher: Bencher, size: Size) {
    let store = open(size);
    let now = now();
    bencher.bench_local(|| {
        agenda::build(
            &store.reader(),
            &now,
            fixture::today(),
            1,
            &Cadence::default(),
        )
        .unwrap()
    });
}

/// `kam agenda --days 7`.
#[divan::bench(args = Size::enabled())]
fn agenda_week(bencher: Bencher, size: Size) {
    let store = open(size);
    let now = now();
    bencher.bench_local(|| {
        agenda::build(
            &store.reader(),
            &now,
            fixture::today(),
            7,
            &Cadence::default(),
        )
        .unwrap()
    });
}

/// What `kam account show` reads (src/cli/show.rs), without the printing.
fn account_dossier(reader: &Reader<'_>, id: Id) -> Result<usize, StoreError> {
    let (account, _) = reader.account(id)?.ok_or(StoreError::NotFound {
        what: format!("account #a{id}"),
    })?;
    let people = reader.people(Some(id), 50, 0)?;
    let deals = reader.deals_of(id)?;
    let timeline = reader.account_timeline(id, 10, 0)?;
    let last = reader.account_last_contact(id)?;
    let plans = reader.plans_of(PlanSubject::Account(id))?;
    let followups = reader.open_followups_of(Some(id), None, 20)?;
    let history = reader.stage_history(Ladder::Account, id)?;
    Ok(account.name.len()
        + people.len()
        + deals.len()
        + timeline.len()
        + usize::from(last.is_some())
        + plans.len()
        + followups.len()
        + history.len())
}

/// What `kam person show` reads (src/cli/show.rs), without the printing.
fn person_dossier(reader: &Reader<'_>, id: Id) -> Result<usize, StoreError> {
    let (person, _) = reader.person(id)?.ok_or(StoreError::NotFound {
        what: format!("person #p{id}"),
    })?;
    let account = person.account.map(|a| reader.account(a)).transpose()?;
    let (links, total) = reader.links_of(id, 20)?;
    let timeline = reader.person_timeline(id, 10, 0)?;
    let last = reader.person_last_contact(id)?;
    let plans = reader.plans_of(PlanSubject::Person(id))?;
    let history = reader.stage_history(Ladder::Person, id)?;
    let followups = reader.open_followups_of(None, Some(id), 20)?;
    Ok(person.name.len()
        + usize::from(account.is_some())
        + links.len()
        + usize::try_from(total).unwrap_or(0)
        + timeline.len()
        + usize::from(last.is_some())
        + plans.len()
        + history.len()
        + followups.len())
}

/// `kam account show "Núñez & Peña…"`: the biggest account's dossier.
#[divan::bench(args = Size::enabled())]
fn dossier_account(bencher: Bencher, size: Size) {
    let store = open(size);
    let id = id_of(&store, UidTable::Accounts, "a1");
    bencher.bench_local(|| account_dossier(&store.reader(), id).unwrap());
}

/// `kam account show` of the last account, a typical one with a handful of people: the
/// dossier must not cost more for a small account than for the biggest.
#[divan::bench(args = Size::enabled())]
fn dossier_account_typical(bencher: Bencher, size: Size) {
    let store = open(size);
    let id = id_of(&store, UidTable::Accounts, &format!("a{}", size.accounts()));
    bencher.bench_local(|| account_dossier(&store.reader(), id).unwrap());
}

/// `kam person show "Iván Grigóriev"`: the economic buyer of the biggest account.
#[divan::bench(args = Size::enabled())]
fn dossier_person(bencher: Bencher, size: Size) {
    let store = open(size);
    let id = id_of(&store, UidTable::People, "p1");
    bencher.bench_local(|| person_dossier(&store.reader(), id).unwrap());
}

/// Every kind a name can point at, as the widest target lookup does.
const KINDS: &[TargetKind] = &[TargetKind::Account, TargetKind::Person, TargetKind::Deal];

/// Resolving a typed name to a record: a short common prefix (many hits to rank).
#[divan::bench(args = Size::enabled())]
fn match_names_prefix(bencher: Bencher, size: Size) {
    let store = open(size);
    bencher.bench_local(|| store.reader().match_names(KINDS, "mar", 20).unwrap());
}

/// Resolving a typed name to a record: a whole name, typed exactly.
#[divan::bench(args = Size::enabled())]
fn match_names_exact(bencher: Bencher, size: Size) {
    let store = open(size);
    bencher.bench_local(|| {
        store
            .reader()
            .match_names(KINDS, "Iván Grigóriev", 20)
            .unwrap()
    });
}

/// `kam search contract`: a word in a good share of the notes (the top 20 of a bounded,
/// ranked candidate set, with snippets).
#[divan::bench(args = Size::enabled())]
fn search_common(bencher: Bencher, size: Size) {
    let store = open(size);
    let now = now();
    bencher.bench_local(|| {
        kamnote::search::find(&store.reader(), "contract", &now, false, 20).unwrap()
    });
}

/// `kam search` for a word within one account: "renewal account:#a2".
#[divan::bench(args = Size::enabled())]
fn search_filtered(bencher: Bencher, size: Size) {
    let store = open(size);
    let now = now();
    bencher.bench_local(|| {
        kamnote::search::find(&store.reader(), "renewal account:#a2", &now, false, 20).unwrap()
    });
}

/// The search screen while typing "contr": the last word is a prefix.
#[divan::bench(args = Size::enabled())]
fn search_typing(bencher: Bencher, size: Size) {
    let store = open(size);
    let now = now();
    bencher
        .bench_local(|| kamnote::search::find(&store.reader(), "contr", &now, true, 50).unwrap());
}

const NOTE_BODY: &str = "Met Iván at the Sevilla warehouse. They are happy with delivery times \
    since the new route; procurement still pushes for 3 % off on the renewal. Núñez wants the \
    contract draft before the board meets on 14 December, and asked for references from two \
    hospitals in Andalucía. Next: send the draft, book a call with finance, ask María about the \
    tender calendar. ☕ Mood: good, warm, a little impatient about the pricing answer.";

/// `kam note`: one ~400-character note about one person, in its own transaction, committed
/// durably (WAL, `synchronous=FULL`) to a copy of the notebook on the target's disk.
#[divan::bench(args = Size::enabled(), sample_count = 50)]
fn save_note(bencher: Bencher, size: Size) {
    let dir = tempfile::Builder::new()
        .prefix("save-note-")
        .tempdir_in(fixture::data_dir())
        .unwrap();
    let mut store = Store::open(&fixture::copy_of(size, dir.path()).unwrap()).unwrap();
    let account = id_of(&store, UidTable::Accounts, "a1");
    let person = id_of(&store, UidTable::People, "p1");
    let now = now();
    let mut serial = 0_u64;
    bencher.bench_local(|| {
        serial += 1;
        let note = Interaction {
            id: 0,
            uid: format!("bench-note-{serial}"),
            kind: InteractionKind::Note,
            at: now,
            end: None,
            account: Some(account),
            people: vec![person],
            mentioned: Vec::new(),
            title: None,
            body: Some(NOTE_BODY.into()),
            location: None,
            status: InteractionStatus::Done,
            outcome: None,
            tags: Vec::new(),
            extra: kamnote::domain::Extra::new(),
        };
        store
            .write(now, |w| w.upsert_interaction(&note, None, None))
            .unwrap()
    });
}
