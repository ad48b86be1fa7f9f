//! What a synced meeting's event carries beyond the meeting (issue 13.4), as an exported event
//! does (`crate::interop::ics::meeting_event`): LOCATION with the account and the place, and
//! DESCRIPTION led by the one-line phone brief — and taking both off again when the event comes
//! back, so they are never read as an edit made on the phone.
//!
//! The rule chosen: the event's fields keep the meeting's own place and text apart from what we
//! add ([`EventFields::shown_location`], [`EventFields::brief`]). The base records what we sent,
//! added parts included, so a brief that changed here (the days since last seen grow every day,
//! a promise is kept, a red flag appears) is re-sent as our change — it is ours, and a stale
//! brief on the phone is the one thing it must not be. What comes back is stripped of what we
//! sent before it is compared with the base: the added parts are never taken from the server,
//! never become a note and never make a conflict, whatever they say; only the meeting's own
//! place and text are merged. Text written on the phone around the brief (after it, or instead
//! of it) is the meeting's text, never lost.

use crate::interop::ics::place_from_location;
use crate::prep::phone::is_phone_brief;
use crate::store::AccountPlace;

use super::fields::{EventFields, some_text};

/// The DESCRIPTION of an event: the brief, a blank line, the meeting's own text.
pub fn description_of(f: &EventFields) -> Option<String> {
    match (f.brief.as_deref(), f.description.as_deref()) {
        (Some(b), Some(text)) => Some(format!("{b}\n\n{text}")),
        (Some(b), None) => Some(b.to_string()),
        (None, text) => text.map(str::to_string),
    }
}

/// The LOCATION of an event: the account and the place when we add them, else the place.
pub fn location_of(f: &EventFields) -> Option<String> {
    f.shown_location.clone().or_else(|| f.location.clone())
}

/// Splits a DESCRIPTION read back into (the brief, the meeting's own text): a brief we sent
/// (`sent`; the longest that fits) at its head is taken off with the blank line after it; text written
/// after it, on its line or below, is the meeting's. Without one we know, a first paragraph
/// that is a brief of another day (a sync killed between sending and recording) is taken off
/// the same way; anything else is all the meeting's text.
pub fn split_description(
    description: Option<&str>,
    sent: &[Option<&str>],
) -> (Option<String>, Option<String>) {
    let Some(d) = description else {
        return (None, None);
    };
    // The longest first: yesterday's brief may be today's with a promise more.
    let mut known: Vec<&str> = sent.iter().flatten().copied().collect();
    known.sort_by_key(|b| std::cmp::Reverse(b.len()));
    for b in known {
        if let Some(rest) = d.strip_prefix(b) {
            return (Some(b.to_string()), some_text(Some(rest)));
        }
    }
    if let Some((first, rest)) = d.split_once("\n\n") {
        if is_phone_brief(first) {
            return (Some(first.to_string()), some_text(Some(rest)));
        }
    } else if is_phone_brief(d) {
        return (Some(d.to_string()), None);
    }
    (None, some_text(Some(d)))
}

/// The meeting's own place in a LOCATION read back: what we sent (`sent`) gives back the place
/// it was made from; else the account's lead we add is taken off (`place_from_location`).
pub fn split_location(
    location: Option<&str>,
    sent: &[&EventFields],
    account: Option<&AccountPlace>,
    current: Option<&str>,
) -> Option<String> {
    let l = location?;
    if let Some(s) = sent
        .iter()
        .rev()
        .find(|s| s.shown_location.as_deref() == Some(l))
    {
        return s.location.clone();
    }
    some_text(place_from_location(l, account, current, true).as_deref())
}

/// An event as read from the server (its LOCATION and DESCRIPTION as written there) in the
/// notebook's terms: the meeting's own place and text, and apart, what it carries of ours.
/// `sent` are the fields we sent it with (the base, the notebook's now), `account` the place of
/// the meeting's account.
pub fn as_ours(
    raw: &EventFields,
    sent: &[&EventFields],
    account: Option<&AccountPlace>,
) -> EventFields {
    let current = sent.last().and_then(|s| s.location.as_deref());
    let briefs: Vec<Option<&str>> = sent.iter().map(|s| s.brief.as_deref()).collect();
    let (brief, description) = split_description(raw.description.as_deref(), &briefs);
    EventFields {
        location: split_location(raw.location.as_deref(), sent, account, current),
        shown_location: raw.location.clone(),
        description,
        brief,
        ..raw.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clinic() -> AccountPlace {
        AccountPlace {
            name: "Hospital Clínic".into(),
            address: Some("C/ Villarroel 170".into()),
            city: Some("Barcelona".into()),
            travel_minutes: None,
        }
    }

    const BRIEF: &str = "Brief 27 Nov · With Ana Puig (never seen)";

    fn sent() -> EventFields {
        EventFields {
            summary: "Pilot review".into(),
            start: 0,
            end: None,
            location: Some("Room 3".into()),
            description: Some("bring samples".into()),
            cancelled: false,
            shown_location: Some("Hospital Clínic · Room 3".into()),
            brief: Some(BRIEF.into()),
        }
    }

    #[test]
    fn what_we_sent_reads_back_as_the_meeting_and_our_parts() {
        let s = sent();
        let raw = EventFields {
            location: location_of(&s),
            description: description_of(&s),
            shown_location: None,
            brief: None,
            ..s.clone()
        };
        assert_eq!(
            raw.description.as_deref(),
            Some(format!("{BRIEF}\n\nbring samples").as_str())
        );
        assert_eq!(as_ours(&raw, &[&s], Some(&clinic())), s);
    }

    #[test]
    fn text_written_on_the_phone_is_the_meetings_and_the_brief_never_is() {
        let s = sent();
        let briefs = [s.brief.as_deref()];
        // Written below the brief, or replacing what was there.
        assert_eq!(
            split_description(Some(&format!("{BRIEF}\n\nthey want 5% off")), &briefs),
            (Some(BRIEF.into()), Some("they want 5% off".into()))
        );
        // Written on the brief's own line.
        assert_eq!(
            split_description(Some(&format!("{BRIEF} — call Jordi first")), &briefs),
            (Some(BRIEF.into()), Some("— call Jordi first".into()))
        );
        // The brief deleted, text of the user's own.
        assert_eq!(
            split_description(Some("new text"), &briefs),
            (None, Some("new text".into()))
        );
        // A brief of another day (a sync killed before recording what it sent) is ours too.
        let old = "Brief 25 Nov · With Ana Puig (never seen)";
        assert_eq!(
            split_description(Some(&format!("{old}\n\nnotes")), &briefs),
            (Some(old.into()), Some("notes".into()))
        );
        // A note that merely begins with the word is the user's.
        assert_eq!(
            split_description(Some("Brief chat with Ana"), &briefs),
            (None, Some("Brief chat with Ana".into()))
        );
        assert_eq!(
            split_description(Some(BRIEF), &briefs),
            (Some(BRIEF.into()), None)
        );
        // What we sent had a promise more than the brief now: the longer one is taken off,
        // never its tail read as the user's text.
        let longer = format!("{BRIEF} · Open: we owe the prices by Mon 30 Nov");
        assert_eq!(
            split_description(
                Some(&format!("{longer}\n\nbring samples")),
                &[Some(longer.as_str()), Some(BRIEF)]
            ),
            (Some(longer.clone()), Some("bring samples".into()))
        );
    }

    #[test]
    fn a_place_changed_on_the_phone_loses_the_account_we_add() {
        let s = sent();
        let a = clinic();
        assert_eq!(
            split_location(
                Some("Hospital Clínic · Room 9"),
                &[&s],
                Some(&a),
                Some("Room 3")
            )
            .as_deref(),
            Some("Room 9")
        );
        assert_eq!(
            split_location(Some("Café Zurich"), &[&s], Some(&a), Some("Room 3")).as_deref(),
            Some("Café Zurich")
        );
        assert_eq!(
            split_location(Some("Hospital Clínic"), &[&s], Some(&a), Some("Room 3")),
            None
        );
    }
}
