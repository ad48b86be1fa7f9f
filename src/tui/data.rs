//! Loading what a screen [`Need`]s from the notebook: part of the app's update path, the only
//! TUI code that reads the store.

use std::sync::mpsc;

use chrono::{DateTime, Local};

use super::capture::picker::Target;
use super::screens::dossier::{AccountData, Dossier, PersonData};
use super::screens::list::Window;
use super::screens::{Loaded, Need};
use crate::agenda;
use crate::config::Config;
use crate::domain::{Id, RecordKind, RecordRef};
use crate::store::{Candidate, DealRow, Reader, StoreError, TargetKind};

/// People listed in an account dossier.
const PEOPLE: u32 = 200;
/// Open follow-ups listed in a dossier.
const FOLLOWUPS: u32 = 100;
/// Power-map links listed in a person dossier.
const LINKS: u32 = 50;

/// Reads the data for `need` as seen at `now`.
pub fn load(
    reader: &Reader<'_>,
    need: &Need,
    now: DateTime<Local>,
    config: &Config,
) -> Result<Loaded, StoreError> {
    load_sharing(reader, need, now, config, &mut Shared::default(), None)
}

/// What several screens read alike, kept on a reader thread for the [`Mark`] it was read at:
/// the open deals read for the deals screen serve the insights, read next at the same mark
/// (both are read ahead, one after the other, at every change of the notebook).
#[derive(Default)]
pub struct Shared {
    open_deals: Option<(Mark, Vec<DealRow>)>,
}

impl Shared {
    fn open_deals(
        &mut self,
        reader: &Reader<'_>,
        mark: Option<Mark>,
    ) -> Result<Vec<DealRow>, StoreError> {
        if let (Some(mark), Some((at, deals))) = (mark, &self.open_deals) {
            if *at == mark {
                return Ok(deals.clone());
            }
        }
        let deals = reader.open_deal_lines(super::screens::pipeline::OPEN_DEALS_READ)?;
        self.open_deals = mark.map(|m| (m, deals.clone()));
        Ok(deals)
    }
}

/// As [`load`], with what `shared` kept from reads at the same `mark`.
fn load_sharing(
    reader: &Reader<'_>,
    need: &Need,
    now: DateTime<Local>,
    config: &Config,
    shared: &mut Shared,
    mark: Option<Mark>,
) -> Result<Loaded, StoreError> {
    Ok(match need {
        Need::Agenda { from, days } => {
            let cadence = &config.cadence;
            let mut agenda = agenda::build(reader, &now, *from, *days, cadence)?
                .with_milestones_ahead(reader, config.deals.tender_lead_days)?;
            agenda::with_red_flags(reader, &now, cadence, &mut agenda)?;
            let preps = agenda::preps(reader, &agenda, &now, &config.cadence)?;
            let empty = reader.accounts(1, 0)?.is_empty() && reader.people(None, 1, 0)?.is_empty();
            Loaded::Agenda(Box::new((agenda, preps, empty)))
        }
        Need::AccountDossier { id, timeline } => Loaded::Dossier(Box::new(Dossier::Account(
            account(reader, *id, *timeline, &now, config)?,
        ))),
        Need::PersonDossier { id, timeline } => Loaded::Dossier(Box::new(Dossier::Person(person(
            reader, *id, *timeline, &now, config,
        )?))),
        Need::Timeline {
            of,
            id,
            offset,
            limit,
        } => Loaded::Timeline {
            offset: *offset,
            rows: match of {
                TargetKind::Person => reader.person_timeline(*id, *limit, *offset)?,
                _ => reader.account_timeline(*id, *limit, *offset)?,
            },
        },
        // Counting scans the whole (filtered) table: skipped when only the window moves.
        Need::AccountList { query, count } => Loaded::Accounts(Window {
            offset: query.offset,
            total: count
                .then(|| reader.account_count(&query.filter))
                .transpose()?,
            rows: reader.account_rows(query, &Local)?,
        }),
        Need::Pipeline => {
            Loaded::Pipeline(std::sync::Arc::new(super::screens::pipeline::load_from(
                reader,
                shared.open_deals(reader, mark)?,
                &now,
                config,
            )?))
        }
        Need::Insights => {
            Loaded::Insights(std::sync::Arc::new(super::screens::insights::load_from(
                reader,
                shared.open_deals(reader, mark)?,
                &now,
                config,
            )?))
        }
        Need::Coverage => Loaded::Coverage(super::screens::coverage::load(reader)?),
        Need::PersonList { query, count } => Loaded::People(Window {
            offset: query.offset,
            total: count
                .then(|| reader.person_count(&query.filter))
                .transpose()?,
            rows: reader.person_rows(query, &Local)?,
        }),
        Need::Prep { meeting } => Loaded::Prep(Box::new(
            crate::prep::build(
                reader,
                crate::prep::PrepTarget::Meeting(*meeting),
                &now,
                &config.cadence,
            )?
            .ok_or_else(|| not_found(RecordKind::Interaction, *meeting))?,
        )),
        Need::Deal { id } => Loaded::Deal(Box::new(super::screens::deal::load(
            reader,
            *id,
            config.deals.commission_rate,
        )?)),
        Need::Search { query, limit } => Loaded::Search {
            query: query.clone(),
            found: match crate::search::find(reader, query, &now, true, *limit as usize) {
                Ok(hits) => Ok(hits),
                Err(crate::search::SearchError::Store(e)) => return Err(e),
                Err(e) => Err(e.to_string()),
            },
        },
        Need::Interaction { id } => Loaded::Interaction(Box::new(
            reader
                .interaction_record(*id)?
                .ok_or_else(|| not_found(RecordKind::Interaction, *id))?,
        )),
    })
}

fn not_found(kind: RecordKind, id: Id) -> StoreError {
    StoreError::NotFound {
        what: RecordRef::of(kind, id).to_string(),
    }
}

/// What the TUI's dossiers read: more than `kam account show` (they scroll), the power map.
fn limits(timeline: u32) -> crate::dossier::Limits {
    crate::dossier::Limits {
        people: PEOPLE,
        timeline,
        followups: FOLLOWUPS,
        links: LINKS,
        map: true,
    }
}

fn account(
    reader: &Reader<'_>,
    id: Id,
    timeline: u32,
    now: &DateTime<Local>,
    config: &Config,
) -> Result<AccountData, StoreError> {
    crate::dossier::account(reader, id, limits(timeline), now, &config.cadence)
}

fn person(
    reader: &Reader<'_>,
    id: Id,
    timeline: u32,
    now: &DateTime<Local>,
    config: &Config,
) -> Result<PersonData, StoreError> {
    crate::dossier::person(reader, id, limits(timeline), now, &config.cadence)
}

/// Accounts and people whose names match what is typed in the capture picker.
const CANDIDATES: u32 = 50;

/// The most recently contacted accounts and people scored fuzzily when prefixes find little.
const FUZZY_POOL: u32 = 2000;

/// The capture picker's candidates for `query`: accent-insensitive word prefixes, and when
/// those find fewer than a handful, the most recently contacted names too (the picker keeps
/// only those its fuzzy matcher accepts: "crmn" finds Carmen).
pub fn candidates(reader: &Reader<'_>, query: &str) -> Result<Vec<Candidate>, StoreError> {
    let mut found = reader.match_names(
        &[TargetKind::Account, TargetKind::Person],
        query,
        CANDIDATES,
    )?;
    if found.len() < 5 {
        for c in reader.recent_names(FUZZY_POOL)? {
            if !found.iter().any(|f| f.kind == c.kind && f.id == c.id) {
                found.push(c);
            }
        }
    }
    Ok(found)
}

/// A capture target by kind and id, with a person's account: `None` if it is gone.
pub fn target(reader: &Reader<'_>, kind: TargetKind, id: Id) -> Result<Option<Target>, StoreError> {
    Ok(match kind {
        TargetKind::Person => match reader.person(id)? {
            Some((p, _)) => Some(Target {
                kind,
                id,
                name: p.name,
                context: match p.account {
                    Some(a) => reader.account(a)?.map(|(a, _)| a.name),
                    None => None,
                },
            }),
            None => None,
        },
        _ => reader.name_of(kind, id)?.map(|name| Target {
            kind,
            id,
            name,
            context: None,
        }),
    })
}

/// A read done off the UI thread: the screen's need, the moment and settings it is read with,
/// and what the notebook held when it was asked (its [`crate::store::Store::change_mark`]).
pub struct Job {
    pub seq: u64,
    pub need: Need,
    pub now: DateTime<Local>,
    pub config: Config,
    pub mark: Mark,
}

impl Job {
    /// A read of `need` as of `now` and `mark`, under `config` (the worker numbers it).
    pub fn of(need: Need, now: DateTime<Local>, config: &Config, mark: Mark) -> Self {
        Self {
            seq: 0,
            need,
            now,
            config: config.clone(),
            mark,
        }
    }
}

/// What a [`Job`] read (or why it could not).
pub struct Done {
    pub seq: u64,
    pub need: Need,
    pub mark: Mark,
    pub loaded: Result<Loaded, StoreError>,
}

/// [`crate::store::Store::change_mark`], and the day it was read on.
pub type Mark = (i64, u64, chrono::NaiveDate);

/// A thread with its own connection to the notebook that reads what screens need, so that a
/// slow read (a search on a million notes, the insights of the month) never holds a key up.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Done>,
    /// Stops the read running on the reader's connection; it arrives on `handle_in` once the
    /// reader has opened the notebook.
    interrupt: Option<rusqlite::InterruptHandle>,
    handle_in: mpsc::Receiver<rusqlite::InterruptHandle>,
    /// The last job sent, and the last answered (answers come in order; the last job sent is
    /// always answered, older ones may be skipped).
    sent: u64,
    answered: u64,
}

fn interrupted(loaded: &Result<Loaded, StoreError>) -> bool {
    matches!(loaded, Err(StoreError::Sqlite(e))
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted))
}

impl Worker {
    /// Starts the thread, which opens its own connection to the notebook of `main` (keyed as
    /// it is): on an encrypted notebook that open derives the key from the passphrase (~0.2 s
    /// of PBKDF2), so it is done there, not on the UI thread — the screen answers keys while
    /// the readers open, and a job sent meanwhile waits for its reader. If the notebook cannot
    /// be opened there, every job is answered with that error. With `latest_only`, jobs queued
    /// behind a newer one are skipped (search as you type).
    pub fn start(main: &crate::store::Store, latest_only: bool) -> Result<Self, StoreError> {
        let path = main
            .path()
            .unwrap_or(std::path::Path::new(":memory:"))
            .to_path_buf();
        let key = main.passphrase().cloned();
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, done) = mpsc::channel::<Done>();
        let (handle_out, handle_in) = mpsc::channel::<rusqlite::InterruptHandle>();
        let thread_path = path.clone();
        std::thread::Builder::new()
            .name("kam-reader".into())
            .spawn(move || {
                let store = match crate::store::Store::open_existing_keyed(&thread_path, key) {
                    Ok(store) => store,
                    Err(e) => {
                        let message = format!("a reader cannot open the notebook: {e}");
                        while let Ok(job) = inbox.recv() {
                            let loaded = Err(StoreError::File {
                                path: thread_path.clone(),
                                message: message.clone(),
                            });
                            let answer = Done {
                                seq: job.seq,
                                need: job.need,
                                mark: job.mark,
                                loaded,
                            };
                            if outbox.send(answer).is_err() {
                                break;
                            }
                        }
                        return;
                    }
                };
                let _ = handle_out.send(store.interrupt_handle());
                let mut shared = Shared::default();
                while let Ok(mut job) = inbox.recv() {
                    if latest_only {
                        while let Ok(newer) = inbox.try_recv() {
                            job = newer;
                        }
                    }
                    let loaded = loop {
                        let loaded = load_sharing(
                            &store.reader(),
                            &job.need,
                            job.now,
                            &job.config,
                            &mut shared,
                            Some(job.mark),
                        );
                        // Stopped by a newer job: read that one (or, if the stop came after
                        // the older one had finished, this one again).
                        if !interrupted(&loaded) {
                            break loaded;
                        }
                        if let Ok(newer) = inbox.try_recv() {
                            job = newer;
                        }
                    };
                    let sent = outbox.send(Done {
                        seq: job.seq,
                        need: job.need,
                        mark: job.mark,
                        loaded,
                    });
                    if sent.is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| StoreError::File {
                path,
                message: format!("cannot start a reader thread: {e}"),
            })?;
        Ok(Worker {
            jobs,
            done,
            interrupt: None,
            handle_in,
            sent: 0,
            answered: 0,
        })
    }

    /// Asks for `job` (its `seq` is set here and returned); with `cancel`, the read running
    /// now is stopped first (this one supersedes it).
    pub fn send(&mut self, mut job: Job, cancel: bool) -> u64 {
        if cancel && self.busy() {
            // No handle yet: the reader is still opening, so no read is running to stop.
            if self.interrupt.is_none() {
                self.interrupt = self.handle_in.try_recv().ok();
            }
            if let Some(interrupt) = &self.interrupt {
                interrupt.interrupt();
            }
        }
        self.sent += 1;
        job.seq = self.sent;
        if self.jobs.send(job).is_err() {
            // The thread is gone: nothing will answer.
            self.answered = self.sent;
        }
        self.sent
    }

    /// An answer, if one is ready.
    pub fn try_done(&mut self) -> Option<Done> {
        let done = self.done.try_recv().ok()?;
        self.answered = done.seq;
        Some(done)
    }

    /// The `seq` of the last job sent.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Whether an answer is still to come.
    pub fn busy(&self) -> bool {
        self.answered < self.sent
    }
}

/// Screens whose figures are read once per change of the notebook and kept: the insights of
/// the month, the pipeline, the first window of a list with its count. Keyed by the [`Mark`]
/// they were read at.
#[derive(Default)]
pub struct Cache {
    entries: Vec<(Need, Mark, Loaded)>,
}

impl Cache {
    /// Whether `need` is one the cache keeps.
    pub fn keeps(need: &Need) -> bool {
        match need {
            Need::Insights | Need::Pipeline | Need::Coverage => true,
            Need::AccountList { query, count } => {
                *count && query.offset == 0 && query.filter.is_empty()
            }
            Need::PersonList { query, count } => {
                *count && query.offset == 0 && query.filter.is_empty()
            }
            _ => false,
        }
    }

    /// What was read for `need` at `mark`, if kept.
    pub fn get(&self, need: &Need, mark: Mark) -> Option<Loaded> {
        self.entries
            .iter()
            .find(|(n, m, _)| n == need && *m == mark)
            .map(|(_, _, l)| l.clone())
    }

    /// Keeps what was read for `need` at `mark` (replacing an older reading).
    pub fn put(&mut self, need: Need, mark: Mark, loaded: &Loaded) {
        if !Self::keeps(&need) {
            return;
        }
        self.entries.retain(|(n, _, _)| *n != need);
        self.entries.push((need, mark, loaded.clone()));
    }

    /// Whether `need` is kept at `mark`.
    pub fn has(&self, need: &Need, mark: Mark) -> bool {
        self.entries.iter().any(|(n, m, _)| n == need && *m == mark)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::store::{Passphrase, Store};

    fn job() -> Job {
        Job::of(
            Need::Pipeline,
            DateTime::default(),
            &Config::default(),
            (0, 0, chrono::NaiveDate::default()),
        )
    }

    fn answer(worker: &mut Worker) -> Done {
        worker.send(job(), false);
        let done = worker
            .done
            .recv_timeout(Duration::from_secs(60))
            .expect("the reader answers");
        worker.answered = done.seq;
        done
    }

    /// The insights read at the same mark as the deals screen sum the open deals that read
    /// (no second read); at another mark they are read again.
    #[test]
    fn the_open_deals_are_read_once_per_mark_for_the_deals_screen_and_the_insights() {
        use crate::store::testing::{account, add_account, add_deal, deal};
        let mut store = Store::open_in_memory().unwrap();
        let a = add_account(&mut store, &account("a-1", "Hospital Clínic"));
        add_deal(&mut store, &deal("d-1", a, "Vitamins", Some((10.0, "EUR"))));
        let config = Config::default();
        let now = chrono::TimeZone::with_ymd_and_hms(&Local, 2026, 11, 27, 9, 0, 0).unwrap();
        let day = chrono::NaiveDate::default();
        let mut shared = Shared::default();
        let mut open = |store: &Store, need: Need, mark: Mark| match load_sharing(
            &store.reader(),
            &need,
            now,
            &config,
            &mut shared,
            Some(mark),
        )
        .unwrap()
        {
            Loaded::Pipeline(p) => p.pipeline.open.count,
            Loaded::Insights(i) => i.pipeline.open.count,
            _ => unreachable!("asked for deals or insights"),
        };
        assert_eq!(open(&store, Need::Pipeline, (1, 0, day)), 1);
        // Written behind the mark's back: the same mark reuses what was read for it.
        add_deal(&mut store, &deal("d-2", a, "Minerals", Some((5.0, "EUR"))));
        assert_eq!(open(&store, Need::Insights, (1, 0, day)), 1);
        assert_eq!(open(&store, Need::Insights, (1, 1, day)), 2);
        assert_eq!(open(&store, Need::Pipeline, (1, 1, day)), 2);
    }

    #[test]
    fn a_reader_opens_an_encrypted_notebook_with_the_passphrase_of_the_main_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let key = Passphrase::new("m-pass").unwrap();
        Store::open(&path).unwrap().convert(Some(&key)).unwrap();
        let main = Store::open_existing_keyed(&path, Some(key.clone())).unwrap();
        // As the app starts: the main connection and its two readers.
        let mut workers = [
            Worker::start(&main, true).unwrap(),
            Worker::start(&main, false).unwrap(),
        ];
        for worker in &mut workers {
            let done = answer(worker);
            assert!(done.loaded.is_ok(), "{:?}", done.loaded.err());
            assert!(!worker.busy());
        }
        assert_eq!(
            key.derivations(),
            1,
            "the key is derived once, not three times"
        );
    }

    #[test]
    fn a_reader_that_cannot_open_the_notebook_answers_every_job_with_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let main = Store::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut worker = Worker::start(&main, true).unwrap();
        for _ in 0..2 {
            let done = answer(&mut worker);
            let message = done.loaded.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                message.contains("a reader cannot open the notebook"),
                "{message}"
            );
        }
        // Cancelling while the reader has no connection stops nothing and breaks nothing.
        worker.send(job(), true);
        assert!(worker.done.recv_timeout(Duration::from_secs(60)).is_ok());
    }
}
