//! How records are shown and typed: a kind letter and the id, `#a12` (account), `#p7` (person),
//! `#d3` (deal), `#i55` (interaction), `#f9` (follow-up); a bare `#12` where one kind fits.

use std::fmt;

use super::Id;

/// A record named by id, with the name to show: `{"id": 7, "name": "Hospital Clínic"}` (the
/// account of an agenda line, a search hit or a red flag).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Named {
    pub id: Id,
    pub name: String,
}

/// The kinds of record a user can point at by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Account,
    Person,
    Deal,
    Interaction,
    FollowUp,
}

impl RecordKind {
    pub fn letter(self) -> char {
        match self {
            RecordKind::Account => 'a',
            RecordKind::Person => 'p',
            RecordKind::Deal => 'd',
            RecordKind::Interaction => 'i',
            RecordKind::FollowUp => 'f',
        }
    }

    fn from_letter(c: char) -> Option<Self> {
        Some(match c.to_ascii_lowercase() {
            'a' => RecordKind::Account,
            'p' => RecordKind::Person,
            'd' => RecordKind::Deal,
            'i' => RecordKind::Interaction,
            'f' => RecordKind::FollowUp,
            _ => return None,
        })
    }

    /// The word used in messages ("account", "follow-up").
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Account => "account",
            RecordKind::Person => "person",
            RecordKind::Deal => "deal",
            RecordKind::Interaction => "interaction",
            RecordKind::FollowUp => "follow-up",
        }
    }
}

/// A typed `#a12` or bare `#12` reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRef {
    /// `None` for a bare `#12`.
    pub kind: Option<RecordKind>,
    pub id: Id,
}

impl RecordRef {
    /// Reads `#a12` or `#12`; the `#` is required, so that a name like "A1 Pharma" stays a name.
    pub fn parse(input: &str) -> Option<Self> {
        let rest = input.trim().strip_prefix('#')?;
        let (kind, digits) = match rest.chars().next()? {
            c if c.is_ascii_digit() => (None, rest),
            c => (Some(RecordKind::from_letter(c)?), &rest[c.len_utf8()..]),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: Id = digits.parse().ok()?;
        (id > 0).then_some(RecordRef { kind, id })
    }

    pub fn of(kind: RecordKind, id: Id) -> Self {
        RecordRef {
            kind: Some(kind),
            id,
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Some(k) => write!(f, "#{}{}", k.letter(), self.id),
            None => write!(f, "#{}", self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_and_bare_references() {
        assert_eq!(
            RecordRef::parse("#a12"),
            Some(RecordRef::of(RecordKind::Account, 12))
        );
        assert_eq!(
            RecordRef::parse("#F9"),
            Some(RecordRef::of(RecordKind::FollowUp, 9))
        );
        assert_eq!(
            RecordRef::parse("#7"),
            Some(RecordRef { kind: None, id: 7 })
        );
        for bad in [
            "a12",
            "#",
            "#a",
            "#x1",
            "#a1b",
            "#0",
            "#a99999999999999999999",
            "#é1",
        ] {
            assert_eq!(RecordRef::parse(bad), None, "{bad}");
        }
        assert_eq!(
            RecordRef::of(RecordKind::Interaction, 55).to_string(),
            "#i55"
        );
    }
}
