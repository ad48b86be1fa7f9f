//! Which person an incoming vCard or CSV row is: one rule for both importers, so a re-import
//! updates the person it brought in before and never adds a second record for them.
//!
//! By uid; else by name key and e-mail when the file has an e-mail (a same-named person with
//! no e-mail yet, alone in the account, is the one: the file fills the e-mail in); else, when the
//! file has no e-mail, by name key alone when exactly one non-archived person has that name (in
//! the file's account, when it names one). More than one candidate is ambiguous: the row is
//! skipped and the candidates are named, never guessed.

use crate::domain::{Id, Person, RecordKind, RecordRef, Stamp};
use crate::store::{StoreError, Writer};

/// What the incoming row is.
#[derive(Debug)]
pub enum PersonMatch {
    /// This person, to be updated.
    Found(Box<(Person, Stamp)>),
    /// Nobody yet: a new person.
    New,
    /// Several people fit; their references and names (`#p3 Ana Ruiz`).
    Ambiguous(Vec<String>),
}

/// Matches a person by `uid`, `name`, `email` and the account the file names (`account`:
/// `Some(None)` when it names an account the notebook does not have yet).
pub fn match_person(
    w: &Writer<'_>,
    uid: Option<&str>,
    name: &str,
    email: Option<&str>,
    account: Option<Option<Id>>,
) -> Result<PersonMatch, StoreError> {
    if let Some(found) = uid.map(|u| w.person_by_uid(u)).transpose()?.flatten() {
        return Ok(PersonMatch::Found(Box::new(found)));
    }
    let named = w.people_named(name)?;
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(email) = email {
        if let Some(found) = named.iter().find(|(p, _)| {
            p.email
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
        }) {
            return Ok(PersonMatch::Found(Box::new(found.clone())));
        }
    }
    let candidates: Vec<&(Person, Stamp)> = named
        .iter()
        .filter(|(p, _)| p.archived_at.is_none())
        // With an e-mail in the file, only a person without one can be the same person.
        .filter(|(p, _)| email.is_none() || p.email.is_none())
        .filter(|(p, _)| match account {
            Some(a) => p.account == a,
            None => true,
        })
        .collect();
    Ok(match candidates.as_slice() {
        [] => PersonMatch::New,
        [one] => PersonMatch::Found(Box::new((*one).clone())),
        many => PersonMatch::Ambiguous(
            many.iter()
                .map(|(p, _)| {
                    format!(
                        "{} {}",
                        RecordRef::of(RecordKind::Person, p.id),
                        crate::text::sanitize_line(&p.name)
                    )
                })
                .collect(),
        ),
    })
}

/// The note for a skipped ambiguous row.
pub fn ambiguous_note(line: u64, name: &str, candidates: &[String]) -> String {
    format!(
        "line {line}: \"{}\" could be {}; the row was skipped (add a uid or an e-mail column to tell them apart)",
        crate::text::sanitize_line(name),
        candidates.join(" or ")
    )
}
