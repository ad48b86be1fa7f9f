//! Writing the notebook's people (archived ones left out) as vCards, streamed.

use std::io::Write;

use crate::domain::Person;
use crate::interop::jsonl::ExportError;
use crate::store::Reader;

use super::{Card, Version, write_card};

/// The card a person becomes (their account's name as ORG).
pub fn card_of(p: &Person, account: Option<String>) -> Card {
    Card {
        line: 0,
        uid: Some(p.uid.clone()),
        name: p.name.clone(),
        salutation: p.salutation.clone(),
        family: p.family_name.clone(),
        org: account,
        title: p.title.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        birthday: p.birthday,
        note: p.personal.clone(),
        categories: p.tags.clone(),
        ..Card::default()
    }
}

/// Writes every person who is not archived; returns how many. Their personal notes (the card's
/// NOTE) go only when `personal` (`--include-personal`, issue 15): a card ends up in phones
/// and shared address books.
pub fn export(
    reader: &Reader<'_>,
    out: &mut dyn Write,
    version: Version,
    personal: bool,
) -> Result<u64, ExportError> {
    let mut n = 0;
    let mut buf = String::new();
    reader.each_person_with_account(|p, stamp, account| -> Result<(), ExportError> {
        if p.archived_at.is_some() {
            return Ok(());
        }
        buf.clear();
        let mut card = card_of(&p, account);
        if !personal {
            card.note = None;
        }
        write_card(&mut buf, &card, version, Some(stamp.updated_at));
        out.write_all(buf.as_bytes())?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}
