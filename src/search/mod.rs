//! Finding anything: a typed query ([`query`]) becomes a [`Search`] — `account:`/`person:`
//! names resolved like CLI targets (`#a12`, an exact name, or the one name that matches),
//! `before:`/`after:` read with the date language — and the store ranks what matches.
//!
//! The query language (also in `kam search --help`):
//! - words: every word must match, accent- and case-insensitively ("nunez" finds "Núñez",
//!   "weissach" "Weißach", "lukasz" "Łukasz": the letters [`crate::text::fold`] spells apart);
//!   `word*` matches words starting so; in the TUI the word being typed is a prefix;
//! - `"a phrase"`: those words in a row;
//! - `account:NAME`, `person:NAME` (`#a12`, `#p7`, or a name; quote names with spaces);
//! - `kind:K` (repeatable, any of them): account, person, interaction, follow-up, deal, plan, or
//!   an interaction kind: meeting, visit, call, event, email, note;
//! - `after:WHEN` (on that day or later), `before:WHEN` (strictly before): the date language
//!   (`-30d`, `yesterday`, `2026-01-01`, `"next mon"`). Dates are when an
//!   interaction happened, a follow-up is due, a deal closes, a plan's target; accounts and
//!   people have none and drop out of a dated search;
//! - words with CJK characters match inside indexed words (substring).

pub use crate::domain::query;

use chrono::{DateTime, NaiveDate, TimeZone};

use crate::domain::{Id, RecordRef};
use crate::store::{Reader, Search, SearchHit, StoreError, TargetKind};
use crate::text::sanitize_line;
use crate::when::{WhenError, parse_when, start_of_day};

pub use query::{HitKind, Query, QueryError};

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    /// An `account:` or `person:` name that names no record, or several.
    #[error("{0}")]
    Filter(String),
    #[error("{0}")]
    When(#[from] WhenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SearchError {
    /// A mistake in what was typed (not the notebook's fault).
    pub fn is_input(&self) -> bool {
        !matches!(self, SearchError::Store(_))
    }
}

/// Reads `input` and finds the best `limit` records, as seen at `now`. With `typing`, the word
/// being typed is a prefix and a half-typed filter is ignored.
pub fn find<Tz: TimeZone>(
    reader: &Reader<'_>,
    input: &str,
    now: &DateTime<Tz>,
    typing: bool,
    limit: usize,
) -> Result<Vec<SearchHit>, SearchError> {
    let q = query::parse(input, typing)?;
    if !q.has_terms() {
        return Ok(Vec::new());
    }
    let search = Search {
        kinds: query::HitKind::ALL
            .into_iter()
            .filter(|k| q.wants(*k))
            .collect(),
        interaction_kinds: q.interaction_kinds(),
        account: q
            .account
            .as_deref()
            .map(|n| named(reader, n, TargetKind::Account))
            .transpose()?,
        person: q
            .person
            .as_deref()
            .map(|n| named(reader, n, TargetKind::Person))
            .transpose()?,
        from: q.after.as_deref().map(|w| day(w, now)).transpose()?,
        until: q.before.as_deref().map(|w| day(w, now)).transpose()?,
        limit,
        terms: q.terms,
    };
    Ok(reader.search(&search)?)
}

/// A `before:`/`after:` day and the instant its local midnight is.
fn day<Tz: TimeZone>(word: &str, now: &DateTime<Tz>) -> Result<(NaiveDate, i64), WhenError> {
    let date = parse_when(word, now)?.date;
    Ok((date, start_of_day(&now.timezone(), date)))
}

/// The one account or person `name` names: `#a12`, an exact name, or the only match.
fn named(reader: &Reader<'_>, name: &str, kind: TargetKind) -> Result<Id, SearchError> {
    let noun = kind.record_kind().noun();
    let shown = sanitize_line(name);
    if let Some(r) = RecordRef::parse(name) {
        if r.kind.is_some_and(|k| k != kind.record_kind()) {
            return Err(SearchError::Filter(format!(
                "{noun}:{shown} is not a {noun}"
            )));
        }
        return match reader.name_of(kind, r.id)? {
            Some(_) => Ok(r.id),
            None => Err(SearchError::Filter(format!("no {noun} {shown}"))),
        };
    }
    let found = reader.match_names(&[kind], name, 20)?;
    let exact: Vec<_> = found.iter().filter(|c| c.exact).collect();
    let pool: Vec<_> = if exact.is_empty() {
        found.iter().collect()
    } else {
        exact
    };
    match pool.as_slice() {
        [one] => Ok(one.id),
        [] => Err(SearchError::Filter(format!(
            "{noun}:{shown}: no {noun} matches"
        ))),
        many => Err(SearchError::Filter(format!(
            "{noun}:{shown} matches {} {}: {}; say which with its id",
            many.len(),
            if kind == TargetKind::Person {
                "people"
            } else {
                "accounts"
            },
            many.iter()
                .take(5)
                .map(|c| format!(
                    "{} {}",
                    RecordRef::of(kind.record_kind(), c.id),
                    sanitize_line(&c.name)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
