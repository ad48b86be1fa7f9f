//! The agenda laid out once as headed sections of tone-tagged lines ([`crate::layout`]): the
//! overdue lists, one section per day (meetings with where and with whom and their prep line,
//! follow-ups, birthdays, deadlines), the deal milestones coming up, the accounts with the worst
//! red flags (when loaded) and who is due for contact. `kam agenda` and the TUI's agenda screen
//! paint it; the text of every line is written here and nowhere else, and each line about one
//! record carries its [`Anchor`] (what the TUI selects, what `Enter` opens).

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, TimeZone};

use super::{
    Agenda, AgendaDay, Deadline, FlaggedAccount, FollowUpItem, Meeting, MeetingPrep, Stale,
};
use crate::domain::{
    Id, InteractionKind, InteractionStatus, Party, RecordKind, RecordRef, Vocabulary,
};
use crate::layout::{Anchor, Item, Section, Tone};
use crate::text::count;

/// The width of the time column ("09:00–10:30"), which detail lines under a meeting line up
/// after.
const TIME_WIDTH: usize = 11;

/// Where the text of a meeting's detail lines starts, counted from the start of its head line.
pub const MEETING_DETAIL_COLUMN: usize = TIME_WIDTH + 2;

fn hhmm<Tz: TimeZone>(t: &DateTime<FixedOffset>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.with_timezone(tz).format("%H:%M").to_string()
}

/// A meeting as up to three lines: time, title, id and flags; where; with whom (the last two
/// without their indent).
pub fn meeting_lines<Tz: TimeZone>(m: &Meeting, tz: &Tz) -> Vec<String>
where
    Tz::Offset: std::fmt::Display,
{
    let time = match &m.end {
        Some(e) => format!("{}–{}", hhmm(&m.start, tz), hhmm(e, tz)),
        None => hhmm(&m.start, tz),
    };
    let mut head = format!(
        "{time:<TIME_WIDTH$}  {}  {}",
        m.title.as_deref().unwrap_or(m.kind.as_str()),
        RecordRef::of(RecordKind::Interaction, m.id)
    );
    if m.kind != InteractionKind::Meeting {
        let _ = write!(head, "  ({})", m.kind);
    }
    match m.status {
        InteractionStatus::Done => head.push_str("  ✓ done"),
        InteractionStatus::Cancelled => head.push_str("  ✗ cancelled"),
        InteractionStatus::Planned => {}
    }
    if m.overlaps {
        head.push_str("  ⚠ overlaps");
    }
    let mut lines = vec![head];
    let place: Vec<&str> = [
        m.account.as_ref().map(|a| a.name.as_str()),
        m.location.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let leave = m.leave_by.as_ref().map(|l| leave_by_text(l, &m.start, tz));
    if !place.is_empty() || leave.is_some() {
        let mut line = place.join(" · ");
        if let Some(leave) = leave {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&leave);
        }
        lines.push(line);
    }
    if !m.people.is_empty() {
        let names: Vec<&str> = m.people.iter().map(|p| p.name.as_str()).collect();
        lines.push(format!("with {}", names.join(", ")));
    }
    lines
}

/// "leave by 08:35 (25 min away)": when to set off for a meeting starting at `start`.
pub fn leave_by_text<Tz: TimeZone>(
    leave: &DateTime<FixedOffset>,
    start: &DateTime<FixedOffset>,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let minutes = (start.timestamp() - leave.timestamp()) / 60;
    let away = if minutes >= 60 && minutes % 60 == 0 {
        format!("{} h", minutes / 60)
    } else if minutes >= 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    };
    format!("leave by {} ({away} away)", hhmm(leave, tz))
}

fn followup_line<Tz: TimeZone>(f: &FollowUpItem, overdue: bool, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let when = match (&f.at, overdue) {
        (_, true) if f.days_overdue > 300 => {
            format!("{} ({}d late)", f.due.format("%a %d %b %Y"), f.days_overdue)
        }
        (_, true) => format!("{} ({}d late)", f.due.format("%a %d %b"), f.days_overdue),
        (Some(t), false) => hhmm(t, tz),
        (None, false) => "·".to_string(),
    };
    let who = f
        .person
        .as_ref()
        .or(f.account.as_ref())
        .map(|n| n.name.as_str());
    let width = if overdue { 24 } else { 5 };
    let mut line = format!(
        "{when:<width$} {} {}",
        RecordRef::of(RecordKind::FollowUp, f.id),
        f.text
    );
    if let Some(who) = who {
        let _ = write!(line, " — {who}");
    }
    if let Some(r) = &f.repeat {
        let _ = write!(line, "  ↻ {r}");
    }
    line
}

fn money(value: Option<f64>, currency: Option<&str>) -> String {
    value.map_or_else(String::new, |v| {
        format!(" · {}", crate::money::format_money_whole(v, currency))
    })
}

fn deadline_line(d: &Deadline) -> String {
    match d {
        Deadline::DealClose {
            deal,
            title,
            account,
            stage,
            value,
            currency,
            ..
        } => format!(
            "Deal closes: {title} · {account}{}{}  {}",
            stage.map(|s| format!(" · {s}")).unwrap_or_default(),
            money(*value, currency.as_deref()),
            RecordRef::of(RecordKind::Deal, *deal)
        ),
        Deadline::Milestone {
            deal,
            title,
            account,
            name,
            ..
        } => format!(
            "{name}: {title} · {account}  {}",
            RecordRef::of(RecordKind::Deal, *deal)
        ),
        Deadline::Obligation {
            text,
            deal_title,
            account,
            party,
            amount,
            currency,
            ..
        } => {
            let whose = match party {
                Some(Party::Client) => "client owes",
                Some(Party::Us) => "we owe",
                None => "due",
            };
            format!(
                "{whose}: {text}{} · {deal_title} · {account}",
                money(*amount, currency.as_deref())
            )
        }
    }
}

fn stale_line(s: &Stale, kind: RecordKind) -> Item {
    let silent = match s.days_silent {
        Some(d) => format!("{} since last contact", count(d, "day", "days")),
        None => "never in touch".to_string(),
    };
    let tier = s
        .tier
        .map(|t| format!(" [{}]", t.as_str()))
        .unwrap_or_default();
    let at = s
        .account
        .as_deref()
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    let cooling = if s.suggest_cooling {
        " · suggest: cooling"
    } else {
        ""
    };
    let text = format!(
        "{}{at}{tier} — {silent} (cadence {} days){cooling}  {}",
        s.name,
        s.cadence_days,
        RecordRef::of(kind, s.id)
    );
    let mut item = Item::new(text, Tone::Plain);
    if kind == RecordKind::Person {
        item.person = Some(s.id);
        item.at(Anchor::Person(s.id))
    } else {
        item.account = Some(s.id);
        item.at(Anchor::Account(s.id))
    }
}

/// "⚑5 Hospital Clínic — Opponent with influence 5: Dr. Vidal (+2 more)  #a1".
fn red_flag_line(f: &FlaggedAccount) -> Item {
    let worst = f.flags.first().map_or(String::new(), |w| {
        let more = match f.flags.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        format!(" — {}{more}", w.text)
    });
    Item {
        account: Some(f.account.id),
        ..Item::new(
            format!(
                "⚑{} {}{worst}  {}",
                f.score,
                f.account.name,
                RecordRef::of(RecordKind::Account, f.account.id)
            ),
            Tone::Alert,
        )
    }
    .at(Anchor::Account(f.account.id))
}

/// What a deadline line opens: its deal; an obligation (a receivable) itself.
fn deadline_anchor(d: &Deadline) -> Anchor {
    match d {
        Deadline::DealClose { deal, .. } | Deadline::Milestone { deal, .. } => Anchor::Deal(*deal),
        Deadline::Obligation { obligation, .. } => Anchor::Obligation(*obligation),
    }
}

impl AgendaDay {
    fn is_empty(&self) -> bool {
        self.meetings.is_empty()
            && self.followups.is_empty()
            && self.birthdays.is_empty()
            && self.deadlines.is_empty()
    }
}

impl Agenda {
    /// The id of the first planned meeting still ahead of `now`.
    pub fn next_meeting<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Option<Id> {
        self.days
            .iter()
            .flat_map(|d| &d.meetings)
            .find(|m| m.status == InteractionStatus::Planned && m.start >= now.fixed_offset())
            .map(|m| m.id)
    }

    /// The agenda as sections, times in `now`'s zone, each planned meeting followed by its prep
    /// line from `preps`. A section without a title is a note under the one above.
    pub fn sections<Tz: TimeZone>(
        &self,
        preps: &HashMap<Id, MeetingPrep>,
        now: &DateTime<Tz>,
    ) -> Vec<Section>
    where
        Tz::Offset: std::fmt::Display,
    {
        let tz = now.timezone();
        let mut out = Vec::new();
        if !self.overdue.is_empty() {
            let title = if self.overdue_more {
                format!(
                    "Overdue follow-ups ({}; the {} most recent — all: `kam followup list --overdue`)",
                    self.overdue_total,
                    self.overdue.len()
                )
            } else {
                format!("Overdue follow-ups ({})", self.overdue_total)
            };
            out.push(Section {
                title,
                items: self
                    .overdue
                    .iter()
                    .map(|f| followup_item(f, true, &tz))
                    .collect(),
            });
        }
        if !self.overdue_obligations.is_empty() {
            out.push(Section {
                title: self.overdue_obligations_title(true),
                items: self
                    .overdue_owed_line()
                    .map(|l| Item::new(l, Tone::Alert))
                    .into_iter()
                    .chain(
                        self.overdue_obligations.iter().map(|d| {
                            Item::new(deadline_line(d), Tone::Alert).at(deadline_anchor(d))
                        }),
                    )
                    .collect(),
            });
        }
        let single = self.days.len() == 1;
        let next = self.next_meeting(now);
        for day in &self.days {
            if !single && day.is_empty() {
                continue;
            }
            let title = crate::when::When {
                date: day.date,
                time: None,
            }
            .describe(self.today);
            out.push(Section {
                title,
                items: day_items(day, preps, next, single, now),
            });
        }
        out.extend(self.after_the_days());
        out
    }

    /// The sections after the days: a note when lists were cut, deal milestones coming up,
    /// people and accounts due for contact.
    fn after_the_days(&self) -> Vec<Section> {
        let mut out = Vec::new();
        if self.meetings_more || self.birthdays_more {
            out.push(Section {
                title: String::new(),
                items: vec![Item::new(
                    "More meetings or birthdays fall in this range than are shown: try fewer --days.",
                    Tone::Dim,
                )],
            });
        }
        if !self.ahead.is_empty() {
            out.push(Section {
                title: if self.ahead_more {
                    format!(
                        "Coming up on deals (the {} nearest — all: `kam deal calendar`)",
                        self.ahead.len()
                    )
                } else {
                    "Coming up on deals".into()
                },
                items: self
                    .ahead
                    .iter()
                    .map(|t| {
                        Item::new(
                            format!(
                                "⏳ {}: {} · {}  {}",
                                t.countdown(),
                                t.title,
                                t.account,
                                RecordRef::of(RecordKind::Deal, t.deal)
                            ),
                            Tone::Plain,
                        )
                    })
                    .collect(),
            });
        }
        if !self.red_flags.is_empty() {
            out.push(Section {
                title: "Red flags: the worst accounts".into(),
                items: self.red_flags.iter().map(red_flag_line).collect(),
            });
        }
        if !self.stale_people.is_empty() {
            let more = if self.stale_more {
                " (most overdue first; more exist)"
            } else {
                ""
            };
            out.push(Section {
                title: format!("Due for contact{more}"),
                items: self
                    .stale_people
                    .iter()
                    .map(|s| stale_line(s, RecordKind::Person))
                    .collect(),
            });
        }
        if !self.stale_accounts.is_empty() {
            out.push(Section {
                title: "Accounts not visited for longer than their tier's cadence".into(),
                items: self
                    .stale_accounts
                    .iter()
                    .map(|s| stale_line(s, RecordKind::Account))
                    .collect(),
            });
        }
        out
    }
}

fn followup_item<Tz: TimeZone>(f: &FollowUpItem, overdue: bool, tz: &Tz) -> Item
where
    Tz::Offset: std::fmt::Display,
{
    let text = followup_line(f, overdue, tz);
    let mut item = if overdue {
        Item::new(text, Tone::Alert)
    } else {
        Item::detail(text, Tone::Plain)
    };
    item.person = f.person.as_ref().map(|n| n.id);
    item.account = f.account.as_ref().map(|n| n.id);
    item.at(Anchor::FollowUp {
        id: f.id,
        version: f.version,
    })
}

fn day_items<Tz: TimeZone>(
    day: &AgendaDay,
    preps: &HashMap<Id, MeetingPrep>,
    next: Option<Id>,
    single: bool,
    now: &DateTime<Tz>,
) -> Vec<Item>
where
    Tz::Offset: std::fmt::Display,
{
    let tz = &now.timezone();
    // Detail lines are indented one step by the painter; a meeting's line up under its title.
    let under_title = |text: &str| format!("{:w$}{text}", "", w = MEETING_DETAIL_COLUMN - 2);
    let mut items = Vec::new();
    if day.meetings.is_empty() && single {
        items.push(Item::new("No meetings.", Tone::Dim));
    }
    for m in &day.meetings {
        let account = m.account.as_ref().map(|a| a.id);
        for (n, line) in meeting_lines(m, tz).into_iter().enumerate() {
            let mut item = if n == 0 {
                meeting_head(m, line, Some(m.id) == next, now)
            } else {
                Item::detail(under_title(&line), Tone::Dim)
            };
            item.account = account;
            items.push(item);
        }
        if let Some(line) = preps.get(&m.id).and_then(MeetingPrep::summary) {
            items.push(Item {
                account,
                ..Item::detail(under_title(&line), Tone::Plain)
            });
        }
    }
    if !day.followups.is_empty() {
        items.push(Item::new("Follow-ups:", Tone::Plain));
        items.extend(day.followups.iter().map(|f| followup_item(f, false, tz)));
    }
    for b in &day.birthdays {
        let turns = b.turns.map(|t| format!(" turns {t}")).unwrap_or_default();
        let at = b
            .account
            .as_deref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        items.push(Item {
            person: Some(b.person),
            anchor: Some(Anchor::Person(b.person)),
            ..Item::new(
                format!(
                    "🎂 {}{at}{turns}  {}",
                    b.name,
                    RecordRef::of(RecordKind::Person, b.person)
                ),
                Tone::Strong,
            )
        });
    }
    for d in &day.deadlines {
        items.push(
            Item::new(format!("⏰ {}", deadline_line(d)), Tone::Plain).at(deadline_anchor(d)),
        );
    }
    items
}

/// A meeting's first line: the next one counted down and strong, an overlapping one an alert,
/// a cancelled one dim.
fn meeting_head<Tz: TimeZone>(m: &Meeting, line: String, next: bool, now: &DateTime<Tz>) -> Item
where
    Tz::Offset: std::fmt::Display,
{
    // The id and what follows it are the marks a narrow screen must still show.
    let id = format!("  {}", RecordRef::of(RecordKind::Interaction, m.id));
    let title_end = line.rfind(&id).unwrap_or(line.len());
    let item = if next {
        let start = m.start.with_timezone(&now.timezone());
        let countdown = super::countdown(&start, now);
        Item::new(format!("{line}  ← next, {countdown}"), Tone::Strong)
    } else if m.status == InteractionStatus::Cancelled {
        Item::new(line, Tone::Dim)
    } else if m.overlaps {
        Item::new(line, Tone::Alert)
    } else {
        Item::new(line, Tone::Plain)
    };
    Item {
        // Who the meeting is with first: what a key acting on the meeting's person reaches.
        person: m.people.first().map(|p| p.id),
        marks: item.text.len() - title_end,
        ..item
    }
    .at(Anchor::Meeting {
        id: m.id,
        version: m.version,
    })
}
