//! What `kam remind --within 15m` announces (issue 13.5): each planned meeting that starts
//! within the window, or — when its place's travel minutes are known — whose time to leave falls
//! within it (or has just passed while the meeting is still ahead: leave now). Each is
//! announced once: [`take_due`] claims what it returns in the notebook's `reminded` table in the
//! same transaction that finds it, so a timer running every minute (or two at once) never
//! repeats one; a meeting moved to another time is announced again.
//!
//! No clock here: `now` comes in. The texts are plain one-line data; the front sanitizes them.

use chrono::{DateTime, TimeDelta, TimeZone};

use crate::domain::{Timestamp, travel};
use crate::store::{ReminderKind, Store, StoreError, UpcomingMeeting};

/// The widest window, in minutes (a day).
pub const MAX_WITHIN_MINUTES: i64 = 24 * 60;
/// Most meetings looked at in one run.
const LOOK_AT: u32 = 200;

/// One announcement.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// The moment announced: the start, or the time to leave.
    pub due: Timestamp,
    pub start: Timestamp,
    /// "Comisión de Farmacia" (else the kind).
    pub what: String,
    /// "Hospital Clínic · Despacho 3", when known.
    pub place: Option<String>,
}

impl Reminder {
    /// The notification's title: "Leave by 08:35" or "09:00 in 12 min" (times in `now`'s zone).
    pub fn title<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        let hhmm = |t: &Timestamp| t.with_timezone(&now.timezone()).format("%H:%M").to_string();
        let minutes = (self.due.timestamp() - now.timestamp()).div_euclid(60);
        let when = match minutes {
            m if m <= 0 => "now".to_string(),
            m if m < 60 => format!("in {m} min"),
            m if m % 60 == 0 => format!("in {} h", m / 60),
            m => format!("in {} h {} min", m / 60, m % 60),
        };
        match self.kind {
            ReminderKind::Leave if minutes <= 0 => format!("Leave now (by {})", hhmm(&self.due)),
            ReminderKind::Leave => format!("Leave by {} ({when})", hhmm(&self.due)),
            ReminderKind::Start => format!("{} {when}", hhmm(&self.start)),
        }
    }

    /// The notification's body: "09:00 Comisión de Farmacia · Hospital Clínic · Despacho 3".
    pub fn body<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        let start = self.start.with_timezone(&now.timezone()).format("%H:%M");
        match &self.place {
            Some(p) => format!("{start} {} · {p}", self.what),
            None => format!("{start} {}", self.what),
        }
    }
}

/// What is due at `now` within `within`, not announced before: claimed (remembered as
/// announced) and returned, soonest first.
pub fn take_due<Tz: TimeZone>(
    store: &mut Store,
    now: &DateTime<Tz>,
    within: TimeDelta,
) -> Result<Vec<Reminder>, StoreError> {
    let at = now.fixed_offset();
    store.write(at, |w| {
        let due = due_at(
            &w.upcoming_meetings(
                now.timestamp(),
                now.timestamp() + within.num_seconds() + MAX_WITHIN_MINUTES * 60 + 1,
                LOOK_AT,
            )?,
            now.timestamp(),
            within,
        );
        let mut out = Vec::new();
        for (uid, r) in due {
            if w.remember_reminded(&uid, r.due.timestamp(), r.kind)? {
                out.push(r);
            }
        }
        Ok(out)
    })
}

/// The announcements `meetings` call for at `now` (unix seconds) within `within`, with the uid
/// of each meeting: the time to leave when it is known and the meeting still ahead, else the
/// start when it falls in `[now, now + within]`.
fn due_at(meetings: &[UpcomingMeeting], now: i64, within: TimeDelta) -> Vec<(String, Reminder)> {
    let end = now + within.num_seconds();
    let mut out: Vec<(String, Reminder)> = meetings
        .iter()
        .filter_map(|m| {
            let i = &m.interaction;
            let start = i.at.timestamp();
            if start < now {
                return None;
            }
            let leave = travel::leave_by_of(i, m.travel_minutes);
            let (kind, due) = match leave {
                Some(l) => (ReminderKind::Leave, l),
                None => (ReminderKind::Start, i.at),
            };
            if due.timestamp() > end {
                return None;
            }
            let place: Vec<&str> = [m.account_name.as_deref(), i.location.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            Some((
                i.uid.clone(),
                Reminder {
                    kind,
                    due,
                    start: i.at,
                    what: i.title.clone().unwrap_or_else(|| i.kind.to_string()),
                    place: (!place.is_empty()).then(|| place.join(" · ")),
                },
            ))
        })
        .collect();
    out.sort_by_key(|(_, r)| r.due);
    out
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::{Extra, Interaction, InteractionKind, InteractionStatus};

    fn at(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn upcoming(
        uid: &str,
        kind: InteractionKind,
        start: &str,
        travel: Option<u16>,
    ) -> UpcomingMeeting {
        UpcomingMeeting {
            interaction: Interaction {
                id: 1,
                uid: uid.into(),
                kind,
                at: at(start),
                end: None,
                account: Some(1),
                people: Vec::new(),
                title: Some(format!("Review {uid}")),
                body: None,
                location: Some("Room 3".into()),
                status: InteractionStatus::Planned,
                outcome: None,
                tags: Vec::new(),
                extra: Extra::new(),
            },
            account_name: Some("Clínic".into()),
            travel_minutes: travel,
        }
    }

    #[test]
    fn starts_and_times_to_leave_in_the_window_are_due() {
        let now = at("2026-12-07T08:20:00+01:00");
        let meetings = [
            // Leave by 08:35: in the window.
            upcoming(
                "a",
                InteractionKind::Meeting,
                "2026-12-07T09:00:00+01:00",
                Some(25),
            ),
            // A call has no travel: its start, 08:30, is in the window.
            upcoming(
                "b",
                InteractionKind::Call,
                "2026-12-07T08:30:00+01:00",
                Some(25),
            ),
            // Starts at 08:40 but no travel known: out of a 15-minute window.
            upcoming(
                "c",
                InteractionKind::Meeting,
                "2026-12-07T08:40:00+01:00",
                None,
            ),
            // Leave by 08:10 passed, meeting ahead: leave now.
            upcoming(
                "d",
                InteractionKind::Visit,
                "2026-12-07T08:50:00+01:00",
                Some(40),
            ),
            // Leave by 09:00: not yet.
            upcoming(
                "e",
                InteractionKind::Meeting,
                "2026-12-07T10:00:00+01:00",
                Some(60),
            ),
        ];
        let due = due_at(&meetings, now.timestamp(), TimeDelta::minutes(15));
        let got: Vec<(&str, ReminderKind, String)> = due
            .iter()
            .map(|(u, r)| (u.as_str(), r.kind, r.title(&now)))
            .collect();
        assert_eq!(
            got,
            [
                ("d", ReminderKind::Leave, "Leave now (by 08:10)".to_string()),
                ("b", ReminderKind::Start, "08:30 in 10 min".to_string()),
                (
                    "a",
                    ReminderKind::Leave,
                    "Leave by 08:35 (in 15 min)".to_string()
                ),
            ]
        );
        assert_eq!(due[2].1.body(&now), "09:00 Review a · Clínic · Room 3");
        let later = due_at(&meetings[4..], now.timestamp(), TimeDelta::hours(2));
        assert_eq!(later[0].1.title(&now), "Leave by 09:00 (in 40 min)");
        let far = due_at(&meetings[2..3], now.timestamp(), TimeDelta::hours(3));
        assert_eq!(far[0].1.title(&now), "08:40 in 20 min");
        let now = at("2026-12-07T06:40:00+01:00");
        let two_h = due_at(&meetings[2..3], now.timestamp(), TimeDelta::hours(3));
        assert_eq!(two_h[0].1.title(&now), "08:40 in 2 h");
    }
}
