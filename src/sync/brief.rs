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
/// (`sent`: the base's, the one being sent when a reply was lost, the notebook's now) is taken
/// off where it stands as a whole line — first or below a line another app put above it — with
/// the blank line after it; everything else is the meeting's text, never dropped. A line that
/// only looks like a brief (one edited on the phone, "(never seen, her boss is Dr. Vila)", or
/// a user's own "Brief 12 Jan · ..." paragraph) matches none we sent and is the user's text:
/// the meeting keeps it and the brief is sent again as ours.
pub fn split_description(
    description: Option<&str>,
    sent: &[Option<&str>],
) -> (Option<String>, Option<String>) {
    let Some(d) = description else {
        return (None, None);
    };
    let known: Vec<&str> = sent
        .iter()
        .flatten()
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
        .collect();
    let lines: Vec<&str> = d.split('\n').collect();
    let at = lines
        .iter()
        .position(|l| known.contains(&l.trim_end_matches('\r').trim()));
    let Some(at) = at else {
        return (None, some_text(Some(d)));
    };
    let brief = lines[at].trim_end_matches('\r').trim().to_string();
    let mut after = &lines[at + 1..];
    if after.first().is_some_and(|l| l.trim().is_empty()) {
        after = &after[1..];
    }
    let text: Vec<&str> = lines[..at].iter().chain(after).copied().collect();
    (Some(brief), some_text(Some(&text.join("\n"))))
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
        // Written on the brief's own line: the line is the user's, whole (a brief is only ever
        // taken off as a whole line).
        assert_eq!(
            split_description(Some(&format!("{BRIEF} — call Jordi first")), &briefs),
            (None, Some(format!("{BRIEF} — call Jordi first")))
        );
        // The brief deleted, text of the user's own.
        assert_eq!(
            split_description(Some("new text"), &briefs),
            (None, Some("new text".into()))
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

    /// Defect 1: a PUT that reached the server with its reply lost leaves there a brief longer
    /// than the base's; its tail is never read as the user's notes.
    #[test]
    fn a_longer_brief_than_the_one_known_is_never_cut_into_notes() {
        let b2 = format!("{BRIEF} · Red flags: no visit in 40 days");
        let there = format!("{b2}\n\nbring samples");
        let (brief, text) = split_description(Some(&there), &[Some(BRIEF)]);
        assert_eq!(brief, None);
        let text = text.unwrap();
        assert!(!text.starts_with('·'), "{text}");
        assert!(
            text.contains(&b2),
            "nothing of the server's text is dropped: {text}"
        );
        // With what was being sent recorded, the server's brief is known and comes off whole.
        assert_eq!(
            split_description(Some(&there), &[Some(BRIEF), Some(b2.as_str())]),
            (Some(b2.clone()), Some("bring samples".into()))
        );
    }

    /// Defect 2: text typed inside the brief, or a user's own paragraph that looks like one,
    /// is the user's and kept.
    #[test]
    fn a_brief_edited_on_the_phone_or_a_users_lookalike_is_kept() {
        let edited = "Brief 27 Nov · With Ana Puig (never seen, her boss is Dr. Vila)";
        assert_eq!(
            split_description(Some(&format!("{edited}\n\nbring samples")), &[Some(BRIEF)]),
            (None, Some(format!("{edited}\n\nbring samples")))
        );
        let own = "Brief 12 Jan · call the pharmacist first";
        assert_eq!(
            split_description(Some(&format!("{own}\n\nmore")), &[None]),
            (None, Some(format!("{own}\n\nmore")))
        );
        assert_eq!(
            split_description(Some(own), &[]),
            (None, Some(own.to_string()))
        );
    }

    /// Defect 3: a line above the brief (a meeting add-in's, the user's) leaves the brief
    /// recognised, and the text read back is stable when sent again.
    #[test]
    fn a_brief_below_another_line_comes_off_and_the_text_is_stable() {
        let briefs = [Some(BRIEF)];
        let there = format!("Join Zoom: https://zoom.us/j/1\n{BRIEF}\n\nbring samples");
        let (brief, text) = split_description(Some(&there), &briefs);
        assert_eq!(brief.as_deref(), Some(BRIEF));
        assert_eq!(
            text.as_deref(),
            Some("Join Zoom: https://zoom.us/j/1\nbring samples")
        );
        // Sent back (brief, blank line, text) and read again: the same text, not one more brief.
        let f = EventFields {
            brief: brief.clone(),
            description: text.clone(),
            ..sent()
        };
        assert_eq!(
            split_description(description_of(&f).as_deref(), &briefs),
            (brief, text)
        );
        // A brief followed by a single newline.
        assert_eq!(
            split_description(Some(&format!("{BRIEF}\nnotes")), &briefs),
            (Some(BRIEF.into()), Some("notes".into()))
        );
        // Windows line ends.
        assert_eq!(
            split_description(Some(&format!("{BRIEF}\r\n\r\nnotes")), &briefs),
            (Some(BRIEF.into()), Some("notes".into()))
        );
    }
}
