//! `build` over an in-memory notebook with a fixed clock: overdue against today, month and year
//! ends, leap days, a DST change, overlaps, and the bounds of a long range.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use chrono_tz::Europe::Madrid;
use chrono_tz::Tz;
use rstest::rstest;

use super::*;
use crate::domain::{
    Account, Deal, Extra, FollowUpStatus, Interaction, InteractionKind, Obligation, Person, Tier,
};
use crate::store::Store;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// `y-m-d h:min` on the wall clock in Madrid.
fn madrid(s: &str) -> DateTime<Tz> {
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    Madrid.from_local_datetime(&naive).earliest().unwrap()
}

/// Friday 27 November 2026, 09:00 in Madrid.
fn now() -> DateTime<Tz> {
    madrid("2026-11-27 09:00")
}

/// A notebook written to at a fixed time.
struct Nb {
    store: Store,
    n: u32,
}

impl Nb {
    fn new() -> Self {
        Nb {
            store: Store::open_in_memory().unwrap(),
            n: 0,
        }
    }

    fn uid(&mut self) -> String {
        self.n += 1;
        format!("u{}", self.n)
    }

    fn account(&mut self, name: &str, tier: Option<Tier>) -> Id {
        let a = Account {
            uid: self.uid(),
            name: name.into(),
            tier,
            ..Account::default()
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_account(&a, None, None))
            .unwrap()
    }

    fn person(&mut self, p: Person) -> Id {
        let p = Person {
            uid: self.uid(),
            ..p
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_person(&p, None, None))
            .unwrap()
    }

    fn birthday(&mut self, name: &str, birthday: &str) -> Id {
        self.person(Person {
            name: name.into(),
            birthday: Some(birthday.parse().unwrap()),
            ..Person::default()
        })
    }

    fn interaction(&mut self, i: Interaction) -> Id {
        let i = Interaction {
            uid: self.uid(),
            ..i
        };
        self.store
            .write(now().fixed_offset(), |w| {
                w.upsert_interaction(&i, None, None)
            })
            .unwrap()
    }

    fn meeting(&mut self, start: &str, end: Option<&str>, status: InteractionStatus) -> Id {
        self.interaction(Interaction {
            id: 0,
            uid: String::new(),
            kind: InteractionKind::Meeting,
            at: t(start),
            end: end.map(t),
            account: None,
            people: Vec::new(),
            mentioned: Vec::new(),
            title: Some(start.into()),
            body: None,
            location: None,
            status,
            outcome: None,
            tags: Vec::new(),
            extra: Extra::new(),
        })
    }

    fn followup(&mut self, text: &str, due: &str) -> Id {
        let f = FollowUp {
            id: 0,
            uid: self.uid(),
            text: text.into(),
            due: Due::Day(day(due)),
            account: None,
            person: None,
            deal: None,
            interaction: None,
            repeat: None,
            status: FollowUpStatus::Open,
            done_at: None,
            priority: None,
            extra: Extra::new(),
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_followup(&f, None, None))
            .unwrap()
    }

    fn build_at<Tz: TimeZone>(&self, now: &DateTime<Tz>, from: &str, days: u32) -> Agenda {
        build(
            &self.store.reader(),
            now,
            day(from),
            days,
            &Cadence::default(),
        )
        .unwrap()
    }

    fn build(&self, from: &str, days: u32) -> Agenda {
        self.build_at(&now(), from, days)
    }
}

/// Where a follow-up shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Overdue,
    Day(usize),
    Nowhere,
}
use Place::{Day, Nowhere, Overdue};

fn place(a: &Agenda, text: &str) -> Place {
    if a.overdue.iter().any(|f| f.text == text) {
        return Overdue;
    }
    a.days
        .iter()
        .position(|d| d.followups.iter().any(|f| f.text == text))
        .map_or(Nowhere, Day)
}

fn item<'a>(a: &'a Agenda, text: &str) -> &'a FollowUpItem {
    a.overdue
        .iter()
        .chain(a.days.iter().flat_map(|d| &d.followups))
        .find(|f| f.text == text)
        .unwrap()
}

// Today is Friday 27 November 2026.
#[rstest]
#[case::yesterday_is_overdue("2026-11-27", 1, "2026-11-26", Overdue, 1)]
#[case::a_year_late("2026-11-27", 1, "2025-11-27", Overdue, 365)]
#[case::today_is_due_today("2026-11-27", 1, "2026-11-27", Day(0), 0)]
#[case::tomorrow_is_not_in_a_day("2026-11-27", 1, "2026-11-28", Nowhere, 0)]
#[case::tomorrow_in_a_week("2026-11-27", 7, "2026-11-28", Day(1), -1)]
// A range in the future: what is due between today and its start is neither overdue nor shown.
#[case::future_range_yesterday_still_overdue("2026-11-30", 1, "2026-11-26", Overdue, 1)]
#[case::future_range_today_not_overdue("2026-11-30", 1, "2026-11-27", Nowhere, 0)]
#[case::future_range_before_start_not_overdue("2026-11-30", 1, "2026-11-29", Nowhere, 0)]
#[case::future_range_first_day("2026-11-30", 1, "2026-11-30", Day(0), -3)]
// A range in the past: late items show on their own days, counted from today.
#[case::past_range_before_it("2026-11-20", 7, "2026-11-19", Overdue, 8)]
#[case::past_range_inside_it("2026-11-20", 7, "2026-11-22", Day(2), 5)]
fn follow_ups_are_overdue_only_before_today_and_the_range(
    #[case] from: &str,
    #[case] days: u32,
    #[case] due: &str,
    #[case] expected: Place,
    #[case] days_overdue: i64,
) {
    let mut nb = Nb::new();
    nb.followup("promise", due);
    let a = nb.build(from, days);
    assert_eq!(place(&a, "promise"), expected);
    if expected != Nowhere {
        assert_eq!(item(&a, "promise").days_overdue, days_overdue);
    }
    assert!(a.overdue.iter().all(|f| f.days_overdue > 0));
}

#[rstest]
#[case::open("open", Overdue)]
#[case::done("done", Nowhere)]
#[case::snoozed_to_tomorrow("snoozed", Day(1))]
fn done_and_snoozed_follow_ups_leave_the_overdue_list(#[case] what: &str, #[case] expected: Place) {
    let mut nb = Nb::new();
    let id = nb.followup("promise", "2026-11-20");
    let today = now().date_naive();
    nb.store
        .write(now().fixed_offset(), |w| match what {
            "done" => w.complete_followup(id, 1, today, &Madrid).map(|_| ()),
            "snoozed" => w.snooze_followup(id, 1, Due::Day(day("2026-11-28"))),
            _ => Ok(()),
        })
        .unwrap();
    assert_eq!(place(&nb.build("2026-11-27", 2), "promise"), expected);
}

#[rstest]
#[case::january_end("2026-01-30", 3, "2026-01-31", Day(1), "2026-02-01")]
#[case::into_march_common_year("2026-02-27", 3, "2026-03-01", Day(2), "2026-03-01")]
#[case::into_march_leap_year("2028-02-28", 3, "2028-02-29", Day(1), "2028-03-01")]
#[case::year_end("2026-12-30", 5, "2027-01-01", Day(2), "2027-01-03")]
#[case::after_the_range("2026-04-29", 2, "2026-05-01", Nowhere, "2026-04-30")]
fn days_run_over_month_and_year_ends(
    #[case] from: &str,
    #[case] days: u32,
    #[case] due: &str,
    #[case] index: Place,
    #[case] last: &str,
) {
    let mut nb = Nb::new();
    nb.followup("promise", due);
    // Seen from before the range, so nothing is overdue.
    let a = nb.build_at(&madrid("2026-01-01 09:00"), from, days);
    assert_eq!(a.to, day(last));
    assert_eq!(a.days.last().unwrap().date, day(last));
    assert_eq!(place(&a, "promise"), index);
}

#[rstest]
// Across the year end: 30 Dec 2026 + 5 days runs to 3 Jan 2027.
#[case::new_years_eve("2026-12-30", 5, "1970-12-31", Some(("2026-12-31", Some(56))))]
#[case::first_of_january("2026-12-30", 5, "1990-01-01", Some(("2027-01-01", Some(37))))]
#[case::last_day_of_the_range("2026-12-30", 5, "--01-03", Some(("2027-01-03", None)))]
#[case::just_after_the_range("2026-12-30", 5, "1990-01-04", None)]
#[case::just_before_the_range("2026-12-30", 5, "1990-12-29", None)]
// 29 February: on the day in a leap year, on the 28th in a common one.
#[case::leap_day_in_a_leap_year("2028-02-27", 4, "1984-02-29", Some(("2028-02-29", Some(44))))]
#[case::leap_day_in_a_common_year("2027-02-27", 3, "1984-02-29", Some(("2027-02-28", Some(43))))]
#[case::leap_day_when_the_range_ends_on_the_28th(
    "2027-02-20",
    9,
    "1984-02-29",
    Some(("2027-02-28", Some(43)))
)]
#[case::leap_day_not_twice_in_a_leap_year("2028-02-28", 1, "1984-02-29", None)]
fn birthdays_fall_on_their_day(
    #[case] from: &str,
    #[case] days: u32,
    #[case] birthday: &str,
    #[case] expected: Option<(&str, Option<i32>)>,
) {
    let mut nb = Nb::new();
    nb.birthday("Someone", birthday);
    let a = nb.build(from, days);
    let seen: Vec<_> = a
        .days
        .iter()
        .flat_map(|d| d.birthdays.iter().map(move |b| (d.date, b.date, b.turns)))
        .collect();
    match expected {
        Some((on, turns)) => assert_eq!(seen, [(day(on), day(on), turns)]),
        None => assert!(seen.is_empty(), "{seen:?}"),
    }
}

#[rstest]
// Spring forward in Madrid on 29 March 2026: 02:00 CET becomes 03:00 CEST.
#[case::ten_local_on_the_change_day("2026-03-29", "2026-03-29T10:00:00+02:00", true)]
#[case::just_after_midnight("2026-03-29", "2026-03-29T00:30:00+01:00", true)]
#[case::just_after_the_jump("2026-03-29", "2026-03-29T03:00:00+02:00", true)]
#[case::late_the_evening_before("2026-03-28", "2026-03-28T23:30:00+01:00", true)]
#[case::not_the_evening_before("2026-03-29", "2026-03-28T23:30:00+01:00", false)]
#[case::not_the_next_midnight("2026-03-29", "2026-03-30T00:00:00+02:00", false)]
// Fall back on 25 October 2026: 03:00 CEST becomes 02:00 CET; the day has 25 hours.
#[case::the_repeated_hour("2026-10-25", "2026-10-25T02:30:00+01:00", true)]
#[case::late_on_the_long_day("2026-10-25", "2026-10-25T23:30:00+01:00", true)]
#[case::not_after_the_long_day("2026-10-25", "2026-10-26T00:10:00+01:00", false)]
fn a_meeting_lands_on_its_local_day_across_dst(
    #[case] on: &str,
    #[case] start: &str,
    #[case] expected: bool,
) {
    let mut nb = Nb::new();
    let id = nb.meeting(start, None, InteractionStatus::Planned);
    let seen_from = madrid(&format!("{on} 08:00"));
    let a = nb.build_at(&seen_from, on, 1);
    let ids: Vec<_> = a.days[0].meetings.iter().map(|m| m.id).collect();
    assert_eq!(ids == [id], expected, "{ids:?}");
    if expected {
        let local = a.days[0].meetings[0].start.with_timezone(&Madrid);
        assert_eq!(local.date_naive(), day(on));
    }
}

#[rstest]
#[case::overlapping(("10:00", Some("11:00")), ("10:30", Some("11:30")), true)]
#[case::back_to_back(("10:00", Some("11:00")), ("11:00", Some("12:00")), false)]
#[case::inside(("10:00", Some("12:00")), ("10:30", Some("10:45")), true)]
#[case::no_end_lasts_half_an_hour(("10:00", None), ("10:20", Some("10:40")), true)]
#[case::no_end_over_by_then(("10:00", None), ("10:30", None), false)]
fn overlapping_meetings_are_flagged(
    #[case] first: (&str, Option<&str>),
    #[case] second: (&str, Option<&str>),
    #[case] overlap: bool,
) {
    let mut nb = Nb::new();
    let ts = |hm: &str| format!("2026-11-27T{hm}:00+01:00");
    for (start, end) in [first, second] {
        nb.meeting(
            &ts(start),
            end.map(ts).as_deref(),
            InteractionStatus::Planned,
        );
    }
    let a = nb.build("2026-11-27", 1);
    let flags: Vec<_> = a.days[0].meetings.iter().map(|m| m.overlaps).collect();
    assert_eq!(flags, [overlap, overlap]);
}

#[test]
fn a_cancelled_meeting_neither_overlaps_nor_is_overlapped() {
    let mut nb = Nb::new();
    nb.meeting(
        "2026-11-27T10:00:00+01:00",
        Some("2026-11-27T11:00:00+01:00"),
        InteractionStatus::Planned,
    );
    nb.meeting(
        "2026-11-27T10:30:00+01:00",
        Some("2026-11-27T11:30:00+01:00"),
        InteractionStatus::Cancelled,
    );
    let a = nb.build("2026-11-27", 1);
    let flags: Vec<_> = a.days[0]
        .meetings
        .iter()
        .map(|m| (m.status, m.overlaps))
        .collect();
    assert_eq!(
        flags,
        [
            (InteractionStatus::Planned, false),
            (InteractionStatus::Cancelled, false)
        ]
    );
}

#[test]
fn a_week_holds_seven_days_in_order_and_its_meetings() {
    let mut nb = Nb::new();
    let account = nb.account("Hospital Clínic", Some(Tier::A));
    let carmen = nb.person(Person {
        name: "Dra. Carmen Peña".into(),
        account: Some(account),
        ..Person::default()
    });
    let first = nb.interaction(Interaction {
        account: Some(account),
        people: vec![carmen],
        ..meeting_fields("2026-11-30T09:00:00+01:00")
    });
    let last = nb.meeting(
        "2026-12-06T23:59:00+01:00",
        None,
        InteractionStatus::Planned,
    );
    nb.meeting(
        "2026-12-07T00:00:00+01:00",
        None,
        InteractionStatus::Planned,
    );
    nb.meeting(
        "2026-11-29T23:59:00+01:00",
        None,
        InteractionStatus::Planned,
    );
    let a = nb.build("2026-11-30", 7);
    let dates: Vec<_> = a.days.iter().map(|d| d.date).collect();
    assert_eq!(
        dates,
        day("2026-11-30").iter_days().take(7).collect::<Vec<_>>()
    );
    assert_eq!(a.to, day("2026-12-06"));
    let ids: Vec<_> = a
        .days
        .iter()
        .flat_map(|d| &d.meetings)
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, [first, last]);
    let m = &a.days[0].meetings[0];
    assert_eq!(
        m.account,
        Some(Named {
            id: account,
            name: "Hospital Clínic".into()
        })
    );
    assert_eq!(m.people[0].name, "Dra. Carmen Peña");
    assert!(!a.meetings_more);
    assert!(!a.birthdays_more);
}

fn meeting_fields(start: &str) -> Interaction {
    Interaction {
        id: 0,
        uid: String::new(),
        kind: InteractionKind::Visit,
        at: t(start),
        end: None,
        account: None,
        people: Vec::new(),
        mentioned: Vec::new(),
        title: None,
        body: None,
        location: None,
        status: InteractionStatus::Planned,
        outcome: None,
        tags: Vec::new(),
        extra: Extra::new(),
    }
}

#[test]
fn a_year_long_range_stays_bounded() {
    let mut nb = Nb::new();
    let start = t("2026-11-27T06:00:00+01:00");
    let ids: Vec<Id> = (0..=i64::from(MEETING_LIMIT))
        .map(|i| {
            let at = start + chrono::Duration::hours(i * 12);
            nb.meeting(&at.to_rfc3339(), None, InteractionStatus::Planned)
        })
        .collect();
    // Birthdays on both sides of the year end, more than are listed.
    for i in 0..=BIRTHDAY_LIMIT {
        let on = if i % 2 == 0 { "--12-01" } else { "--01-15" };
        nb.birthday(&format!("p{i:04}"), on);
    }
    let a = nb.build("2026-11-27", 400);
    assert_eq!(a.days.len(), MAX_DAYS as usize);
    let birthdays = a.days.iter().map(|d| d.birthdays.len()).sum::<usize>();
    assert_eq!(birthdays, BIRTHDAY_LIMIT as usize);
    assert!(a.birthdays_more);
    assert_eq!(a.to, day("2027-11-27"));
    let listed: Vec<_> = a
        .days
        .iter()
        .flat_map(|d| &d.meetings)
        .map(|m| m.id)
        .collect();
    // The first ones, in time order, and a flag for the rest.
    assert_eq!(listed, ids[..MEETING_LIMIT as usize]);
    assert!(a.meetings_more);
}

#[rstest]
// Contact at 23:00 yesterday, seen at 08:00: one calendar day, not zero 24-hour blocks.
#[case::late_yesterday_early_today("2026-11-26 23:00", "2026-11-27 08:00", 1)]
#[case::early_today_late_today("2026-11-27 00:30", "2026-11-27 23:00", 0)]
#[case::almost_two_days("2026-11-25 08:00", "2026-11-27 07:59", 2)]
// Across the spring DST change (a 23-hour day) and the autumn one (25 hours).
#[case::across_spring_forward("2026-03-28 23:30", "2026-03-29 00:10", 1)]
#[case::across_fall_back("2026-10-24 00:30", "2026-10-25 23:30", 1)]
fn days_silent_counts_calendar_days_in_the_local_zone(
    #[case] contact: &str,
    #[case] seen: &str,
    #[case] days: i64,
) {
    let mut nb = Nb::new();
    let key = nb.person(Person {
        name: "Iván".into(),
        influence: Some(5),
        ..Person::default()
    });
    nb.interaction(Interaction {
        people: vec![key],
        status: InteractionStatus::Done,
        ..meeting_fields(&madrid(contact).to_rfc3339())
    });
    // A cadence of 0 days: anyone not seen today is stale.
    let cadence = Cadence {
        a: 0,
        b: 0,
        c: 0,
        untiered: 0,
        ..Cadence::default()
    };
    let now = madrid(seen);
    let a = build(&nb.store.reader(), &now, now.date_naive(), 1, &cadence).unwrap();
    let silent: Vec<_> = a.stale_people.iter().map(|s| s.days_silent).collect();
    if days == 0 {
        assert!(silent.is_empty(), "{silent:?}");
    } else {
        assert_eq!(silent, [Some(days)]);
    }
}

#[rstest]
// Cadence 23 days for influence 4 in an A account (30 × 75 %): stale only once more than 23
// calendar days have passed.
#[case::twenty_three_days_is_on_time("2026-11-04 23:00", false)]
#[case::twenty_four_days_is_stale("2026-11-03 23:59", true)]
fn a_key_person_is_stale_past_their_cadence_in_calendar_days(
    #[case] contact: &str,
    #[case] stale: bool,
) {
    let mut nb = Nb::new();
    let account = nb.account("Hospital Clínic", Some(Tier::A));
    let key = nb.person(Person {
        name: "Dra. Carmen Peña".into(),
        account: Some(account),
        influence: Some(4),
        ..Person::default()
    });
    nb.interaction(Interaction {
        people: vec![key],
        status: InteractionStatus::Done,
        ..meeting_fields(&madrid(contact).to_rfc3339())
    });
    let a = nb.build("2026-11-27", 1);
    assert_eq!(!a.stale_people.is_empty(), stale, "{:?}", a.stale_people);
}

#[test]
fn many_overdue_follow_ups_show_the_most_recent_and_count_them_all() {
    let mut nb = Nb::new();
    // 60 overdue, one a day from 28 Sep to 26 Nov 2026.
    for d in 0..60_u64 {
        let due = day("2026-09-28")
            .checked_add_days(chrono::Days::new(d))
            .unwrap();
        nb.followup(&format!("late {d}"), &due.format("%Y-%m-%d").to_string());
    }
    let a = nb.build("2026-11-27", 1);
    assert_eq!(a.overdue_total, 60);
    assert!(a.overdue_more);
    assert_eq!(a.overdue.len(), OVERDUE_LIMIT as usize);
    // The 20 due most recently, the oldest of them first.
    assert_eq!(a.overdue.first().unwrap().text, "late 40");
    assert_eq!(a.overdue.last().unwrap().text, "late 59");
    assert!(a.overdue.windows(2).all(|w| w[0].due <= w[1].due));
}

/// `y-m-d h:min` on the wall clock in New York.
fn new_york(s: &str) -> DateTime<Tz> {
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::America::New_York
        .from_local_datetime(&naive)
        .earliest()
        .unwrap()
}

impl Nb {
    fn timed_followup(&mut self, text: &str, at: &str) -> Id {
        let f = FollowUp {
            due: Due::At(t(at)),
            ..FollowUp {
                id: 0,
                uid: self.uid(),
                text: text.into(),
                due: Due::Day(day("2000-01-01")),
                account: None,
                person: None,
                deal: None,
                interaction: None,
                repeat: None,
                status: FollowUpStatus::Open,
                done_at: None,
                priority: None,
                extra: Extra::new(),
            }
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_followup(&f, None, None))
            .unwrap()
    }
}

/// A follow-up timed 00:30 in Madrid on 27 November is 18:30 on the 26th in New York: seen
/// from New York it falls on the 26th, and on the evening of the 26th it is already overdue the
/// next morning, not missed.
#[rstest]
// Seen from New York on the 26th at 09:00: due today at 18:30, not tomorrow.
#[case::on_its_new_york_day(("2026-11-26 09:00", "2026-11-26"), Some("2026-11-26"), false)]
// On the 27th in New York it was due yesterday: overdue.
#[case::overdue_the_next_new_york_day(("2026-11-27 09:00", "2026-11-27"), None, true)]
fn a_timed_followup_falls_on_its_local_day_in_another_zone(
    #[case] seen: (&str, &str),
    #[case] on: Option<&str>,
    #[case] overdue: bool,
) {
    let mut nb = Nb::new();
    let id = nb.timed_followup("Call Carmen", "2026-11-27T00:30:00+01:00");
    let a = nb.build_at(&new_york(seen.0), seen.1, 2);
    let placed: Vec<(NaiveDate, Id)> = a
        .days
        .iter()
        .flat_map(|d| d.followups.iter().map(|f| (d.date, f.id)))
        .collect();
    assert_eq!(
        placed,
        on.map(|d| (day(d), id)).into_iter().collect::<Vec<_>>()
    );
    let late: Vec<Id> = a.overdue.iter().map(|f| f.id).collect();
    assert_eq!(late == [id], overdue, "{late:?}");
    assert_eq!(a.overdue_total, i64::from(overdue));
    if let Some(f) = a.overdue.first() {
        assert_eq!(f.due, day("2026-11-26"));
        assert_eq!(f.days_overdue, 1);
    }
}

/// Timed follow-ups of one day come in the order of their instants, whatever offsets they were
/// entered in; across a DST change too.
#[test]
fn timed_followups_are_sorted_by_instant() {
    let mut nb = Nb::new();
    // 10:00 in Madrid (09:00 UTC), 04:15 in New York (09:15 UTC) and 08:30 in London
    // (08:30 UTC): by instant London, Madrid, New York; by wall-clock time the reverse.
    let madrid_ten = nb.timed_followup("Madrid", "2026-11-27T10:00:00+01:00");
    let ny = nb.timed_followup("New York", "2026-11-27T04:15:00-05:00");
    let london = nb.timed_followup("London", "2026-11-27T08:30:00+00:00");
    let a = nb.build_at(&now(), "2026-11-27", 1);
    let ids: Vec<Id> = a.days[0].followups.iter().map(|f| f.id).collect();
    assert_eq!(ids, [london, madrid_ten, ny]);
}

/// Summer time ends in New York on 1 November 2026: 03:30 UTC is 23:30 EDT on 31 October and
/// 04:30 UTC is 00:30 EDT on 1 November, though both were entered on 1 November (UTC): each
/// falls on its own local day.
#[test]
fn a_timed_followup_near_a_dst_change_keeps_its_local_day() {
    let mut nb = Nb::new();
    let late = nb.timed_followup("Before midnight", "2026-11-01T03:30:00+00:00");
    let early = nb.timed_followup("After midnight", "2026-11-01T04:30:00+00:00");
    let a = nb.build_at(&new_york("2026-10-31 09:00"), "2026-10-31", 2);
    let placed: Vec<(NaiveDate, Id)> = a
        .days
        .iter()
        .flat_map(|d| d.followups.iter().map(|f| (d.date, f.id)))
        .collect();
    assert_eq!(
        placed,
        [(day("2026-10-31"), late), (day("2026-11-01"), early)]
    );
}

#[test]
fn the_agenda_is_laid_out_once_as_toned_sections() {
    use crate::layout::{Anchor, Tone};
    let mut nb = Nb::new();
    nb.meeting("2026-11-27T08:00:00+01:00", None, InteractionStatus::Done);
    let next = nb.meeting(
        "2026-11-27T15:00:00+01:00",
        None,
        InteractionStatus::Planned,
    );
    nb.followup("send the offer", "2026-11-20");
    nb.followup("call back", "2026-11-27");
    let agenda = nb.build("2026-11-27", 1);
    let sections = agenda.sections(&std::collections::HashMap::new(), &now());
    let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Overdue follow-ups (1)", "Fri 27 Nov 2026 (today)"]
    );
    let overdue = &sections[0].items[0];
    assert_eq!(overdue.tone, Tone::Alert);
    assert!(
        overdue.text.starts_with("Fri 20 Nov (7d late)"),
        "{}",
        overdue.text
    );
    let day = &sections[1].items;
    let lines: Vec<(&str, Tone, bool)> = day
        .iter()
        .map(|i| (i.text.as_str(), i.tone, i.detail))
        .collect();
    assert_eq!(
        lines[0].1,
        Tone::Plain,
        "a done meeting is not the next one"
    );
    assert!(lines[0].0.contains("✓ done"));
    assert_eq!(lines[1].1, Tone::Strong);
    assert!(lines[1].0.starts_with("15:00 "));
    assert!(
        lines[1].0.ends_with(&format!("#i{next}  ← next, in 6 h")),
        "{}",
        lines[1].0
    );
    assert_eq!(lines[2], ("Follow-ups:", Tone::Plain, false));
    assert!(lines[3].2 && lines[3].0.contains("call back"));
    assert_eq!(day.len(), 4);
    // Each line about one record carries it: the meetings and the follow-ups, not the label.
    let anchors: Vec<Option<Anchor>> = day.iter().map(|i| i.anchor).collect();
    assert!(matches!(anchors[1], Some(Anchor::Meeting { id, .. }) if id == next));
    assert_eq!(anchors[2], None);
    assert!(matches!(anchors[3], Some(Anchor::FollowUp { .. })));
    assert!(matches!(
        sections[0].items[0].anchor,
        Some(Anchor::FollowUp { .. })
    ));
}

impl Nb {
    fn deal(&mut self, account: Id, title: &str) -> Id {
        let d = Deal {
            id: 0,
            uid: self.uid(),
            account,
            title: title.into(),
            kind: Some(DealKind::Contract),
            stage: Some(DealStage::Won),
            value: None,
            currency: None,
            probability: None,
            close: None,
            commission_rate: None,
            milestones: Vec::new(),
            notes: None,
            extra: Extra::new(),
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_deal(&d, None, None))
            .unwrap()
    }

    fn obligation(&mut self, deal: Id, text: &str, due: &str, party: Party, amount: Option<f64>) {
        let o = Obligation {
            id: 0,
            uid: self.uid(),
            deal,
            text: text.into(),
            due: day(due),
            party: Some(party),
            kind: Some(if amount.is_some() {
                ObligationKind::Payment
            } else {
                ObligationKind::Delivery
            }),
            amount,
            currency: amount.map(|_| "EUR".to_string()),
            status: None,
            done_at: None,
            extra: Extra::new(),
        };
        self.store
            .write(now().fixed_offset(), |w| w.upsert_obligation(&o))
            .unwrap();
    }
}

#[test]
fn many_overdue_obligations_show_the_most_recent_and_all_the_money_owed() {
    let mut nb = Nb::new();
    let account = nb.account("Hospital Clínic", Some(Tier::A));
    let supply = nb.deal(account, "Supply 2026");
    let old = nb.deal(account, "Supply 2019");
    // 60 overdue, one a day from 28 Sep to 26 Nov 2026: 50 instalments the client owes
    // (1,000.50 EUR each), then 10 deliveries of ours without an amount.
    for d in 0..60_u64 {
        let due = day("2026-09-28")
            .checked_add_days(chrono::Days::new(d))
            .unwrap()
            .format("%Y-%m-%d")
            .to_string();
        if d < 50 {
            nb.obligation(
                supply,
                &format!("instalment {d}"),
                &due,
                Party::Client,
                Some(1000.5),
            );
        } else {
            nb.obligation(supply, &format!("delivery {d}"), &due, Party::Us, None);
        }
    }
    // Neither counted nor listed: one on an archived deal; one due today is on its day.
    nb.obligation(old, "archived", "2026-10-01", Party::Client, Some(5.0));
    nb.store
        .write(now().fixed_offset(), |w| {
            w.set_archived(
                crate::store::Shelved::Deal,
                old,
                Some(&now().fixed_offset()),
                1,
            )
        })
        .unwrap();
    nb.obligation(supply, "today's", "2026-11-27", Party::Client, Some(7.0));

    let a = nb.build("2026-11-27", 1);
    assert_eq!(a.overdue_obligations_total, 60);
    assert!(a.overdue_obligations_more);
    assert_eq!(a.overdue_obligations.len(), OVERDUE_LIMIT as usize);
    let text = |d: &Deadline| match d {
        Deadline::Obligation { text, .. } => text.clone(),
        other => panic!("{other:?}"),
    };
    // The 20 due most recently, the oldest of them first.
    assert_eq!(
        text(a.overdue_obligations.first().unwrap()),
        "instalment 40"
    );
    assert_eq!(text(a.overdue_obligations.last().unwrap()), "delivery 59");
    assert_eq!(a.days[0].deadlines.len(), 1, "{:?}", a.days[0].deadlines);
    assert_eq!(
        a.overdue_obligations_title(true),
        "Overdue contract obligations (60; the 20 most recent — payments by age: `kam receivables`)"
    );
    // The 40 instalments not listed are in the sum with the 10 listed: 50 × 1,000.50.
    assert_eq!(
        a.overdue_owed_line().as_deref(),
        Some("In all: clients owe 50: 50,025 EUR · we owe 10")
    );
}

#[test]
fn a_few_overdue_obligations_are_all_listed_without_a_sum() {
    let mut nb = Nb::new();
    let account = nb.account("Hospital Clínic", Some(Tier::A));
    let supply = nb.deal(account, "Supply 2026");
    nb.obligation(
        supply,
        "Q3 instalment",
        "2026-09-30",
        Party::Client,
        Some(1000.0),
    );
    nb.obligation(supply, "kit", "2026-10-15", Party::Us, None);
    let a = nb.build("2026-11-27", 1);
    assert_eq!(a.overdue_obligations_total, 2);
    assert!(!a.overdue_obligations_more);
    assert_eq!(a.overdue_obligations.len(), 2);
    assert_eq!(
        a.overdue_obligations_title(true),
        "Overdue contract obligations (2)"
    );
    assert_eq!(a.overdue_owed_line(), None);
}

/// A person only mentioned in a meeting's notes ("Rosa says Mendoza will object") will not be
/// there: the agenda's meeting lists the people taking part only.
#[test]
fn a_meeting_lists_who_takes_part_not_who_is_mentioned() {
    let mut nb = Nb::new();
    let account = nb.account("Hospital Clínic", Some(Tier::A));
    let mut person = |name: &str| {
        nb.person(Person {
            name: name.into(),
            account: Some(account),
            ..Person::default()
        })
    };
    let carmen = person("Carmen Peña");
    let mendoza = person("Rafael Mendoza");
    nb.interaction(Interaction {
        account: Some(account),
        people: vec![carmen],
        mentioned: vec![mendoza],
        ..meeting_fields("2026-11-30T09:00:00+01:00")
    });
    let a = nb.build("2026-11-30", 1);
    let names: Vec<&str> = a.days[0].meetings[0]
        .people
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Carmen Peña"]);
}
