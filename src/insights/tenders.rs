//! The tender calendar: milestones of open deals (publication, questions deadline, submission,
//! award, contract start...) from a day onwards, in date order, each with the days left.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::domain::Id;
use crate::store::{Reader, StoreError};

/// Most milestones the calendar lists.
pub const CALENDAR_LIMIT: u32 = 500;

/// One dated step of an open deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenderDate {
    pub date: NaiveDate,
    /// Days from today (0 = today, negative = past).
    pub days_left: i64,
    pub deal: Id,
    pub title: String,
    pub account: String,
    /// The milestone's name ("Submission").
    pub name: String,
}

impl TenderDate {
    /// "Submission today", "Submission tomorrow", "Submission in 5 days", "Submission 3 days ago".
    pub fn countdown(&self) -> String {
        match self.days_left {
            0 => format!("{} today", self.name),
            1 => format!("{} tomorrow", self.name),
            -1 => format!("{} yesterday", self.name),
            n if n < 0 => format!("{} {} days ago", self.name, -n),
            n => format!("{} in {n} days", self.name),
        }
    }
}

/// Milestones of open deals in `[from, from + days)`, as seen on `today`.
pub fn calendar(
    reader: &Reader<'_>,
    today: NaiveDate,
    from: NaiveDate,
    days: u32,
) -> Result<Vec<TenderDate>, StoreError> {
    upcoming(reader, today, from, days, CALENDAR_LIMIT)
}

/// The first `limit` milestones of open deals in `[from, from + days)`, nearest first.
pub fn upcoming(
    reader: &Reader<'_>,
    today: NaiveDate,
    from: NaiveDate,
    days: u32,
    limit: u32,
) -> Result<Vec<TenderDate>, StoreError> {
    let to = from
        .checked_add_days(Days::new(u64::from(days.max(1) - 1)))
        .unwrap_or(from);
    Ok(reader
        .milestones_between(from, to, limit)?
        .into_iter()
        .map(|(deal, title, account, m)| TenderDate {
            days_left: (m.date - today).num_days(),
            date: m.date,
            deal,
            title,
            account,
            name: m.name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{self, Cadence};
    use crate::domain::{Account, Deal, DealStage, Extra, Milestone};
    use crate::store::Store;
    use chrono::{DateTime, FixedOffset};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A tender with a submission on 2 Dec and an award on 20 Dec, and a lost one with a
    /// submission on 1 Dec, seen on Friday 27 Nov 2026.
    fn notebook() -> (Store, DateTime<FixedOffset>) {
        let now = DateTime::parse_from_rfc3339("2026-11-27T08:00:00+01:00").unwrap();
        let mut s = Store::open_in_memory().unwrap();
        s.write(now, |w| {
            let a = w.upsert_account(
                &Account {
                    uid: "a".into(),
                    name: "Hospital Clínic".into(),
                    ..Account::default()
                },
                None,
                None,
            )?;
            let tender = |uid: &str, stage, milestones: Vec<(&str, &str)>| Deal {
                id: 0,
                uid: uid.into(),
                account: a,
                title: format!("Tender {uid}"),
                kind: None,
                stage: Some(stage),
                value: None,
                currency: None,
                probability: None,
                close: None,
                commission_rate: None,
                milestones: milestones
                    .into_iter()
                    .map(|(name, date)| Milestone {
                        name: name.into(),
                        date: day(date),
                    })
                    .collect(),
                notes: None,
                extra: Extra::new(),
            };
            w.upsert_deal(
                &tender(
                    "t1",
                    DealStage::Proposal,
                    vec![("Submission", "2026-12-02"), ("Award", "2026-12-20")],
                ),
                None,
                None,
            )?;
            w.upsert_deal(
                &tender("t2", DealStage::Lost, vec![("Submission", "2026-12-01")]),
                None,
                None,
            )?;
            Ok(())
        })
        .unwrap();
        (s, now)
    }

    #[test]
    fn milestones_enter_the_agenda_ahead_by_the_lead() {
        let (s, now) = notebook();
        let r = s.reader();
        let today = agenda::build(&r, &now, day("2026-11-27"), 1, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 14)
            .unwrap();
        let seen: Vec<_> = today.ahead.iter().map(TenderDate::countdown).collect();
        // The award (23 days away) is beyond the lead; the lost tender is not listed.
        assert_eq!(seen, ["Submission in 5 days"]);
        // A lead of 30 days reaches the award; a lead of 4 days reaches nothing.
        let far = agenda::build(&r, &now, day("2026-11-27"), 1, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 30)
            .unwrap();
        assert_eq!(far.ahead.len(), 2);
        let near = agenda::build(&r, &now, day("2026-11-27"), 1, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 4)
            .unwrap();
        assert!(near.ahead.is_empty());
        // A week that already shows 2 Dec lists it on its day, not again ahead.
        let week = agenda::build(&r, &now, day("2026-11-27"), 7, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 14)
            .unwrap();
        assert!(week.ahead.is_empty());
        assert!(week.days[5].deadlines.iter().any(
            |d| matches!(d, agenda::Deadline::Milestone { name, .. } if name == "Submission")
        ));
        // The calendar lists open deals' milestones from a day on.
        let cal = calendar(&r, day("2026-11-27"), day("2026-11-27"), 60).unwrap();
        let names: Vec<_> = cal.iter().map(|t| (t.date, t.name.as_str())).collect();
        assert_eq!(
            names,
            [
                (day("2026-12-02"), "Submission"),
                (day("2026-12-20"), "Award")
            ]
        );
    }

    #[test]
    fn the_agenda_lists_the_nearest_milestones_ahead_and_says_there_are_more() {
        let (mut s, now) = notebook();
        s.write(now, |w| {
            let many = Deal {
                id: 0,
                uid: "many".into(),
                account: 1,
                title: "Framework with many dates".into(),
                kind: None,
                stage: Some(DealStage::Proposal),
                value: None,
                currency: None,
                probability: None,
                close: None,
                commission_rate: None,
                milestones: (0..25)
                    .map(|i| Milestone {
                        name: format!("Lot {i}"),
                        date: day("2026-11-28") + chrono::Days::new(i % 12),
                    })
                    .collect(),
                notes: None,
                extra: Extra::new(),
            };
            w.upsert_deal(&many, None, None).map(|_| ())
        })
        .unwrap();
        let r = s.reader();
        let today = agenda::build(&r, &now, day("2026-11-27"), 1, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 14)
            .unwrap();
        assert_eq!(today.ahead.len(), agenda::AHEAD_LIMIT as usize);
        assert!(today.ahead_more);
        assert!(today.ahead.windows(2).all(|w| w[0].date <= w[1].date));
        assert_eq!(today.ahead[0].date, day("2026-11-28"));
        let sections = today.sections(&std::collections::HashMap::new(), &now);
        assert!(
            sections.iter().any(
                |s| s.title == "Coming up on deals (the 20 nearest — all: `kam deal calendar`)"
            ),
            "{:?}",
            sections.iter().map(|s| &s.title).collect::<Vec<_>>()
        );
        // Under the limit, the list is whole and the heading plain.
        let (s, now) = notebook();
        let r = s.reader();
        let few = agenda::build(&r, &now, day("2026-11-27"), 1, &Cadence::default())
            .unwrap()
            .with_milestones_ahead(&r, 14)
            .unwrap();
        assert!(!few.ahead_more);
    }

    #[test]
    fn countdown_reads_naturally() {
        let mut t = TenderDate {
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            days_left: 5,
            deal: 1,
            title: "Lote 3".into(),
            account: "Hospital".into(),
            name: "Submission".into(),
        };
        assert_eq!(t.countdown(), "Submission in 5 days");
        t.days_left = 1;
        assert_eq!(t.countdown(), "Submission tomorrow");
        t.days_left = 0;
        assert_eq!(t.countdown(), "Submission today");
        t.days_left = -3;
        assert_eq!(t.countdown(), "Submission 3 days ago");
    }
}
