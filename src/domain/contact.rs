//! What counts as contact with a person (issue 14.1). An interaction lists who took part and who
//! was only named in it; for each person it is one of:
//!
//! | the person, on a done interaction | kind | counts as |
//! |---|---|---|
//! | took part | meeting, visit, call, meal, event | **seen** |
//! | took part | email, message | **touch** |
//! | took part | note | neither (a note is what the KAM wrote, not a contact) |
//! | only mentioned (`@name`, hearsay) | any | neither |
//! | anyone, on a planned or cancelled interaction | any | neither |
//!
//! *Last seen* (the column `last_contact` of people and accounts) drives the cadence, the red flags
//! and the agenda's due list; *last touch* (`last_touch`) is the latest contact of either kind,
//! shown beside it ("seen 2 months ago, e-mailed 3 days ago"). An account is seen when a seen
//! kind of interaction took place with it, whoever took part, and touched likewise.

use super::{InteractionKind, InteractionStatus, Participation};

/// What an interaction was, as contact, for one person (or for its account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactWeight {
    /// Not a contact: a note, a mention, a plan, a cancellation.
    Neither,
    /// Reached, not met: an e-mail or a message.
    Touch,
    /// Met: took part in a meeting, visit, call, meal or event.
    Seen,
}

/// Kinds whose participants are *seen*, as the SQL of the store spells them.
pub const SEEN_KINDS: &[InteractionKind] = &[
    InteractionKind::Meeting,
    InteractionKind::Visit,
    InteractionKind::Call,
    InteractionKind::Meal,
    InteractionKind::Event,
];

/// Kinds whose participants are only *touched*.
pub const TOUCH_KINDS: &[InteractionKind] = &[InteractionKind::Email, InteractionKind::Message];

/// What a `kind` of interaction in `status` was for a person who is on it as `part`.
pub fn weight(
    kind: InteractionKind,
    status: InteractionStatus,
    part: Participation,
) -> ContactWeight {
    if status != InteractionStatus::Done || part != Participation::Participant {
        return ContactWeight::Neither;
    }
    kind_weight(kind)
}

/// What a done interaction of `kind` is for its account (and for those who took part).
pub fn kind_weight(kind: InteractionKind) -> ContactWeight {
    if SEEN_KINDS.contains(&kind) {
        ContactWeight::Seen
    } else if TOUCH_KINDS.contains(&kind) {
        ContactWeight::Touch
    } else {
        ContactWeight::Neither
    }
}

/// The people of an interaction as stored: who took part, then who was only mentioned (a person
/// in both lists took part). A note has no participants: the people it is about are mentioned.
pub fn parts(
    kind: InteractionKind,
    people: &[super::Id],
    mentioned: &[super::Id],
) -> Vec<(super::Id, Participation)> {
    let mut out: Vec<(super::Id, Participation)> = Vec::new();
    let took_part = if kind == InteractionKind::Note {
        Participation::Mentioned
    } else {
        Participation::Participant
    };
    for &p in people {
        if !out.iter().any(|(q, _)| *q == p) {
            out.push((p, took_part));
        }
    }
    for &p in mentioned {
        if !out.iter().any(|(q, _)| *q == p) {
            out.push((p, Participation::Mentioned));
        }
    }
    out
}

/// The last-contact fact of a dossier: "last seen 3 days ago", followed by " · last touch
/// today" when an e-mail or message came after; `since` words a time (`None`: never).
pub fn last_contacts_line(
    seen: Option<i64>,
    touch: Option<i64>,
    since: impl Fn(Option<i64>) -> String,
) -> String {
    match touch {
        Some(t) if seen.is_none_or(|s| t > s) => {
            format!("last seen {} · last touch {}", since(seen), since(touch))
        }
        _ => format!("last seen {}", since(seen)),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use InteractionKind as K;
    use InteractionStatus as S;
    use Participation as P;

    #[rstest]
    #[case(K::Meeting, S::Done, P::Participant, ContactWeight::Seen)]
    #[case(K::Visit, S::Done, P::Participant, ContactWeight::Seen)]
    #[case(K::Call, S::Done, P::Participant, ContactWeight::Seen)]
    #[case(K::Meal, S::Done, P::Participant, ContactWeight::Seen)]
    #[case(K::Event, S::Done, P::Participant, ContactWeight::Seen)]
    #[case(K::Email, S::Done, P::Participant, ContactWeight::Touch)]
    #[case(K::Message, S::Done, P::Participant, ContactWeight::Touch)]
    #[case(K::Note, S::Done, P::Participant, ContactWeight::Neither)]
    // Hearsay: "Rosa says @mendoza will object".
    #[case(K::Note, S::Done, P::Mentioned, ContactWeight::Neither)]
    #[case(K::Meeting, S::Done, P::Mentioned, ContactWeight::Neither)]
    #[case(K::Email, S::Done, P::Mentioned, ContactWeight::Neither)]
    #[case(K::Meeting, S::Cancelled, P::Participant, ContactWeight::Neither)]
    #[case(K::Meal, S::Planned, P::Participant, ContactWeight::Neither)]
    fn what_counts_as_contact(
        #[case] kind: InteractionKind,
        #[case] status: InteractionStatus,
        #[case] part: Participation,
        #[case] expected: ContactWeight,
    ) {
        assert_eq!(weight(kind, status, part), expected);
    }

    #[test]
    fn every_kind_has_one_weight_and_seen_kinds_are_scheduled() {
        for kind in <K as super::super::Vocabulary>::ALL {
            let seen = SEEN_KINDS.contains(kind);
            let touch = TOUCH_KINDS.contains(kind);
            assert!(!(seen && touch), "{kind}");
            assert_eq!(seen, kind.is_scheduled(), "{kind}");
        }
    }

    #[test]
    fn a_dossier_says_last_seen_and_a_later_touch() {
        let words = |t: Option<i64>| t.map_or("never".to_string(), |t| format!("at {t}"));
        assert_eq!(last_contacts_line(None, None, words), "last seen never");
        assert_eq!(
            last_contacts_line(Some(5), Some(5), words),
            "last seen at 5"
        );
        assert_eq!(
            last_contacts_line(Some(5), Some(9), words),
            "last seen at 5 · last touch at 9"
        );
        assert_eq!(
            last_contacts_line(None, Some(9), words),
            "last seen never · last touch at 9"
        );
    }

    #[test]
    fn a_person_in_both_lists_took_part_and_a_note_has_no_participants() {
        assert_eq!(
            parts(K::Meeting, &[1, 2], &[2, 3, 3]),
            [(1, P::Participant), (2, P::Participant), (3, P::Mentioned)]
        );
        assert_eq!(
            parts(K::Note, &[1], &[3]),
            [(1, P::Mentioned), (3, P::Mentioned)]
        );
    }
}
