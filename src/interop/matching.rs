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
        "line {line}: \"{}\" could be {}; the row was skipped (a uid or an e-mail in the file tells them apart)",
        crate::text::sanitize_line(name),
        candidates.join(" or ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Account;
    use crate::store::Store;

    fn now() -> crate::domain::Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-11-27T08:00:00+01:00").expect("time")
    }

    fn person(uid: &str, name: &str, email: Option<&str>, account: Option<Id>) -> Person {
        Person {
            uid: uid.into(),
            name: name.into(),
            email: email.map(str::to_string),
            account,
            ..Person::default()
        }
    }

    /// What `match_person` says, as `found:<uid>`, `new` or `ambiguous:<n>`.
    fn said(
        store: &mut Store,
        uid: Option<&str>,
        name: &str,
        email: Option<&str>,
        account: Option<&str>,
    ) -> String {
        store
            .write(now(), |w| {
                let account = account.map(|a| w.account_named(a)).transpose()?;
                Ok(match match_person(w, uid, name, email, account)? {
                    PersonMatch::Found(found) => format!("found:{}", found.0.uid),
                    PersonMatch::New => "new".to_string(),
                    PersonMatch::Ambiguous(c) => format!("ambiguous:{}", c.join(",")),
                })
            })
            .expect("matches")
    }

    #[test]
    fn uid_then_email_then_the_one_person_of_that_name() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .write(now(), |w| {
                let acme = w.upsert_account(
                    &Account {
                        uid: "a1".into(),
                        name: "Acme".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                w.upsert_person(
                    &person("p1", "Carmen Ruiz", Some("c@acme.example"), Some(acme)),
                    None,
                    None,
                )?;
                w.upsert_person(&person("p2", "Li Wei", None, None), None, None)?;
                Ok(())
            })
            .expect("seeded");
        let s = &mut store;
        assert_eq!(said(s, Some("p2"), "Someone Else", None, None), "found:p2");
        assert_eq!(
            said(s, None, "CARMEN RUIZ", Some("C@acme.example"), None),
            "found:p1"
        );
        // No e-mail in the file: the one Carmen Ruiz, who has one since.
        assert_eq!(said(s, None, "Carmen Ruiz", None, None), "found:p1");
        assert_eq!(said(s, None, "Carmen Ruiz", None, Some("Acme")), "found:p1");
        // Named in another account, or with another e-mail: someone else.
        assert_eq!(said(s, None, "Carmen Ruiz", None, Some("Globex")), "new");
        assert_eq!(
            said(s, None, "Carmen Ruiz", Some("other@x.es"), None),
            "new"
        );
        // An e-mail in the file finds the same-named person who has none yet.
        assert_eq!(said(s, None, "Li Wei", Some("li@x.cn"), None), "found:p2");
        assert_eq!(said(s, None, "Nobody", None, None), "new");
    }

    #[test]
    fn two_people_of_that_name_are_named_never_guessed() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .write(now(), |w| {
                w.upsert_person(&person("p1", "Ana Ruiz", None, None), None, None)?;
                w.upsert_person(&person("p2", "Ana Ruiz", Some("a@x.es"), None), None, None)?;
                Ok(())
            })
            .expect("seeded");
        assert_eq!(
            said(&mut store, None, "Ana Ruiz", None, None),
            "ambiguous:#p1 Ana Ruiz,#p2 Ana Ruiz"
        );
        // The e-mail tells them apart.
        assert_eq!(
            said(&mut store, None, "Ana Ruiz", Some("a@x.es"), None),
            "found:p2"
        );
        assert_eq!(
            ambiguous_note(
                4,
                "Ana Ruiz",
                &["#p1 Ana Ruiz".into(), "#p2 Ana Ruiz".into()]
            ),
            "line 4: \"Ana Ruiz\" could be #p1 Ana Ruiz or #p2 Ana Ruiz; the row was skipped \
             (a uid or an e-mail in the file tells them apart)"
        );
    }
}
