//! Erasure and retention (issue 15): `forget` a person or an account (GDPR art. 17), `prune`
//! the interactions older than the retention the user set. Neither is undoable, and neither
//! writes a journal entry: the journal is one of the things purged (`store::Erasure`).
//!
//! A forget deletes the record and everything about it; the notes it shared with others stay,
//! without its link, and every text of the notebook that names an erased person — by full name,
//! `@mention` or `@#p7` — says "(erased)" instead ([`Redactor`]). A first name alone or a
//! nickname in free text cannot be told from someone else's and stays: the listing names the
//! shared notes to read over. Forgetting an account erases its people too (move the ones to keep
//! first). After the commit the notebook is wiped (`Store::wipe`): no byte of what was erased is
//! left in the file or its WAL.

use chrono::Months;

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Id, RecordKind, RecordRef, Timestamp, mention::mentions};
use crate::store::{Erased, Erasure, Reader, Store, Wiped};

/// What an erased name becomes in the texts that keep it.
pub const ERASED: &str = "(erased)";

/// What to forget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgettable {
    Person(Id),
    /// The account, and its people with it.
    Account(Id),
}

impl Forgettable {
    pub fn reference(self) -> RecordRef {
        match self {
            Forgettable::Person(id) => RecordRef::of(RecordKind::Person, id),
            Forgettable::Account(id) => RecordRef::of(RecordKind::Account, id),
        }
    }

    /// What erasing it deletes and changes, as the notebook is now.
    pub fn erasure(self, r: &Reader<'_>) -> Result<Erasure, OpsError> {
        Ok(match self {
            Forgettable::Person(id) => r.erasure_of_person(id)?,
            Forgettable::Account(id) => r.erasure_of_account(id)?,
        })
    }

    /// The record's name, or not found.
    pub fn name(self, r: &Reader<'_>) -> Result<String, OpsError> {
        let found = match self {
            Forgettable::Person(id) => r.person(id)?.map(|(p, _)| p.name),
            Forgettable::Account(id) => r.account(id)?.map(|(a, _)| a.name),
        };
        found.ok_or_else(|| OpsError::NotFound(format!("{} not found", self.reference())))
    }

    /// The redaction of an erasure: the erased people by name and id, and the account's name.
    pub fn redactor(self, r: &Reader<'_>, e: &Erasure) -> Result<Redactor, OpsError> {
        let people = r.names_of_people(&e.people)?;
        let mut other = Vec::new();
        if let Forgettable::Account(_) = self {
            other.push(self.name(r)?);
        }
        Ok(Redactor::new(people, other))
    }
}

/// Rewrites texts that name erased people (see the module header).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Each person's id, full name, and folded name words.
    people: Vec<(Id, String, Vec<String>)>,
    /// Other names erased as written (an account's).
    names: Vec<String>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// `text` with every case-insensitive occurrence of `needle` that stands alone (not inside a
/// longer word or mention) replaced by [`ERASED`]; `None` when there is none.
fn replace_alone(text: &str, needle: &str) -> Option<String> {
    if needle.is_empty() {
        return None;
    }
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut found = false;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let starts_word = !prev.is_some_and(is_word);
        prev = Some(c);
        if start < copied || !starts_word {
            continue;
        }
        let mut end = start;
        let mut rest = text[start..].chars();
        let mut matched = true;
        for n in needle.chars() {
            match rest.next() {
                Some(t) if same(t, n) => end += t.len_utf8(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        let next = text[end..].chars().next();
        let ends_word = !next.is_some_and(|c| {
            is_word(c)
                || (needle.starts_with('@')
                    && matches!(c, '.' | '_' | '-' | '\'')
                    && text[end..].chars().nth(1).is_some_and(is_word))
        });
        if matched && ends_word {
            out.push_str(&text[copied..start]);
            out.push_str(ERASED);
            copied = end;
            found = true;
            while chars.peek().is_some_and(|(i, _)| *i < end) {
                prev = chars.next().map(|(_, c)| c);
            }
        }
    }
    found.then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

impl Redactor {
    pub fn new(people: Vec<(Id, String)>, names: Vec<String>) -> Self {
        Redactor {
            people: people
                .into_iter()
                .map(|(id, name)| {
                    let words = crate::text::fold(&name)
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    (id, name, words)
                })
                .collect(),
            names: names.into_iter().filter(|n| !n.trim().is_empty()).collect(),
        }
    }

    /// Whether an `@mention` asking for `query` names an erased person: `#p7` / `#7` by id, or
    /// words that are all words of an erased person's name (`@Ana`, `@ana.puig`).
    fn names_erased(&self, query: &str) -> bool {
        if let Some(id) = query
            .strip_prefix("#p")
            .or_else(|| query.strip_prefix('#'))
            .and_then(|n| n.parse::<Id>().ok())
        {
            return self.people.iter().any(|(p, _, _)| *p == id);
        }
        let folded = crate::text::fold(query);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        !words.is_empty()
            && self
                .people
                .iter()
                .any(|(_, _, name)| words.iter().all(|w| name.iter().any(|n| n == w)))
    }

    /// `text` with the erased names and mentions replaced, or `None` when it names none.
    pub fn redact(&self, text: &str) -> Option<String> {
        if self.people.is_empty() && self.names.is_empty() {
            return None;
        }
        let mut current: Option<String> = None;
        // Mentions are listed once per name however spelled (`@Ana Puig`, `@ana.puig`): read
        // them again after each replacement until none names an erased person.
        for _ in 0..text.len() {
            let base = current.as_deref().unwrap_or(text);
            let next = mentions(base)
                .into_iter()
                .filter(|m| self.names_erased(&m.query))
                .find_map(|m| replace_alone(base, &m.raw));
            match next {
                Some(new) => current = Some(new),
                None => break,
            }
        }
        let mut apply = |needle: &str| {
            let base = current.as_deref().unwrap_or(text);
            if let Some(new) = replace_alone(base, needle) {
                current = Some(new);
            }
        };
        for (_, name, _) in &self.people {
            apply(name);
        }
        for name in &self.names {
            apply(name);
        }
        current
    }
}

/// `kam forget`: erases a person or an account for good (see the module header).
pub struct Forget {
    pub target: Forgettable,
}

impl Command for Forget {
    fn name(&self) -> &'static str {
        "forget"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let w = tx.w();
        let name = self.target.name(w)?;
        let erasure = self.target.erasure(w)?;
        let redactor = self.target.redactor(w, &erasure)?;
        let erased = w.erase(&erasure, &|t| redactor.redact(t))?;
        let what = match self.target {
            Forgettable::Person(_) => "person",
            Forgettable::Account(_) => "account",
        };
        let mut outcome = Outcome::new(format!(
            "Erased {what} {} {name} and {} about them; this cannot be undone",
            self.target.reference(),
            crate::text::count_kind(erasure.deleted().saturating_sub(1) as u64, "record")
        ))
        .with_record(self.target.reference());
        outcome.details = details(&erasure, &erased);
        Ok(outcome)
    }
}

/// `kam prune`: erases the interactions before a cutoff, with their journal changes.
pub struct Prune {
    /// Unix seconds: interactions before it go.
    pub cutoff: i64,
}

impl Prune {
    /// The cutoff `years` before `now`.
    pub fn years_before(now: Timestamp, years: u32) -> Result<Self, OpsError> {
        let cutoff = now
            .checked_sub_months(Months::new(years.saturating_mul(12)))
            .ok_or_else(|| {
                OpsError::invalid(format!(
                    "[privacy] keep_interactions_years: {years} years is too long; e.g. 5"
                ))
            })?;
        Ok(Prune {
            cutoff: cutoff.timestamp(),
        })
    }
}

impl Command for Prune {
    fn name(&self) -> &'static str {
        "prune"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let w = tx.w();
        let erasure = w.erasure_before(self.cutoff)?;
        let erased = w.erase(&erasure, &|_| None)?;
        let mut outcome = Outcome::new(format!(
            "Erased {}; this cannot be undone",
            crate::text::count_kind(erasure.interactions.len() as u64, "interaction")
        ));
        outcome.details = details(&erasure, &erased);
        Ok(outcome)
    }
}

/// The lines under an erasure's message: what it deleted and changed, kind by kind.
pub fn listing(e: &Erasure) -> Vec<String> {
    let mut out = Vec::new();
    for (n, kind) in [
        (e.accounts.len(), "account"),
        (e.people.len(), "person"),
        (e.links.len(), "link of the power map"),
        (e.interactions.len(), "interaction (notes and meetings)"),
        (e.followups.len(), "follow-up"),
        (e.deals.len(), "deal"),
        (e.obligations.len(), "obligation"),
        (e.plans.len(), "plan"),
        (e.spends.len(), "plan spend"),
        (e.stage_changes.len(), "stage change"),
        (e.drafts.len(), "draft"),
    ] {
        if n > 0 {
            out.push(format!("  {}", count(n, kind)));
        }
    }
    if !e.shared.is_empty() {
        let refs: Vec<String> = e
            .shared
            .iter()
            .map(|i| RecordRef::of(RecordKind::Interaction, *i).to_string())
            .collect();
        out.push(format!(
            "  {} shared with others kept, without the link and with the name erased: {}",
            count(e.shared.len(), "interaction"),
            refs.join(" ")
        ));
    }
    if !e.journal_entries.is_empty() {
        out.push(format!(
            "  {} of the journal (undo, history) purged",
            count(e.journal_entries.len(), "entry")
        ));
    }
    out
}

fn count(n: usize, kind: &str) -> String {
    let plural = match kind {
        "person" => "people".to_string(),
        "entry" => "entries".to_string(),
        k if k.starts_with("interaction (") => k.replacen("interaction", "interactions", 1),
        k if k.starts_with("link of") => k.replacen("link", "links", 1),
        k => format!("{k}s"),
    };
    format!("{n} {}", if n == 1 { kind } else { &plural })
}

fn details(e: &Erasure, erased: &Erased) -> Vec<String> {
    let mut out = listing(e);
    if erased.texts_redacted > 0 {
        out.push(format!(
            "  {} elsewhere named them: the name now reads \"{ERASED}\"",
            count(
                usize::try_from(erased.texts_redacted).unwrap_or(usize::MAX),
                "text"
            )
        ));
    }
    out
}

/// Runs `command` (a [`Forget`] or a [`Prune`]) and then wipes the notebook, so that nothing
/// erased stays in the file or its WAL. The outcome says when another session kept the WAL.
pub fn erase_and_wipe(
    store: &mut Store,
    now: Timestamp,
    command: &dyn Command,
) -> Result<(Outcome, Wiped), OpsError> {
    let outcome = super::run(store, now, command)?;
    let wiped = store.wipe(now)?;
    Ok((outcome, wiped))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Redactor {
        Redactor::new(vec![(7, "Ana Puig".into())], Vec::new())
    }

    #[test]
    fn names_and_mentions_of_the_erased_become_erased() {
        let r = ana();
        for (text, want) in [
            ("Met Ana Puig and Joan", "Met (erased) and Joan"),
            ("met ANA PUIG today", "met (erased) today"),
            (
                "asked @Ana, then @ana.puig and @\"Ana Puig\".",
                "asked (erased), then (erased) and (erased).",
            ),
            ("@#p7 and @#7 agreed", "(erased) and (erased) agreed"),
            (
                "@Ana said @ana would call",
                "(erased) said (erased) would call",
            ),
        ] {
            assert_eq!(r.redact(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn other_names_and_longer_words_stay() {
        let r = ana();
        for text in [
            "Met Joan",
            "Ana Puigdemont called",
            "@Anabel agreed",
            "@#p70 agreed",
            "ana@example.org",
            "@Joan.Puig.Serra",
        ] {
            assert_eq!(r.redact(text), None, "{text}");
        }
        assert_eq!(Redactor::default().redact("Ana Puig"), None);
    }

    /// 15.1: a forget writes no journal entry (undo cannot take it back, and the journal keeps
    /// no image of the person), and the person's own entries go with them.
    #[test]
    fn a_forget_is_not_journaled_and_takes_the_persons_entries() {
        use crate::domain::Person;
        use crate::ops::{AddPerson, run};
        use chrono::DateTime;
        let now: Timestamp = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let add = |name: &str| AddPerson {
            person: Person {
                uid: format!("u-{name}"),
                name: name.into(),
                ..Person::default()
            },
            stage: None,
        };
        let kept = run(&mut store, now, &add("Joan Vila")).unwrap();
        let gone = run(&mut store, now, &add("Ana Puig")).unwrap();
        let id = gone.record.unwrap().id;
        let (outcome, wiped) = erase_and_wipe(
            &mut store,
            now,
            &Forget {
                target: Forgettable::Person(id),
            },
        )
        .unwrap();
        assert_eq!(outcome.entry, None);
        assert!(
            outcome.message.contains("cannot be undone"),
            "{}",
            outcome.message
        );
        assert!(wiped.wal_truncated);
        let last = store.reader().last_live_entry().unwrap().unwrap();
        assert_eq!(Some(last.id), kept.entry, "Ana's entry went, Joan's stays");
        assert!(store.reader().person(id).unwrap().is_none());
    }
}
