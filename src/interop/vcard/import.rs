//! Bringing cards into the notebook through the store's writer: match (the one rule of
//! `interop::matching`), merge the fields a card carries, create or match the account by name.

use crate::domain::Person;
use crate::interop::matching::PersonMatch;
use crate::interop::{ImportError, ImportReport, line_error};
use crate::store::Writer;

use super::Card;

/// Longest UID taken as a person's uid (longer ones are matched by name and email instead).
const MAX_UID_BYTES: usize = 128;

/// Writes `cards` through `w` (the caller's one transaction) and reports what it did.
pub fn import(
    w: &Writer<'_>,
    cards: &[Card],
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let mut dropped = std::collections::BTreeMap::<String, u64>::new();
    for (i, card) in cards.iter().enumerate() {
        if i % 500 == 0 {
            progress(i as u64);
        }
        report.notes.extend(card.notes.iter().cloned());
        for (k, v) in &card.dropped {
            *dropped.entry(k.clone()).or_default() += v;
        }
        match card.kind.as_deref() {
            Some("org" | "organization") => organisation(w, card, &mut report)?,
            Some(kind @ ("group" | "location")) => {
                report.skip("card");
                report.notes.push(format!(
                    "line {}: \"{}\" is a KIND:{kind} card, not a person: skipped",
                    card.line,
                    crate::text::sanitize_line(&card.name)
                ));
            }
            _ => one(w, card, &mut report)?,
        }
    }
    if !dropped.is_empty() {
        report.notes.push(format!(
            "not kept (kamnote has no field for them): {}",
            dropped
                .iter()
                .map(|(k, v)| format!("{k} ×{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(report)
}

/// A `KIND:org` card: the account of that name (its ORG, else its FN), added when new; no
/// person is made of it.
fn organisation(w: &Writer<'_>, card: &Card, report: &mut ImportReport) -> Result<(), ImportError> {
    let name = card.org.as_deref().unwrap_or(&card.name);
    if w.account_named(name)?.is_some() {
        report.skip("account");
        return Ok(());
    }
    crate::interop::find_or_add_account(w, name, report).map_err(|e| match e {
        crate::store::StoreError::Invalid(inv) => {
            line_error(card.line, Some(&inv.field), inv.problem)
        }
        other => ImportError::Store(other),
    })?;
    Ok(())
}

fn usable_uid(card: &Card) -> Option<&str> {
    card.uid
        .as_deref()
        .filter(|u| !u.is_empty() && u.len() <= MAX_UID_BYTES && !u.chars().any(char::is_control))
}

fn one(w: &Writer<'_>, card: &Card, report: &mut ImportReport) -> Result<(), ImportError> {
    let field_error = |e: crate::store::StoreError| match e {
        crate::store::StoreError::Invalid(inv) => {
            line_error(card.line, Some(&inv.field), inv.problem)
        }
        other => ImportError::Store(other),
    };
    let named_account = match &card.org {
        Some(org) => Some(w.account_named(org)?),
        None => None,
    };
    let existing = match crate::interop::matching::match_person(
        w,
        usable_uid(card),
        &card.name,
        card.email.as_deref(),
        named_account,
    )? {
        PersonMatch::Found(found) => Some(*found),
        PersonMatch::New => None,
        PersonMatch::Ambiguous(candidates) => {
            report.skip("person");
            report.notes.push(crate::interop::matching::ambiguous_note(
                card.line,
                &card.name,
                &candidates,
            ));
            return Ok(());
        }
    };
    let account = match &card.org {
        Some(org) => {
            Some(crate::interop::find_or_add_account(w, org, report).map_err(field_error)?)
        }
        None => None,
    };
    let mut person = match &existing {
        Some((p, _)) => p.clone(),
        None => Person {
            uid: usable_uid(card).map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string),
            ..Person::default()
        },
    };
    // What the card carries replaces the field; what it lacks leaves the field alone.
    person.name.clone_from(&card.name);
    crate::interop::take_family_name(&mut person, card.family.as_deref());
    if account.is_some() {
        person.account = account;
    }
    let keep = |field: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            field.clone_from(value);
        }
    };
    keep(&mut person.salutation, &card.salutation);
    keep(&mut person.title, &card.title);
    keep(&mut person.phone, &card.phone);
    keep(&mut person.email, &card.email);
    keep(&mut person.personal, &card.note);
    if card.birthday.is_some() {
        person.birthday = card.birthday;
    }
    for c in &card.categories {
        if !person.tags.contains(c) {
            person.tags.push(c.clone());
        }
    }
    match existing {
        Some((before, _)) if before == person => report.skip("person"),
        Some(_) => {
            w.upsert_person(&person, None, None).map_err(field_error)?;
            report.update("person");
        }
        None => {
            w.upsert_person(&person, None, None).map_err(field_error)?;
            report.add("person");
        }
    }
    Ok(())
}
