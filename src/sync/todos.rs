//! Where a to-do made on the phone belongs, when that can be told honestly: its summary
//! mentions one known person (`@Ana`, `@#p2`, resolved as a note's mentions are), else names
//! one known person by their full name, else one account by its name. Anything less — nobody
//! named, a mention that is unknown or ambiguous, two people or two accounts named — places it
//! nowhere, and the sync reports it instead of guessing.

use crate::capture::mention::{Resolved, resolve_mentions};
use crate::domain::Id;
use crate::store::{Reader, StoreError};
use crate::text::{fold, sanitize_line};

/// Accounts looked at by name.
const ACCOUNTS: u32 = 100_000;

/// Where a phone's to-do goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TodoPlace {
    /// On this person (and their account), or on this account alone.
    On {
        account: Option<Id>,
        person: Option<Id>,
    },
    /// Nowhere: why, for the report.
    Nowhere(String),
}

/// Whether the folded `name` stands in the folded `text` as whole words.
fn names(text: &str, name: &str) -> bool {
    !name.is_empty() && format!(" {text} ").contains(&format!(" {name} "))
}

/// Where the to-do `summary` goes.
pub(super) fn place(r: &Reader<'_>, summary: &str) -> Result<TodoPlace, StoreError> {
    let mentioned = resolve_mentions(r, summary)?;
    if !mentioned.is_empty() {
        let mut people: Vec<Id> = Vec::new();
        for m in &mentioned {
            match &m.resolved {
                Resolved::Person { id, .. } => {
                    if !people.contains(id) {
                        people.push(*id);
                    }
                }
                _ => return Ok(TodoPlace::Nowhere(m.describe())),
            }
        }
        return Ok(match people.as_slice() {
            [one] => on_person(r, *one)?,
            _ => TodoPlace::Nowhere("it mentions several people".into()),
        });
    }
    let text = fold(summary);
    let mut people = Vec::new();
    r.each_person_with_account(|p, _, _| -> Result<(), StoreError> {
        if p.archived_at.is_none() && names(&text, &fold(&p.name)) {
            people.push((p.id, p.name));
        }
        Ok(())
    })?;
    match people.as_slice() {
        [(one, _)] => return on_person(r, *one),
        [] => {}
        many => {
            let named: Vec<String> = many
                .iter()
                .map(|(id, n)| format!("#p{id} {}", sanitize_line(n)))
                .collect();
            return Ok(TodoPlace::Nowhere(format!(
                "it names {} people ({}); write @#p{} for one",
                many.len(),
                named.join(", "),
                many[0].0
            )));
        }
    }
    let accounts: Vec<_> = r
        .accounts(ACCOUNTS, 0)?
        .into_iter()
        .filter(|a| names(&text, &fold(&a.name)))
        .collect();
    Ok(match accounts.as_slice() {
        [one] => TodoPlace::On {
            account: Some(one.id),
            person: None,
        },
        [] => TodoPlace::Nowhere("it names no known person or account".into()),
        _ => TodoPlace::Nowhere("it names several accounts".into()),
    })
}

fn on_person(r: &Reader<'_>, id: Id) -> Result<TodoPlace, StoreError> {
    let account = r.person(id)?.and_then(|(p, _)| p.account);
    Ok(TodoPlace::On {
        account,
        person: Some(id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Account, Person};
    use crate::store::Store;

    fn notebook() -> (Store, Id, Id, Id) {
        let mut s = Store::open_in_memory().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00+01:00").unwrap();
        let ids = s
            .write(now, |w| {
                let account = |uid: &str, name: &str| {
                    w.upsert_account(
                        &Account {
                            uid: uid.into(),
                            name: name.into(),
                            ..Account::default()
                        },
                        None,
                        None,
                    )
                };
                let clinic = account("a1", "Hospital Clínic")?;
                account("a2", "Farmacia Sol")?;
                let person = |uid: &str, name: &str| {
                    w.upsert_person(
                        &Person {
                            uid: uid.into(),
                            name: name.into(),
                            account: Some(clinic),
                            ..Person::default()
                        },
                        None,
                        None,
                    )
                };
                let ana = person("p1", "Ana Puig")?;
                let jordi = person("p2", "Jordi Vila")?;
                person("p3", "Jordi Vilaró")?;
                Ok((clinic, ana, jordi))
            })
            .unwrap();
        (s, ids.0, ids.1, ids.2)
    }

    #[test]
    fn a_phone_todo_goes_where_it_names_one_and_nowhere_else() {
        let (s, clinic, ana, jordi) = notebook();
        let r = s.reader();
        let on = |account, person| TodoPlace::On { account, person };
        assert_eq!(
            place(&r, "Send @Ana the prices").unwrap(),
            on(Some(clinic), Some(ana))
        );
        assert_eq!(
            place(&r, "call jordi vila about lot 3").unwrap(),
            on(Some(clinic), Some(jordi)),
            "a full name, accents and case aside; not Jordi Vilaró"
        );
        assert_eq!(
            place(&r, "Samples for hospital clinic").unwrap(),
            on(Some(clinic), None)
        );
        // Not placed: a first name alone, an ambiguous mention, two people, nobody.
        for (text, why) in [
            ("Call Ana", "no known person"),
            ("Call @Jordi", "matches 2 people"),
            ("Ana Puig and Jordi Vila lunch", "names 2 people"),
            ("Buy milk", "no known person"),
            ("Farmacia Sol or Hospital Clínic", "several accounts"),
        ] {
            match place(&r, text).unwrap() {
                TodoPlace::Nowhere(w) => assert!(w.contains(why), "{text}: {w}"),
                other @ TodoPlace::On { .. } => panic!("{text}: placed {other:?}"),
            }
        }
    }
}
