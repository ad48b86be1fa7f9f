//! The meeting's brief on one line, for the phone (issue 13.4): who will be there with their
//! stage and days since last seen, the open promises, the deal at stake and the red flags, read
//! offline in the calendar event before walking in. Built from the same [`Brief`] as `kam prep`,
//! so the two never disagree; the ICS export and the CalDAV sync both call [`phone_brief`].
//!
//! What never goes in it: the people's personal notes (family, interests — a phone is often the
//! company's), the meeting's own notes, the plans and past interactions. The line is plain text:
//! runs of white space become one space and control characters, bidi and invisible characters
//! are dropped (escaping and folding are the calendar writer's). Dates are absolute ("Tue 8 Dec"),
//! since the event is read days after it was written; "seen N days ago" counts from then, with
//! the day it was written to anchor it.

use std::fmt::Write as _;

use chrono::{DateTime, TimeZone};

use super::{Brief, PrepTarget, build};
use crate::cadence::CadenceConfig;
use crate::domain::{Id, Party};
use crate::store::{Reader, StoreError};
use crate::text::is_unsafe;

/// The paragraph of a DESCRIPTION that is the brief starts with this (an import tells it from
/// what was written on the phone by it).
pub const PHONE_BRIEF_MARK: &str = "Brief ";
/// People named (the rest counted).
const PEOPLE: usize = 4;
/// Promises named (the rest counted).
const PROMISES: usize = 3;
/// Red flags named (the rest counted).
const FLAGS: usize = 3;
/// The longest a named piece of data (a promise, a deal title) is kept, in characters.
const PIECE_CHARS: usize = 60;

/// The one-line brief of meeting `meeting` as seen at `now`, dates in `now`'s zone; `None` when
/// the meeting does not exist.
pub fn phone_brief<Tz: TimeZone>(
    reader: &Reader<'_>,
    meeting: Id,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<Option<String>, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    Ok(build(reader, PrepTarget::Meeting(meeting), now, cadence)?.map(|b| b.phone_line()))
}

/// Plain one-line text: white space runs become one space, unsafe characters go, cut to `max`
/// characters with an ellipsis.
fn plain(s: &str, max: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let line: String = words
        .join(" ")
        .chars()
        .filter(|c| !is_unsafe(*c, false))
        .collect();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        line
    }
}

/// Whether `line` is a brief [`Brief::phone_line`] wrote: the mark, the day ("6 Dec"), then
/// the end or " · " (a note that merely begins with "Brief" is not one).
pub fn is_phone_brief(line: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(rest) = line.strip_prefix(PHONE_BRIEF_MARK) else {
        return false;
    };
    if line.contains('\n') {
        return false;
    }
    let day = rest.split(" · ").next().unwrap_or_default();
    match day.split_once(' ') {
        Some((d, m)) => {
            (1..=2).contains(&d.len())
                && d.bytes().all(|b| b.is_ascii_digit())
                && MONTHS.contains(&m)
        }
        None => false,
    }
}

/// Text for a calendar field (a place): one plain line, whole.
pub fn plain_whole(s: &str) -> String {
    plain(s, usize::MAX)
}

/// Text for a calendar (an alarm's message): one plain line, at most 300 characters.
pub fn plain_line(s: &str) -> String {
    plain(s, 300)
}

fn more(n: usize) -> String {
    if n > 0 {
        format!(" (+{n} more)")
    } else {
        String::new()
    }
}

impl Brief {
    /// The brief as one line (see the module header): "Brief 6 Dec · With …: … · Open: … ·
    /// Deal: … · Red flags: …".
    pub fn phone_line(&self) -> String {
        let mut parts = vec![format!(
            "{}{}",
            PHONE_BRIEF_MARK,
            self.today.format("%-d %b")
        )];
        if !self.people.is_empty() {
            let named: Vec<String> = self
                .people
                .iter()
                .take(PEOPLE)
                .map(|p| {
                    let mut facts = Vec::new();
                    if let Some(s) = p.stage {
                        facts.push(s.to_string());
                    }
                    facts.push(match p.days_since_contact {
                        None => "never seen".into(),
                        Some(0) => "seen today".into(),
                        Some(1) => "seen 1 day ago".into(),
                        Some(d) => format!("seen {d} days ago"),
                    });
                    format!("{} ({})", plain(&p.name, PIECE_CHARS), facts.join(", "))
                })
                .collect();
            parts.push(format!(
                "With {}{}",
                named.join(", "),
                more(self.people.len().saturating_sub(PEOPLE))
            ));
        }
        if !self.promises.is_empty() {
            let named: Vec<String> = self
                .promises
                .iter()
                .take(PROMISES)
                .map(|p| {
                    let by = match p.by {
                        Some(Party::Us) => "we owe ",
                        Some(Party::Client) => "they owe ",
                        None => "",
                    };
                    format!(
                        "{by}{} by {}",
                        plain(&p.text, PIECE_CHARS),
                        p.due.format("%a %-d %b")
                    )
                })
                .collect();
            let hidden = self.promises.len().saturating_sub(PROMISES);
            let mut line = format!("Open: {}{}", named.join("; "), more(hidden));
            if self.more_promises && hidden == 0 {
                line.push_str(" (and more)");
            }
            parts.push(line);
        }
        if let Some(d) = self.deals.first() {
            let mut line = format!("Deal: {}", plain(&d.title, PIECE_CHARS));
            let mut facts = Vec::new();
            if let Some(s) = d.stage {
                facts.push(s.to_string());
            }
            if let Some(v) = d.value {
                facts.push(crate::money::format_money_short(v, d.currency.as_deref()));
            }
            if let Some(c) = d.close {
                facts.push(format!("closes {}", c.format("%-d %b %Y")));
            }
            if !facts.is_empty() {
                let _ = write!(line, " ({})", facts.join(", "));
            }
            line.push_str(&more(self.deals.len() - 1));
            parts.push(line);
        }
        if !self.flags.is_empty() {
            let named: Vec<String> = self
                .flags
                .iter()
                .take(FLAGS)
                .map(|f| plain(&f.text, PIECE_CHARS))
                .collect();
            parts.push(format!(
                "Red flags: {}{}",
                named.join("; "),
                more(self.flags.len().saturating_sub(FLAGS))
            ));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{DealStage, PersonStage};
    use crate::prep::{DealBrief, FlagBrief, PersonBrief, Promise, PromiseSource};

    fn person(name: &str, stage: Option<PersonStage>, seen: Option<i64>) -> PersonBrief {
        PersonBrief {
            id: 1,
            name: name.into(),
            title: None,
            role: None,
            influence: None,
            attitude: None,
            stage,
            days_in_stage: None,
            days_since_contact: seen,
            personal: Some("two kids, loves sailing".into()),
            birthday: None,
        }
    }

    fn brief() -> Brief {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        Brief {
            today: day(6),
            meeting: None,
            subject: "Review".into(),
            account: None,
            people: vec![
                person("Dr. Nuño\nPeña", Some(PersonStage::Loyal), Some(12)),
                person("Ana \u{1b}[31mRuiz", None, None),
            ],
            attendees: true,
            interactions: Vec::new(),
            promises: vec![Promise {
                by: Some(Party::Us),
                text: "send the price list".into(),
                due: day(8),
                source: PromiseSource::FollowUp { id: 3, who: None },
            }],
            more_promises: false,
            deals: vec![DealBrief {
                id: 4,
                title: "Tender 2027".into(),
                kind: None,
                stage: Some(DealStage::Negotiation),
                value: Some(120_000.0),
                currency: Some("EUR".into()),
                probability: None,
                close: Some(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()),
                next_milestone: None,
            }],
            flags: vec![FlagBrief {
                severity: 3,
                text: "single-threaded: only Dr. Peña".into(),
                person: None,
            }],
            plans: Vec::new(),
            deal_people: Vec::new(),
            objections: Vec::new(),
            products: Vec::new(),
        }
    }

    #[test]
    fn the_line_names_people_promises_the_deal_and_the_flags_but_no_personal_notes() {
        let line = brief().phone_line();
        assert!(line.starts_with("Brief 6 Dec · With "), "{line}");
        assert!(
            line.contains("Dr. Nuño Peña (loyal, seen 12 days ago), Ana [31mRuiz (never seen)"),
            "{line}"
        );
        assert!(
            line.contains("Open: we owe send the price list by Tue 8 Dec"),
            "{line}"
        );
        assert!(line.contains("Deal: Tender 2027 (negotiation, "), "{line}");
        assert!(line.contains("closes 15 Jan 2027)"), "{line}");
        assert!(
            line.contains("Red flags: single-threaded: only Dr. Peña"),
            "{line}"
        );
        assert!(!line.contains("sailing"), "{line}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(is_phone_brief(&line));
        assert!(is_phone_brief("Brief 16 Jan"));
        assert!(!is_phone_brief("Brief chat at the congress · Jan"));
        assert!(!is_phone_brief("Brief 6 Dec · a\nb"));
    }

    #[test]
    fn long_lists_are_cut_and_counted() {
        let mut b = brief();
        b.people = (0..6)
            .map(|i| person(&format!("P{i}"), None, Some(1)))
            .collect();
        b.flags.clear();
        b.deals.clear();
        b.promises.clear();
        let line = b.phone_line();
        assert!(line.contains("P3 (seen 1 day ago) (+2 more)"), "{line}");
        assert!(!line.contains("P4"), "{line}");
        assert!(!line.contains("Deal") && !line.contains("Open"), "{line}");
        assert_eq!(plain(&"x".repeat(100), 10), format!("{}…", "x".repeat(9)));
    }
}
