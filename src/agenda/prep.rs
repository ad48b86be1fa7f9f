//! Meeting prep: for a meeting, who is coming and where each relationship stands, how long the
//! account has been silent, the promises open around it, and the deal at stake — the one line a
//! KAM reads before walking in. Also the next meeting (`kam next`, the agenda's countdown).
//!
//! Like [`super::build`], nothing here reads the clock: "now" comes in, with its time zone.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, TimeZone};
use serde::Serialize;

use crate::domain::{BuyingRole, Id, InteractionStatus, PersonStage};
use crate::store::{Reader, StoreError};

use super::{Meeting, flag_overlaps, meeting};

/// How far ahead [`next_meeting`] looks.
pub const NEXT_LOOKAHEAD_DAYS: u64 = 14;

const DAY_SECS: i64 = 86_400;

/// A person at the meeting and where the relationship stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendeePrep {
    pub id: Id,
    pub name: String,
    pub stage: Option<PersonStage>,
    pub role: Option<BuyingRole>,
    /// Whole days since the last done interaction; `None` = never in touch.
    pub days_since_contact: Option<i64>,
}

/// The deal at stake: the account's biggest open deal, as the store reads it.
pub use crate::store::DealInPlay as DealAtStake;

/// What to know before a meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingPrep {
    pub people: Vec<AttendeePrep>,
    /// Whole days since the account's last done interaction; `None` = never, or no account.
    pub account_days_since_contact: Option<i64>,
    /// Open follow-ups of the account, its people and the attendees.
    pub open_promises: u32,
    /// Of those, past due.
    pub overdue_promises: u32,
    pub deal: Option<DealAtStake>,
    /// The account's red flags, worst first (`crate::flags`).
    pub red_flags: Vec<crate::flags::RedFlag>,
}

/// Calendar days (in the zone of `now`) since `last`, in unix seconds.
fn days_since<Tz: TimeZone>(now: &DateTime<Tz>, last: Option<i64>) -> Option<i64> {
    last.and_then(|t| super::days_since(&now.timezone(), now.date_naive(), t))
}

/// The prep of `meeting` as seen at `now`, its red flags judged by the user's `cadence`.
pub fn prep<Tz: TimeZone>(
    reader: &Reader<'_>,
    meeting: &Meeting,
    now: &DateTime<Tz>,
    cadence: &crate::config::CadenceConfig,
) -> Result<MeetingPrep, StoreError> {
    prep_with(reader, meeting, now, cadence, &mut FlagMemo::new())
}

/// Red flags already judged, by account: an agenda's meetings often share an account, and its
/// flags (a walk of its key people) are the dearest read of a prep.
type FlagMemo = std::collections::HashMap<Id, Vec<crate::flags::RedFlag>>;

fn prep_with<Tz: TimeZone>(
    reader: &Reader<'_>,
    meeting: &Meeting,
    now: &DateTime<Tz>,
    cadence: &crate::config::CadenceConfig,
    memo: &mut FlagMemo,
) -> Result<MeetingPrep, StoreError> {
    let mut people = Vec::with_capacity(meeting.people.len());
    for a in &meeting.people {
        let person = reader.attendee_facts(a.id)?;
        people.push(AttendeePrep {
            id: a.id,
            // As they are addressed: "Dra. Carmen Peña" (issue 14.7).
            name: person.as_ref().map_or_else(
                || a.name.clone(),
                |p| crate::domain::person_name::addressed(p.salutation.as_deref(), &p.name),
            ),
            stage: person.as_ref().and_then(|p| p.stage),
            role: person.as_ref().and_then(|p| p.role),
            days_since_contact: days_since(now, person.and_then(|p| p.last_contact)),
        });
    }
    let account = meeting.account.as_ref().map(|a| a.id);
    let account_days_since_contact = match account {
        Some(id) => days_since(now, reader.account_last_contact(id)?),
        None => None,
    };
    let ids: Vec<Id> = meeting.people.iter().map(|p| p.id).collect();
    let promises = reader.open_promises(account, &ids, now.date_naive(), &now.timezone())?;
    let deal = match account {
        Some(id) => reader.biggest_open_deal(id)?,
        None => None,
    };
    let red_flags = match account {
        Some(id) => {
            if let Some(flags) = memo.get(&id) {
                flags.clone()
            } else {
                let flags = crate::flags::for_account(reader, id, now, cadence)?;
                memo.insert(id, flags.clone());
                flags
            }
        }
        None => Vec::new(),
    };
    Ok(MeetingPrep {
        people,
        account_days_since_contact,
        open_promises: promises.open,
        overdue_promises: promises.overdue,
        deal,
        red_flags,
    })
}

/// The first planned meeting, visit, call or event starting at or after `now`, within
/// [`NEXT_LOOKAHEAD_DAYS`], with its prep.
pub fn next_meeting<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    cadence: &crate::config::CadenceConfig,
) -> Result<Option<(Meeting, MeetingPrep)>, StoreError> {
    let from = now.timestamp();
    let to = from + i64::try_from(NEXT_LOOKAHEAD_DAYS).unwrap_or(14) * DAY_SECS;
    let mut meetings: Vec<Meeting> = reader
        .scheduled_between(from, to, super::MEETING_LIMIT)?
        .into_iter()
        .map(meeting)
        .collect();
    flag_overlaps(&mut meetings);
    let Some(next) = meetings
        .into_iter()
        .find(|m| m.status == InteractionStatus::Planned)
    else {
        return Ok(None);
    };
    let mut next = next;
    super::TravelTimes::default().set_leave_by(reader, &mut next)?;
    let prep = prep(reader, &next, now, cadence)?;
    Ok(Some((next, prep)))
}

/// How far away `start` is, as a status line says it: "now", "in 42 min", "in 3 h 5 min" (later
/// today, or within the hour), "tomorrow 09:00", "Mon 09:00" (this week), "Mon 7 Dec 09:00".
pub fn countdown<Tz: TimeZone>(start: &DateTime<Tz>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let minutes = (start.timestamp() - now.timestamp()).div_euclid(60);
    let local = start.with_timezone(&now.timezone());
    let today = now.date_naive();
    let day = local.date_naive();
    match minutes {
        m if m <= 0 => "now".to_string(),
        m if m < 60 => format!("in {m} min"),
        m if day == today => match m % 60 {
            0 => format!("in {} h", m / 60),
            r => format!("in {} h {r} min", m / 60),
        },
        _ if today.checked_add_days(Days::new(1)) == Some(day) => {
            format!("tomorrow {}", local.format("%H:%M"))
        }
        _ if (day - today).num_days() < 7 => local.format("%a %H:%M").to_string(),
        _ => format!(
            "{} {} {}",
            local.format("%a"),
            day.day(),
            local.format("%b %H:%M")
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::CadenceConfig;
    use crate::domain::DealStage;
    use chrono::{FixedOffset, NaiveDate, Utc};
    use rstest::rstest;

    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[rstest]
    #[case("2026-11-27T09:18:00+01:00", "2026-11-27T10:00:00+01:00", "in 42 min")]
    #[case("2026-11-27T10:00:00+01:00", "2026-11-27T10:00:00+01:00", "now")]
    #[case("2026-11-27T09:59:30+01:00", "2026-11-27T10:00:00+01:00", "now")]
    #[case(
        "2026-11-27T06:55:00+01:00",
        "2026-11-27T10:00:00+01:00",
        "in 3 h 5 min"
    )]
    #[case("2026-11-27T07:00:00+01:00", "2026-11-27T10:00:00+01:00", "in 3 h")]
    #[case("2026-11-27T23:40:00+01:00", "2026-11-28T00:20:00+01:00", "in 40 min")]
    #[case(
        "2026-11-27T18:00:00+01:00",
        "2026-11-28T09:00:00+01:00",
        "tomorrow 09:00"
    )]
    #[case("2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00", "Mon 09:00")]
    #[case(
        "2026-11-27T18:00:00+01:00",
        "2026-12-07T09:00:00+01:00",
        "Mon 7 Dec 09:00"
    )]
    fn countdown_reads_like_a_status_line(
        #[case] now: &str,
        #[case] start: &str,
        #[case] expected: &str,
    ) {
        assert_eq!(countdown(&t(start), &t(now)), expected);
    }

    #[test]
    fn countdown_speaks_in_the_zone_of_now() {
        // 08:00 UTC is 09:00 in Madrid: "tomorrow 09:00" there.
        let now = t("2026-11-27T18:00:00+01:00");
        let start = Utc.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap();
        assert_eq!(
            countdown(&start.with_timezone(now.offset()), &now),
            "tomorrow 09:00"
        );
    }

    use crate::domain::{
        Account, Deal, Due, Extra, FollowUp, FollowUpStatus, Interaction, InteractionKind, Person,
    };
    use crate::store::Store;

    fn meeting_at(uid: &str, at: &str, status: InteractionStatus) -> Interaction {
        Interaction {
            id: 0,
            uid: uid.into(),
            kind: InteractionKind::Meeting,
            at: t(at),
            end: None,
            account: None,
            people: Vec::new(),
            mentioned: Vec::new(),
            title: Some(uid.into()),
            body: None,
            location: None,
            status,
            outcome: None,
            tags: Vec::new(),
            extra: Extra::new(),
        }
    }

    fn promise(uid: &str, account: Option<Id>, person: Option<Id>, due: &str) -> FollowUp {
        FollowUp {
            id: 0,
            uid: uid.into(),
            text: uid.into(),
            due: Due::Day(NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap()),
            account,
            person,
            deal: None,
            interaction: None,
            repeat: None,
            status: FollowUpStatus::Open,
            done_at: None,
            priority: None,
            extra: Extra::new(),
        }
    }

    /// Monday 2 March 2026, 09:18 in Madrid.
    fn now() -> DateTime<FixedOffset> {
        t("2026-03-02T09:18:00+01:00")
    }

    #[test]
    #[allow(clippy::too_many_lines)] // one scenario, set up and read top to bottom
    fn the_next_meeting_comes_with_its_prep() {
        let mut s = Store::open_in_memory().unwrap();
        let earlier = t("2026-02-27T10:00:00+01:00");
        let (account, carmen, ivan) = s
            .write(earlier, |w| {
                let account = w.upsert_account(
                    &Account {
                        uid: "a1".into(),
                        name: "Hospital Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                let carmen = w.upsert_person(
                    &Person {
                        uid: "p1".into(),
                        name: "Dra. Carmen Peña".into(),
                        account: Some(account),
                        stage: Some(PersonStage::Close),
                        role: Some(BuyingRole::EconomicBuyer),
                        ..Person::default()
                    },
                    None,
                    None,
                )?;
                let ivan = w.upsert_person(
                    &Person {
                        uid: "p2".into(),
                        name: "Iván".into(),
                        account: Some(account),
                        ..Person::default()
                    },
                    None,
                    None,
                )?;
                // Seen three days ago (Friday 27 February, 09:00).
                w.upsert_interaction(
                    &Interaction {
                        account: Some(account),
                        people: vec![carmen],
                        ..meeting_at(
                            "visit",
                            "2026-02-27T09:00:00+01:00",
                            InteractionStatus::Done,
                        )
                    },
                    None,
                    None,
                )?;
                for f in [
                    promise("f1", Some(account), None, "2026-02-20"),
                    promise("f2", Some(account), Some(carmen), "2026-03-10"),
                ] {
                    w.upsert_followup(&f, None, None)?;
                }
                for (uid, title, value, stage) in [
                    (
                        "d1",
                        "Tender Lote 3",
                        1_200_000.0,
                        Some(DealStage::Negotiation),
                    ),
                    ("d2", "Small order", 900.0, None),
                ] {
                    w.upsert_deal(
                        &Deal {
                            id: 0,
                            uid: uid.into(),
                            account,
                            title: title.into(),
                            kind: None,
                            stage,
                            value: Some(value),
                            currency: Some("EUR".into()),
                            probability: None,
                            close: None,
                            commission_rate: None,
                            milestones: Vec::new(),
                            notes: None,
                            extra: Extra::new(),
                        },
                        None,
                        None,
                    )?;
                }
                // Already begun, cancelled, then the one that is next.
                for (uid, at, status) in [
                    (
                        "begun",
                        "2026-03-02T09:00:00+01:00",
                        InteractionStatus::Planned,
                    ),
                    (
                        "cancelled",
                        "2026-03-02T09:30:00+01:00",
                        InteractionStatus::Cancelled,
                    ),
                    (
                        "review",
                        "2026-03-02T10:00:00+01:00",
                        InteractionStatus::Planned,
                    ),
                ] {
                    w.upsert_interaction(
                        &Interaction {
                            account: Some(account),
                            people: vec![carmen, ivan],
                            ..meeting_at(uid, at, status)
                        },
                        None,
                        None,
                    )?;
                }
                Ok((account, carmen, ivan))
            })
            .unwrap();

        let (meeting, prep) = next_meeting(&s.reader(), &now(), &CadenceConfig::default())
            .unwrap()
            .unwrap();
        assert_eq!(meeting.title.as_deref(), Some("review"));
        assert_eq!(countdown(&meeting.start, &now()), "in 42 min");
        assert_eq!(
            prep.people,
            [
                AttendeePrep {
                    id: carmen,
                    name: "Dra. Carmen Peña".into(),
                    stage: Some(PersonStage::Close),
                    role: Some(BuyingRole::EconomicBuyer),
                    days_since_contact: Some(3),
                },
                AttendeePrep {
                    id: ivan,
                    name: "Iván".into(),
                    stage: None,
                    role: None,
                    days_since_contact: None,
                },
            ]
        );
        assert_eq!(prep.account_days_since_contact, Some(3));
        assert_eq!((prep.open_promises, prep.overdue_promises), (2, 1));
        let deal = prep.deal.unwrap();
        assert_eq!(
            (deal.title.as_str(), deal.stage, deal.value),
            (
                "Tender Lote 3",
                Some(DealStage::Negotiation),
                Some(1_200_000.0)
            )
        );
        assert_eq!(account, meeting.account.unwrap().id);

        // Past the last one: nothing within two weeks.
        let later = t("2026-03-02T10:00:01+01:00");
        assert!(
            next_meeting(&s.reader(), &later, &CadenceConfig::default())
                .unwrap()
                .is_none()
        );
        // A meeting 15 days out is beyond the look-ahead; 13 days out is found.
        s.write(later, |w| {
            w.upsert_interaction(
                &meeting_at(
                    "far",
                    "2026-03-17T10:00:01+01:00",
                    InteractionStatus::Planned,
                ),
                None,
                None,
            )
        })
        .unwrap();
        assert!(
            next_meeting(&s.reader(), &later, &CadenceConfig::default())
                .unwrap()
                .is_none()
        );
        let (m, p) = next_meeting(
            &s.reader(),
            &t("2026-03-04T10:00:00+01:00"),
            &CadenceConfig::default(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("far"));
        assert_eq!(
            (
                p.people.len(),
                p.open_promises,
                p.deal,
                p.account_days_since_contact
            ),
            (0, 0, None, None)
        );
    }
}

/// A meeting's prep on one line: "⚑2 · Dra. Carmen Peña (close, 3d) · 2 promises open (1
/// overdue) · Tender Lote 3 · negotiation · 1.2M EUR" (⚑ and how many red flags the account has,
/// first so that a cut line still shows it); `None` when there is nothing to say.
impl MeetingPrep {
    pub fn summary(&self) -> Option<String> {
        let prep = self;
        let mut parts = Vec::new();
        let people: Vec<String> = prep
            .people
            .iter()
            .map(|p| {
                let since = match p.days_since_contact {
                    Some(d) => format!("{d}d"),
                    None => "never seen".to_string(),
                };
                match p.stage {
                    Some(stage) => format!("{} ({stage}, {since})", p.name),
                    None => format!("{} ({since})", p.name),
                }
            })
            .collect();
        if !people.is_empty() {
            parts.push(people.join(", "));
        } else if let Some(d) = prep.account_days_since_contact {
            parts.push(format!("last contact {d}d ago"));
        }
        if prep.open_promises > 0 {
            let noun = if prep.open_promises == 1 {
                "promise"
            } else {
                "promises"
            };
            let mut promises = format!("{} {noun} open", prep.open_promises);
            if prep.overdue_promises > 0 {
                let _ = write!(promises, " ({} overdue)", prep.overdue_promises);
            }
            parts.push(promises);
        }
        if let Some(deal) = &prep.deal {
            parts.push(deal.title.clone());
            if let Some(stage) = deal.stage {
                parts.push(stage.to_string());
            }
            if let Some(v) = deal.value {
                parts.push(crate::money::format_money_compact(
                    v,
                    deal.currency.as_deref(),
                ));
            }
        }
        // First, so that a narrow terminal that cuts the line still shows it.
        if let Some(badge) = crate::flags::badge(&prep.red_flags) {
            parts.insert(0, badge);
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The prep of every planned meeting of `agenda`, by meeting id: what the CLI and the TUI show
/// under each meeting (a few indexed reads per meeting).
pub fn preps<Tz: TimeZone>(
    reader: &Reader<'_>,
    agenda: &super::Agenda,
    now: &DateTime<Tz>,
    cadence: &crate::config::CadenceConfig,
) -> Result<std::collections::HashMap<crate::domain::Id, MeetingPrep>, StoreError> {
    let mut out = std::collections::HashMap::new();
    // One `now`, so one day: an account's flags are judged once for all its meetings.
    let mut memo = FlagMemo::new();
    for m in agenda.days.iter().flat_map(|d| &d.meetings) {
        if m.status == crate::domain::InteractionStatus::Planned {
            out.insert(m.id, prep_with(reader, m, now, cadence, &mut memo)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod summary_tests {
    use super::{AttendeePrep, DealAtStake, MeetingPrep};
    use crate::domain::{DealStage, PersonStage};

    #[test]
    fn a_prep_line_says_who_promises_and_the_deal() {
        let mut prep = MeetingPrep {
            people: vec![AttendeePrep {
                id: 1,
                name: "Dra. Carmen Peña".into(),
                stage: Some(PersonStage::Close),
                role: None,
                days_since_contact: Some(3),
            }],
            account_days_since_contact: Some(3),
            open_promises: 2,
            overdue_promises: 1,
            deal: Some(DealAtStake {
                id: 4,
                title: "Tender Lote 3".into(),
                stage: Some(DealStage::Negotiation),
                value: Some(1_200_000.0),
                currency: Some("EUR".into()),
                close: None,
            }),
            red_flags: Vec::new(),
        };
        assert_eq!(
            prep.summary().unwrap(),
            "Dra. Carmen Peña (close, 3d) · 2 promises open (1 overdue) · Tender Lote 3 · \
             negotiation · 1.2M EUR"
        );
        let flag = crate::flags::RedFlag {
            kind: crate::flags::RedFlagKind::NoCoach,
            severity: 2,
            text: "No coach".into(),
            person: None,
        };
        prep.red_flags = vec![flag.clone(), flag];
        assert!(
            prep.summary()
                .unwrap()
                .starts_with("⚑2 · Dra. Carmen Peña (close, 3d)")
        );
        prep.red_flags.clear();
        prep.people.clear();
        prep.open_promises = 1;
        prep.overdue_promises = 0;
        prep.deal = None;
        assert_eq!(
            prep.summary().unwrap(),
            "last contact 3d ago · 1 promise open"
        );
        prep.open_promises = 0;
        prep.account_days_since_contact = None;
        assert_eq!(prep.summary(), None);
    }
}
