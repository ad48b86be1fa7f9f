//! Turning what the user typed into a record: `#a12` / `#p7` / `#12`, or a name matched
//! accent- and case-insensitively word by word. An exact full name wins; otherwise one match is
//! the answer and several are an error listing the candidates with their ids (exit 2).

use crate::domain::{Id, RecordKind, RecordRef};
use crate::store::{Candidate, Reader, TargetKind};

use super::CliError;

/// A resolved account, person or deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub id: Id,
    pub name: String,
}

impl Target {
    pub fn reference(&self) -> RecordRef {
        RecordRef::of(self.kind.record_kind(), self.id)
    }
}

fn kind_of(k: RecordKind) -> Option<TargetKind> {
    match k {
        RecordKind::Account => Some(TargetKind::Account),
        RecordKind::Person => Some(TargetKind::Person),
        RecordKind::Deal => Some(TargetKind::Deal),
        RecordKind::Interaction | RecordKind::FollowUp => None,
    }
}

fn nouns(kinds: &[TargetKind]) -> String {
    kinds
        .iter()
        .map(|k| k.record_kind().noun())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// "an account or a person".
fn with_articles(kinds: &[TargetKind]) -> String {
    kinds
        .iter()
        .map(|k| match k {
            TargetKind::Account => "an account",
            TargetKind::Person => "a person",
            TargetKind::Deal => "a deal",
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Finds the one record of `kinds` that `input` names.
pub fn resolve(reader: &Reader<'_>, input: &str, kinds: &[TargetKind]) -> Result<Target, CliError> {
    let shown = crate::text::sanitize_line(input);
    if let Some(r) = RecordRef::parse(input) {
        let candidates: Vec<TargetKind> = match r.kind {
            Some(k) => kind_of(k)
                .filter(|k| kinds.contains(k))
                .into_iter()
                .collect(),
            None => kinds.to_vec(),
        };
        if candidates.is_empty() {
            return Err(CliError::usage(format!(
                "\"{shown}\" is not {}",
                with_articles(kinds)
            )));
        }
        let mut found = Vec::new();
        for kind in candidates {
            if let Some(name) = reader.name_of(kind, r.id)? {
                found.push(Target {
                    kind,
                    id: r.id,
                    name,
                });
            }
        }
        return match found.len() {
            0 => Err(CliError::usage(format!("no {} {shown}", nouns(kinds)))),
            1 => Ok(found.remove(0)),
            _ => Err(CliError::usage(format!(
                "{shown} is ambiguous: {}; write it with its letter",
                found
                    .iter()
                    .map(|t| format!("{} {}", t.reference(), t.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        };
    }
    let matches = reader.match_names(kinds, input, 20)?;
    let exact: Vec<&Candidate> = matches.iter().filter(|c| c.exact).collect();
    let pick = |c: &Candidate| Target {
        kind: c.kind,
        id: c.id,
        name: c.name.clone(),
    };
    if exact.len() == 1 {
        return Ok(pick(exact[0]));
    }
    let pool: Vec<&Candidate> = if exact.is_empty() {
        matches.iter().collect()
    } else {
        exact
    };
    match pool.len() {
        0 => Err(CliError::usage(format!(
            "no {} matches \"{shown}\"; try fewer letters, or `kam {} list`",
            nouns(kinds),
            kinds.first().map_or("account", |k| k.record_kind().noun())
        ))),
        1 => Ok(pick(pool[0])),
        _ => {
            let list = pool
                .iter()
                .map(|c| {
                    let r = RecordRef::of(c.kind.record_kind(), c.id);
                    let name = crate::text::sanitize_line(&c.name);
                    match &c.context {
                        Some(ctx) => format!("  {r}  {name} ({})", crate::text::sanitize_line(ctx)),
                        None => format!("  {r}  {name}"),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            Err(CliError::usage(format!(
                "\"{shown}\" matches {} records; say which with its id or more of the name:\n{list}",
                pool.len()
            )))
        }
    }
}

/// Reads `#i55`, `#f9` or a bare `55` as an id of `kind`.
pub fn id_of(input: &str, kind: RecordKind) -> Result<Id, CliError> {
    let shown = crate::text::sanitize_line(input);
    let parsed = RecordRef::parse(input).or_else(|| {
        input
            .trim()
            .parse::<Id>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| RecordRef { kind: None, id })
    });
    match parsed {
        Some(RecordRef { kind: None, id }) => Ok(id),
        Some(RecordRef { kind: Some(k), id }) if k == kind => Ok(id),
        _ => Err(CliError::usage(format!(
            "\"{shown}\" is not a {} id; write it like #{}12 or 12",
            kind.noun(),
            kind.letter()
        ))),
    }
}
