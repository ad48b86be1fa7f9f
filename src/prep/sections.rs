//! A [`Brief`] laid out as headed sections of short lines, the one layout the prep screen,
//! `kam prep` and the Markdown writer share. Lines hold the data as written (callers sanitize
//! for the terminal, escape for Markdown); a line about a person or an account carries its id,
//! so `Enter` on it can open the dossier.

use std::fmt::Write as _;

use chrono::{NaiveDate, TimeZone};

use super::{Brief, DealBrief, PersonBrief, PlanBrief, Promise, PromiseSource};
use crate::domain::Party;
use crate::money::format_money_short;

pub use crate::layout::{Item, Section, Tone};

/// "today", "tomorrow", "in 3 days", "yesterday", "4 days ago".
pub fn relative_day(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// "Tue 1 Dec"; with the year when it is more than half a year away ("Tue 17 Oct 2028").
fn short_date(day: NaiveDate, today: NaiveDate) -> String {
    if (day - today).num_days().abs() > 180 {
        day.format("%a %-d %b %Y").to_string()
    } else {
        day.format("%a %-d %b").to_string()
    }
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn seen(days_since: Option<i64>) -> String {
    match days_since {
        None => "never seen".into(),
        Some(0) => "seen today".into(),
        Some(1) => "seen yesterday".into(),
        Some(d) => format!("seen {d} days ago"),
    }
}

impl Brief {
    /// The brief as sections, with times shown in `tz`.
    pub fn sections<Tz: TimeZone>(&self, tz: &Tz) -> Vec<Section>
    where
        Tz::Offset: std::fmt::Display,
    {
        let mut out = vec![self.meeting_section(tz)];
        let people_title = if self.attendees {
            "Who will be there"
        } else {
            "Key people"
        };
        out.push(Section {
            title: people_title.into(),
            items: if self.people.is_empty() {
                vec![Item::new("Nobody named yet.", Tone::Dim)]
            } else {
                self.people
                    .iter()
                    .flat_map(|p| self.person_items(p))
                    .collect()
            },
        });
        if !self.flags.is_empty() {
            out.push(Section {
                title: "Red flags".into(),
                items: self
                    .flags
                    .iter()
                    .map(|f| Item {
                        person: f.person,
                        ..Item::new(format!("{} ({})", f.text, f.urgency()), Tone::Alert)
                    })
                    .collect(),
            });
        }
        out.push(self.promises_section());
        out.push(self.interactions_section(tz));
        out.push(Section {
            title: "Deals and tenders in play".into(),
            items: if self.deals.is_empty() {
                vec![Item::new("No open deal.", Tone::Dim)]
            } else {
                self.deals.iter().flat_map(|d| self.deal_items(d)).collect()
            },
        });
        out.extend(super::deal_products::sections(
            &self.deal_people,
            &self.objections,
            &self.products,
        ));
        if !self.plans.is_empty() {
            out.push(Section {
                title: "Plans".into(),
                items: self.plans.iter().flat_map(plan_items).collect(),
            });
        }
        out
    }

    fn meeting_section<Tz: TimeZone>(&self, tz: &Tz) -> Section
    where
        Tz::Offset: std::fmt::Display,
    {
        let mut items = Vec::new();
        match &self.meeting {
            Some(m) => {
                let start = m.start.with_timezone(tz);
                let title = m.title.clone().unwrap_or_else(|| m.kind.to_string());
                items.push(Item::new(title, Tone::Strong));
                if let Some(goal) = &m.goal {
                    items.push(Item::new(format!("Goal: {goal}"), Tone::Strong));
                }
                for q in &m.questions {
                    items.push(Item::new(format!("Ask: {q}"), Tone::Plain));
                }
                let mut when = format!(
                    "{} #i{} · {}",
                    m.kind,
                    m.id,
                    start.format("%a %-d %b %H:%M")
                );
                if let Some(end) = &m.end {
                    let _ = write!(when, "–{}", end.with_timezone(tz).format("%H:%M"));
                }
                let _ = write!(when, " ({})", m.countdown);
                items.push(Item::new(when, Tone::Plain));
                if let Some(l) = &m.location {
                    items.push(Item::new(format!("Where: {l}"), Tone::Plain));
                }
            }
            None => items.push(Item::new(
                format!(
                    "No meeting planned with {}; what to know before the next one.",
                    self.subject
                ),
                Tone::Dim,
            )),
        }
        if let Some(a) = &self.account {
            let mut facts = vec![a.name.clone()];
            if let Some(t) = a.tier {
                facts.push(format!("tier {t}"));
            }
            if let Some(s) = a.stage {
                match a.days_in_stage {
                    Some(d) => facts.push(format!("{s} for {}", days(d))),
                    None => facts.push(s.to_string()),
                }
            }
            facts.push(match a.days_since_contact {
                None => "no contact yet".into(),
                Some(0) => "last contact today".into(),
                Some(d) => format!("last contact {} ago", days(d)),
            });
            items.push(Item {
                account: Some(a.id),
                ..Item::new(format!("Account: {}", facts.join(" · ")), Tone::Plain)
            });
            if let Some(n) = &a.needs {
                items.push(Item::detail(format!("Needs: {n}"), Tone::Dim));
            }
        }
        if let Some(notes) = self.meeting.as_ref().and_then(|m| m.notes.as_ref()) {
            for line in notes.lines().filter(|l| !l.trim().is_empty()) {
                items.push(Item::detail(line, Tone::Dim));
            }
        }
        Section {
            title: "Meeting".into(),
            items,
        }
    }

    fn person_items(&self, p: &PersonBrief) -> Vec<Item> {
        let mut items = Vec::new();
        let head = match &p.title {
            Some(t) => format!("{} — {t}", p.name),
            None => p.name.clone(),
        };
        items.push(Item {
            person: Some(p.id),
            ..Item::new(head, Tone::Strong)
        });
        let mut facts = Vec::new();
        if let Some(r) = p.role {
            facts.push(r.to_string());
        }
        if let Some(i) = p.influence {
            facts.push(format!("influence {i}"));
        }
        if let Some(a) = p.attitude {
            facts.push(a.to_string());
        }
        if let Some(s) = p.stage {
            match p.days_in_stage {
                Some(d) => facts.push(format!("{s} for {}", days(d))),
                None => facts.push(s.to_string()),
            }
        }
        facts.push(seen(p.days_since_contact));
        items.push(Item {
            person: Some(p.id),
            ..Item::detail(facts.join(" · "), Tone::Plain)
        });
        if let Some(b) = p.birthday {
            let turns = b.turns.map(|t| format!(", turns {t}")).unwrap_or_default();
            items.push(Item {
                person: Some(p.id),
                ..Item::detail(
                    format!(
                        "Birthday {} ({}{turns})",
                        relative_day(b.date, self.today),
                        b.date.format("%a %-d %b")
                    ),
                    Tone::Alert,
                )
            });
        }
        if let Some(personal) = &p.personal {
            for line in personal.lines().filter(|l| !l.trim().is_empty()) {
                items.push(Item {
                    person: Some(p.id),
                    ..Item::detail(line, Tone::Dim)
                });
            }
        }
        items
    }

    fn promises_section(&self) -> Section {
        let mut items: Vec<Item> = self.promises.iter().map(|p| self.promise_item(p)).collect();
        if self.more_promises {
            items.push(Item::new(
                "…and more: the dossier lists every open follow-up",
                Tone::Dim,
            ));
        }
        if items.is_empty() {
            items.push(Item::new("Nothing open on either side.", Tone::Dim));
        }
        Section {
            title: "Promises (open follow-ups and obligations)".into(),
            items,
        }
    }

    fn promise_item(&self, p: &Promise) -> Item {
        let by = match p.by {
            Some(Party::Us) => "We",
            Some(Party::Client) => "They",
            None => "Due",
        };
        let overdue = p.due < self.today;
        let when = if overdue {
            format!("OVERDUE since {}", short_date(p.due, self.today))
        } else {
            format!(
                "{} ({})",
                short_date(p.due, self.today),
                relative_day(p.due, self.today)
            )
        };
        let source = match &p.source {
            PromiseSource::FollowUp { id, who } => match who {
                Some(w) => format!("#f{id}, {w}"),
                None => format!("#f{id}"),
            },
            PromiseSource::Obligation { deal, .. } => deal.clone(),
        };
        Item::new(
            format!("{by}: {} — {when} · {source}", p.text),
            if overdue { Tone::Alert } else { Tone::Plain },
        )
    }

    fn interactions_section<Tz: TimeZone>(&self, tz: &Tz) -> Section
    where
        Tz::Offset: std::fmt::Display,
    {
        let mut items = Vec::new();
        for i in &self.interactions {
            let at = i.at.with_timezone(tz);
            let title = i.title.clone().unwrap_or_default();
            let mut line = format!(
                "{} ({}) {} — {title}",
                short_date(at.date_naive(), self.today),
                relative_day(at.date_naive(), self.today),
                i.kind
            );
            if !i.people.is_empty() {
                let _ = write!(line, " · {}", i.people.join(", "));
            }
            if !i.products.is_empty() {
                let _ = write!(line, " · on {}", i.products.join(", "));
            }
            items.push(Item::new(line, Tone::Plain));
            if let Some(o) = &i.outcome {
                items.push(Item::detail(format!("Outcome: {o}"), Tone::Dim));
            }
        }
        if items.is_empty() {
            items.push(Item::new("No interaction recorded yet.", Tone::Dim));
        }
        Section {
            title: "Last interactions".into(),
            items,
        }
    }

    fn deal_items(&self, d: &DealBrief) -> Vec<Item> {
        let mut facts = Vec::new();
        if let Some(k) = d.kind {
            facts.push(k.to_string());
        }
        if let Some(s) = d.stage {
            facts.push(s.to_string());
        }
        if let Some(v) = d.value {
            facts.push(format_money_short(v, d.currency.as_deref()));
        }
        if let Some(p) = d.probability {
            facts.push(format!("{p:.0} %"));
        }
        if let Some(c) = d.close {
            facts.push(format!(
                "closes {} ({})",
                c.format("%-d %b %Y"),
                relative_day(c, self.today)
            ));
        }
        let mut items = vec![Item::new(format!("{} (#d{})", d.title, d.id), Tone::Strong)];
        if !facts.is_empty() {
            items.push(Item::detail(facts.join(" · "), Tone::Plain));
        }
        if let Some(m) = &d.next_milestone {
            items.push(Item::detail(
                format!(
                    "Next: {} — {} ({})",
                    m.name,
                    short_date(m.date, self.today),
                    relative_day(m.date, self.today)
                ),
                Tone::Plain,
            ));
        }
        items
    }
}

fn plan_items(p: &PlanBrief) -> Vec<Item> {
    let mut items = vec![Item::new(
        format!("{} (plan #{}, {})", p.objective, p.id, p.of),
        Tone::Strong,
    )];
    let mut facts = Vec::new();
    if let Some(s) = p.progress.steps_line() {
        facts.push(s);
    }
    if let (Some(t), Some(c)) = (p.target, p.progress.countdown(p.status)) {
        facts.push(format!("target {} ({c})", t.format("%-d %b %Y")));
    }
    if !facts.is_empty() {
        items.push(Item::detail(facts.join(" · "), Tone::Plain));
    }
    if let Some(b) = p.progress.budget_line(10) {
        let tone = if p.progress.overrun().is_some() {
            Tone::Alert
        } else {
            Tone::Plain
        };
        items.push(Item::detail(format!("Budget {b}"), tone));
    }
    items
}
