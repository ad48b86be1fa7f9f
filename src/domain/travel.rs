//! Getting there on time (issue 13.5): the travel minutes of a place, and the "leave by" moment
//! of a meeting held there. A meeting is held at its account (the place), so the account's
//! `travel_minutes` apply to its in-person meetings (meeting, visit, event); a call is taken
//! wherever the KAM is, so it has no leave-by.

use chrono::TimeDelta;

use super::{Interaction, InteractionKind, Invalid, Timestamp};

/// The longest travel time kept: a whole day, in minutes.
pub const MAX_TRAVEL_MINUTES: u16 = 24 * 60;

/// Whether meetings of `kind` need the KAM to go somewhere.
pub fn travels(kind: InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::Meeting | InteractionKind::Visit | InteractionKind::Event
    )
}

/// When to leave for a meeting of `kind` starting at `start`, held at a place `travel_minutes`
/// away; `None` when the travel time is not known, is zero, or the kind does not travel.
pub fn leave_by(
    kind: InteractionKind,
    start: &Timestamp,
    travel_minutes: Option<u16>,
) -> Option<Timestamp> {
    let minutes = travel_minutes.filter(|m| *m > 0 && travels(kind))?;
    start.checked_sub_signed(TimeDelta::minutes(i64::from(minutes)))
}

/// [`leave_by`] for a stored meeting.
pub fn leave_by_of(meeting: &Interaction, travel_minutes: Option<u16>) -> Option<Timestamp> {
    leave_by(meeting.kind, &meeting.at, travel_minutes)
}

/// Checks a travel time: at most [`MAX_TRAVEL_MINUTES`].
pub fn check_travel(field: &str, minutes: u16) -> Result<(), Invalid> {
    if minutes > MAX_TRAVEL_MINUTES {
        return Err(Invalid::new(
            field,
            format!("{minutes} minutes is more than a day; give at most 24h, e.g. 25m or 1h30"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    fn at(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn leave_by_is_the_start_less_the_travel_for_in_person_kinds_only() {
        let start = at("2026-12-07T09:00:00+01:00");
        assert_eq!(
            leave_by(InteractionKind::Meeting, &start, Some(25)),
            Some(at("2026-12-07T08:35:00+01:00"))
        );
        assert_eq!(
            leave_by(InteractionKind::Visit, &start, Some(90)),
            Some(at("2026-12-07T07:30:00+01:00"))
        );
        assert_eq!(leave_by(InteractionKind::Call, &start, Some(25)), None);
        assert_eq!(leave_by(InteractionKind::Meeting, &start, Some(0)), None);
        assert_eq!(leave_by(InteractionKind::Meeting, &start, None), None);
    }

    #[test]
    fn a_travel_time_over_a_day_is_refused_naming_the_field() {
        assert!(check_travel("travel", MAX_TRAVEL_MINUTES).is_ok());
        let e = check_travel("travel", MAX_TRAVEL_MINUTES + 1).unwrap_err();
        assert_eq!(e.field, "travel");
        assert!(e.problem.contains("25m"), "{}", e.problem);
    }
}
