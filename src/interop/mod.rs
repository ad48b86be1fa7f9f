//! Interop speaks the formats of other tools and of kamnote itself: JSON Lines (the lossless
//! interchange format of FORMAT.md), vCard (people), iCalendar (meetings and follow-ups), CSV
//! (spreadsheets) and Markdown (a dossier to read offline).
//!
//! Promises: an import is one transaction (all or nothing) and every error names the line and the
//! field; an export is a stream (nothing is held but the current record) that imports back into
//! the same notebook (JSON Lines) or into the other tool with the loss each format documents.
//! Each format keeps its pure reading and writing apart from the part that talks to the store.

pub mod contentline;
pub mod csv;
pub mod ics;
pub mod jsonl;
pub mod markdown;
pub mod matching;
pub mod subject;
pub mod vcard;

use std::collections::BTreeMap;
use std::io::Read;

use crate::domain::Timestamp;
use crate::store::{Store, StoreError, Writer};

pub use jsonl::ImportError;

/// Largest vCard, iCalendar or CSV file read (they are read whole): 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Longest physical line of a vCard, iCalendar or CSV file: 1 MiB (a note holds at most 1 MiB).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What an import of a foreign format did (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records new to the notebook, per record type.
    pub added: BTreeMap<&'static str, u64>,
    /// Records changed.
    pub updated: BTreeMap<&'static str, u64>,
    /// Records already as the file has them, or left out (each with a note when it matters).
    pub skipped: BTreeMap<&'static str, u64>,
    /// One line each about what the format could not bring in, or what was left out and why.
    pub notes: Vec<String>,
    /// Each record a line of this import named, with that line: a record a later line names
    /// again (its name in another case) is counted once ([`ImportReport::first`]).
    named: BTreeMap<(&'static str, crate::domain::Id), u64>,
}

impl ImportReport {
    pub fn add(&mut self, kind: &'static str) {
        *self.added.entry(kind).or_default() += 1;
    }
    pub fn update(&mut self, kind: &'static str) {
        *self.updated.entry(kind).or_default() += 1;
    }
    pub fn skip(&mut self, kind: &'static str) {
        *self.skipped.entry(kind).or_default() += 1;
    }

    /// Whether `line` is the first of this import to name `kind` record `id` (then it is to be
    /// counted); when a line before named it, a note says so and it is not counted again.
    pub fn first(&mut self, kind: &'static str, id: crate::domain::Id, line: u64) -> bool {
        if let Some(before) = self.named.get(&(kind, id)) {
            self.notes.push(format!(
                "line {line}: the same {kind} as line {before} (names match whatever their \
                 case): counted once, its values over that line's"
            ));
            return false;
        }
        self.named.insert((kind, id), line);
        true
    }

    /// `added 3 people, 1 account; updated nothing; skipped 2 people`.
    pub fn describe(&self) -> String {
        let part = |m: &BTreeMap<&'static str, u64>| {
            if m.is_empty() {
                "nothing".to_string()
            } else {
                m.iter()
                    .map(|(k, v)| crate::text::count_kind(*v, k))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        format!(
            "added {}; updated {}; skipped {}",
            part(&self.added),
            part(&self.updated),
            part(&self.skipped)
        )
    }
}

/// An error about `line` (and `field`) of an imported file.
pub fn line_error(line: u64, field: Option<&str>, message: impl Into<String>) -> ImportError {
    ImportError::Line {
        line,
        record: None,
        uid: None,
        field: field.map(str::to_string),
        message: message.into(),
    }
}

/// Reads a whole vCard, iCalendar or CSV file, refusing one over [`MAX_FILE_BYTES`] or with a
/// line over [`MAX_LINE_BYTES`] (the error names the line). `progress` hears bytes read.
pub fn read_limited(
    input: impl Read,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::new();
    let mut limited = input.take(MAX_FILE_BYTES + 1);
    let mut chunk = vec![0_u8; 1 << 20];
    loop {
        let n = limited.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress(bytes.len() as u64);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(line_error(
            1,
            None,
            format!(
                "the file is larger than {} MiB; split it into smaller files",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    if let Some(i) = bytes
        .split(|&b| b == b'\n')
        .position(|l| l.len() > MAX_LINE_BYTES)
    {
        return Err(line_error(
            i as u64 + 1,
            None,
            format!(
                "the line is longer than {} MiB; a field holds at most 1 MiB",
                MAX_LINE_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// The family name an import brings (a vCard N family part, a CSV "Last Name"): kept when it is
/// not what the name's last word gives anyway (then the person has none of their own); none
/// brought leaves the person's as it was.
pub fn take_family_name(person: &mut crate::domain::Person, family: Option<&str>) {
    let Some(family) = family.map(str::trim).filter(|f| !f.is_empty()) else {
        return;
    };
    person.family_name = (crate::domain::person_name::family_of(&person.name, None) != family)
        .then(|| family.to_string());
}

/// The account named `name` (accent- and case-insensitively), added when there is none.
pub fn find_or_add_account(
    w: &Writer<'_>,
    name: &str,
    report: &mut ImportReport,
) -> Result<crate::domain::Id, StoreError> {
    if let Some(id) = w.account_named(name)? {
        return Ok(id);
    }
    let a = crate::domain::Account {
        uid: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        ..crate::domain::Account::default()
    };
    let id = w.upsert_account(&a, None, None)?;
    report.add("account");
    Ok(id)
}

/// Runs an importer in one transaction: committed when it succeeds and `dry_run` is false,
/// rolled back otherwise (a dry run reports what would have been done).
pub fn in_one_transaction(
    store: &mut Store,
    now: Timestamp,
    dry_run: bool,
    f: impl FnOnce(&Writer<'_>) -> Result<ImportReport, ImportError>,
) -> Result<ImportReport, ImportError> {
    enum Stop {
        Failed(ImportError),
        DryRun(ImportReport),
    }
    impl From<StoreError> for Stop {
        fn from(e: StoreError) -> Self {
            Stop::Failed(ImportError::Store(e))
        }
    }
    store.use_bulk_cache()?;
    let result = store.try_write(now, |w| {
        // The full-text index is brought up to date once at the end, not row by row.
        let search = w.defer_search_index()?;
        let report = f(w).map_err(Stop::Failed)?;
        w.catch_up_search_index(search)?;
        if dry_run {
            Err(Stop::DryRun(report))
        } else {
            Ok(report)
        }
    });
    match result {
        Ok(r) | Err(Stop::DryRun(r)) => Ok(r),
        Err(Stop::Failed(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_refused_with_its_number() {
        let mut text = b"a\nb\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        text.extend_from_slice(b"\nc\n");
        let e = read_limited(&text[..], &mut |_| {}).expect_err("too long");
        assert_eq!(e.line(), Some(3));
        assert!(e.to_string().contains("longer than 1 MiB"), "{e}");
        assert!(read_limited(&b"a\nb"[..], &mut |_| {}).is_ok());
    }

    #[test]
    fn a_big_file_is_refused() {
        let big = std::io::repeat(b'\n').take(MAX_FILE_BYTES + 10);
        let e = read_limited(big, &mut |_| {}).expect_err("too big");
        assert!(e.to_string().contains("larger than 64 MiB"), "{e}");
    }
}
