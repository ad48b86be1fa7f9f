//! A dossier laid out once as headed sections of tone-tagged lines ([`crate::layout`]), each
//! tagged with the [`Part`] it belongs to (the TUI shows each part on its tab; the CLI and
//! Markdown show them all, in order). The text of every line of a dossier is written here and
//! nowhere else. Lines hold the data as written: painters sanitize and escape.

use std::fmt::Write as _;

use chrono::{DateTime, TimeZone};

use super::{AccountData, PersonData, PlanLine};
use crate::domain::{DealStage, InteractionStatus, RecordKind, RecordRef, StageChange, Vocabulary};
use crate::layout::{Anchor, Item, Section, Tone};
use crate::store::{FollowUpRow, InteractionRow};
use crate::text::count;

/// Cells of a plan's budget bar.
const BAR: usize = 10;
/// The last months of sales a dossier lists one by one.
const SALES_MONTHS: usize = 3;
/// A timeline entry's body and outcome are shown by their first line, cut to this many cells.
const FIRST_LINE: usize = 110;

/// Which part of the dossier a section is (the TUI's tab that shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The name and the facts under it (the TUI's header shows the name).
    Head,
    Overview,
    People,
    Deals,
    /// A person's power-map links.
    Links,
    FollowUps,
    Timeline,
    History,
}

/// How much of a note's body and outcome the timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    /// The first line of each, cut (a terminal).
    FirstLine,
    /// Every line, as free text (a document read offline).
    Whole,
}

/// A section of a dossier and the part it belongs to. A section without a title continues the
/// one above (the facts under the head).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierSection {
    pub part: Part,
    pub section: Section,
}

fn section(part: Part, title: impl Into<String>, items: Vec<Item>) -> DossierSection {
    DossierSection {
        part,
        section: Section {
            title: title.into(),
            items,
        },
    }
}

/// "today", "yesterday", "12 days ago", "never" — calendar days in `now`'s zone.
fn since<Tz: TimeZone>(last: Option<i64>, now: &DateTime<Tz>) -> String {
    match last {
        None => "never".into(),
        Some(t) => {
            match crate::agenda::days_since(&now.timezone(), now.date_naive(), t).unwrap_or(0) {
                ..=0 => "today".into(),
                1 => "yesterday".into(),
                d => format!("{} ago", count(d, "day", "days")),
            }
        }
    }
}

/// "loyal for 4 months", or the stage alone when the history does not say since when.
fn in_stage<Tz: TimeZone>(stage: &str, history: &[StageChange], now: &DateTime<Tz>) -> String {
    match crate::cadence::in_stage_since(history, stage) {
        Some(at) => {
            let days =
                (now.date_naive() - at.with_timezone(&now.timezone()).date_naive()).num_days();
            format!("{stage} for {}", crate::cadence::span(days))
        }
        None => stage.to_string(),
    }
}

/// A text field as prose lines under its title (nothing when empty).
fn prose(part: Part, title: &str, value: Option<&str>) -> Option<DossierSection> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    Some(section(
        part,
        title,
        value.lines().map(Item::prose).collect(),
    ))
}

/// Labelled values, those with a value.
fn details(values: &[(&'static str, Option<String>)]) -> Option<DossierSection> {
    let items: Vec<Item> = values
        .iter()
        .filter_map(|(label, v)| {
            v.as_ref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Item::labelled(label, v.clone()))
        })
        .collect();
    (!items.is_empty()).then(|| section(Part::Overview, "Details", items))
}

/// A plan: objective, steps done and the target countdown, the budget used with a bar (an
/// alert when overrun).
fn plan(line: &PlanLine) -> DossierSection {
    let p = &line.plan;
    let progress = &line.progress;
    let status = p.status.map_or(String::new(), |s| format!(" · {s}"));
    let mut items = vec![Item::new(p.objective.clone(), Tone::Plain)];
    let mut facts = Vec::new();
    if let Some(s) = progress.steps_line() {
        facts.push(s);
    }
    if let Some(t) = p.target {
        match progress.countdown(p.status) {
            Some(c) => facts.push(format!("target {t} ({c})")),
            None => facts.push(format!("target {t}")),
        }
    }
    if !facts.is_empty() {
        items.push(Item::new(facts.join(" · "), Tone::Dim));
    }
    if let Some(b) = progress.budget_line(BAR) {
        let tone = if progress.overrun().is_some() {
            Tone::Alert
        } else {
            Tone::Plain
        };
        items.push(Item::new(format!("Budget {b}"), tone));
    }
    section(Part::Overview, format!("Plan #{}{status}", p.id), items)
}

/// Open follow-ups in date order: due day, id, text, whose (when not the dossier's own), the
/// repeat, and how late (an alert).
fn followups<Tz: TimeZone>(
    rows: &[FollowUpRow],
    whose: bool,
    now: &DateTime<Tz>,
) -> Option<DossierSection> {
    if rows.is_empty() {
        return None;
    }
    let items = rows
        .iter()
        .map(|r| {
            let f = &r.followup;
            let day = f.due.day_in(&now.timezone());
            let mut text = format!(
                "{day}  {} {}",
                RecordRef::of(RecordKind::FollowUp, f.id),
                f.text
            );
            if let Some(who) = r.person_name.as_deref().filter(|_| whose) {
                let _ = write!(text, " — {who}");
            }
            if let Some(repeat) = &f.repeat {
                let _ = write!(text, "  ↻ {repeat}");
            }
            let late = (now.date_naive() - day).num_days();
            let item = if late > 0 {
                Item::new(format!("{text}  ({late}d late)"), Tone::Alert)
            } else {
                Item::new(text, Tone::Plain)
            };
            item.at(Anchor::FollowUp {
                id: f.id,
                version: r.version,
            })
        })
        .collect();
    Some(section(Part::FollowUps, "Open follow-ups", items))
}

/// Interactions, newest first: when, kind, id, status (unless done), title and who (but the
/// dossier's own person), then the first line of the body and of the outcome.
fn timeline<Tz: TimeZone>(
    rows: &[InteractionRow],
    own: Option<i64>,
    notes: Notes,
    now: &DateTime<Tz>,
) -> Option<DossierSection>
where
    Tz::Offset: std::fmt::Display,
{
    if rows.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    for r in rows {
        let i = &r.interaction;
        let when = i.at.with_timezone(&now.timezone()).format("%Y-%m-%d %H:%M");
        let mut head = format!(
            "{when}  {} {}",
            i.kind,
            RecordRef::of(RecordKind::Interaction, i.id)
        );
        if i.status != InteractionStatus::Done {
            let _ = write!(head, " ({})", i.status);
        }
        if let Some(t) = &i.title {
            let _ = write!(head, "  {t}");
        }
        let people: Vec<&str> = r
            .people
            .iter()
            .filter(|(id, _)| Some(*id) != own)
            .map(|(_, n)| n.as_str())
            .collect();
        if !people.is_empty() {
            let _ = write!(head, "  · {}", people.join(", "));
        }
        let tone = match i.status {
            InteractionStatus::Planned => Tone::Strong,
            InteractionStatus::Cancelled => Tone::Dim,
            InteractionStatus::Done => Tone::Plain,
        };
        items.push(Item::new(head, tone).at(Anchor::Interaction(i.id)));
        for text in [i.body.as_deref(), i.outcome.as_deref()]
            .into_iter()
            .flatten()
        {
            if notes == Notes::Whole {
                items.extend(text.trim().lines().map(|l| Item {
                    prose: true,
                    ..Item::detail(l, Tone::Dim)
                }));
                continue;
            }
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let first = crate::text::truncate(first.trim(), FIRST_LINE);
            items.push(Item::detail(first, Tone::Dim));
        }
    }
    Some(section(Part::Timeline, "Latest interactions", items))
}

/// Stage moves, oldest first, with their reasons.
fn history<Tz: TimeZone>(changes: &[StageChange], now: &DateTime<Tz>) -> Option<DossierSection>
where
    Tz::Offset: std::fmt::Display,
{
    if changes.is_empty() {
        return None;
    }
    let items = changes
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let note = c
                .note
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            Item::new(
                format!(
                    "{}  {} → {}{note}",
                    c.at.with_timezone(&now.timezone()).format("%Y-%m-%d"),
                    c.from.as_deref().unwrap_or("·"),
                    c.to
                ),
                Tone::Plain,
            )
            .at(Anchor::Entry(n))
        })
        .collect();
    Some(section(Part::History, "Stage history", items))
}

impl AccountData {
    /// The account dossier as sections, days counted at `now`, notes shown as `notes` says.
    pub fn sections<Tz: TimeZone>(&self, notes: Notes, now: &DateTime<Tz>) -> Vec<DossierSection>
    where
        Tz::Offset: std::fmt::Display,
    {
        let a = &self.account;
        let mut title = format!("{} {}", RecordRef::of(RecordKind::Account, a.id), a.name);
        for part in [
            a.archived_at.map(|_| "archived".to_string()),
            a.tier.map(|t| format!("tier {t}")),
            a.stage.map(|s| in_stage(s.as_str(), &self.history, now)),
            a.kind.clone(),
        ]
        .into_iter()
        .flatten()
        {
            let _ = write!(title, " · {part}");
        }
        let place = [a.city.as_deref(), a.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let mut facts = vec![crate::domain::contact::last_contacts_line(
            self.last_contact,
            self.last_touch,
            |t| since(t, now),
        )];
        if !place.is_empty() {
            facts.insert(0, place);
        }
        if let Some(s) = a.our_sales {
            facts.push(format!(
                "our sales {}",
                crate::money::format_money_whole(s, a.currency.as_deref())
            ));
        }
        if !a.tags.is_empty() {
            facts.push(format!("tags {}", a.tags.join(", ")));
        }
        // The head is what the TUI's header shows too; the facts under it open the overview.
        let mut out = vec![
            section(Part::Head, title, Vec::new()),
            section(
                Part::Overview,
                "",
                vec![Item::new(facts.join(" · "), Tone::Plain)],
            ),
        ];
        if !self.red_flags.is_empty() {
            let items = self
                .red_flags
                .iter()
                .map(|f| {
                    let tone = if f.severity >= 3 {
                        Tone::Alert
                    } else {
                        Tone::Plain
                    };
                    Item::new(format!("⚑ {}", f.text), tone)
                })
                .collect();
            out.push(section(
                Part::Overview,
                format!("Red flags ({})", self.red_flags.len()),
                items,
            ));
        }
        let money =
            |v: Option<f64>| v.map(|v| crate::money::format_money_whole(v, a.currency.as_deref()));
        out.extend(details(&[
            ("Territory", a.territory.clone()),
            ("Address", a.address.clone()),
            ("Phone", a.phone.clone()),
            ("Website", a.website.clone()),
            ("Revenue", money(a.revenue)),
        ]));
        out.extend(prose(Part::Overview, "About", a.about.as_deref()));
        out.extend(prose(Part::Overview, "Needs", a.needs.as_deref()));
        out.extend(prose(Part::Overview, "Their plans", a.plans.as_deref()));
        out.extend(prose(
            Part::Overview,
            "Competitors",
            a.competitors.as_deref(),
        ));
        out.extend(self.people_section(now));
        out.extend(self.deals_section());
        out.extend(self.products_section());
        out.extend(self.sales_section(now));
        out.extend(self.plans.iter().map(plan));
        out.extend(followups(&self.followups, true, now));
        out.extend(timeline(&self.timeline, None, notes, now));
        out.extend(history(&self.history, now));
        out
    }

    /// The account's people: role, influence, attitude, stage, last contact, title.
    fn people_section<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Option<DossierSection> {
        if self.people.is_empty() {
            return None;
        }
        let items = self
            .people
            .iter()
            .map(|line| {
                let p = &line.person;
                // What the power map turns on first, the job title last: a narrow screen cuts it.
                let parts: Vec<String> = [
                    p.role.map(|r| r.to_string()),
                    p.influence.map(|i| format!("influence {i}")),
                    p.attitude.map(|a| a.to_string()),
                    p.stage.map(|s| s.to_string()),
                    Some(format!("last seen {}", since(line.last_contact, now))),
                    p.title.clone(),
                ]
                .into_iter()
                .flatten()
                .collect();
                Item {
                    person: Some(p.id),
                    ..Item::new(
                        format!(
                            "{} {} — {}",
                            RecordRef::of(RecordKind::Person, p.id),
                            p.addressed(),
                            parts.join(" · ")
                        ),
                        Tone::Plain,
                    )
                }
                .at(Anchor::Person(p.id))
            })
            .collect();
        Some(section(Part::People, "People", items))
    }

    /// Deals, open first: stage, value, close; under each its kind, probability, weighted
    /// value (open deals) and milestones.
    fn deals_section(&self) -> Option<DossierSection> {
        if self.deals.is_empty() {
            return None;
        }
        let mut items = Vec::new();
        for d in &self.deals {
            let value = d
                .value
                .map(|v| {
                    format!(
                        " · {}",
                        crate::money::format_money_whole(v, d.currency.as_deref())
                    )
                })
                .unwrap_or_default();
            let close = d.close.map(|c| format!(" · close {c}")).unwrap_or_default();
            items.push(
                Item {
                    account: Some(self.account.id),
                    ..Item::new(
                        format!(
                            "{} {} · {}{value}{close}",
                            RecordRef::of(RecordKind::Deal, d.id),
                            d.title,
                            d.stage.map_or("", Vocabulary::as_str),
                        ),
                        Tone::Plain,
                    )
                }
                .at(Anchor::Deal(d.id)),
            );
            let mut facts: Vec<String> = Vec::new();
            if let Some(k) = d.kind {
                facts.push(k.to_string());
            }
            if let Some(p) = d.probability {
                facts.push(format!("{p:.0}%"));
            }
            if let (Some(w), Some(c)) = (crate::money::weighted_value(d), d.currency.as_deref())
                && !matches!(d.stage, Some(DealStage::Won | DealStage::Lost))
            {
                facts.push(format!("weighted {} {c}", crate::money::format_whole(w)));
            }
            facts.extend(
                d.milestones
                    .iter()
                    .map(|m| format!("{} {}", m.name, m.date)),
            );
            if !facts.is_empty() {
                items.push(Item::detail(facts.join(" · "), Tone::Dim));
            }
        }
        Some(section(Part::Deals, "Deals", items))
    }

    /// This year's target against actual (issue 14.6): the year to date in each currency the
    /// account's figures are in (months with both figures), then the last months one by one,
    /// a month under 90 % of its target marked.
    fn sales_section<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Option<DossierSection> {
        if self.sales.is_empty() {
            return None;
        }
        let year = now.date_naive().format("%Y");
        let ytd = crate::insights::targets::against_target(
            &self.sales,
            &crate::config::DealsConfig::default(),
        );
        let mut items: Vec<Item> = if ytd.is_empty() {
            vec![Item::new(
                "Year to date: no month has both a target and an actual yet",
                Tone::Dim,
            )]
        } else {
            ytd.totals
                .iter()
                .map(|f| {
                    let tone = if f.percent().is_some_and(|p| p < 90.0) {
                        Tone::Alert
                    } else {
                        Tone::Plain
                    };
                    Item::new(
                        format!(
                            "Year to date: {} · {}",
                            f.text(),
                            count(f.months, "month", "months")
                        ),
                        tone,
                    )
                })
                .collect()
        };
        let first = self.sales.len().saturating_sub(SALES_MONTHS);
        for l in &self.sales[first..] {
            let s = &l.sales;
            let figure = |v: Option<f64>| {
                v.map_or("—".to_string(), |v| {
                    crate::money::format_money_whole(v, Some(&s.currency))
                })
            };
            let pct = s
                .attainment()
                .map_or(String::new(), |p| format!(" · {p:.0} %"));
            let tone = if s.attainment().is_some_and(|p| p < 90.0) {
                Tone::Alert
            } else {
                Tone::Dim
            };
            items.push(Item::detail(
                format!(
                    "{} · target {} · actual {}{pct}",
                    s.month,
                    figure(s.target),
                    figure(s.actual)
                ),
                tone,
            ));
        }
        Some(section(
            Part::Deals,
            format!("Sales {year}: target against actual"),
            items,
        ))
    }

    /// Where each product stands with the account (issue 14.4): ours first, the current status
    /// and since when; a competitor's is marked.
    fn products_section(&self) -> Option<DossierSection> {
        if self.products.is_empty() {
            return None;
        }
        let items = self
            .products
            .iter()
            .map(|r| {
                let whose = if r.competitor { " (competitor)" } else { "" };
                Item::new(
                    format!(
                        "{}{whose}: {} since {}",
                        r.product_name, r.change.status, r.change.day
                    ),
                    Tone::Plain,
                )
            })
            .collect();
        Some(section(Part::Deals, "Products", items))
    }
}

impl PersonData {
    /// The person dossier as sections, days counted at `now`, notes shown as `notes` says.
    pub fn sections<Tz: TimeZone>(&self, notes: Notes, now: &DateTime<Tz>) -> Vec<DossierSection>
    where
        Tz::Offset: std::fmt::Display,
    {
        let p = &self.person;
        let mut head = Vec::new();
        let mut facts: Vec<String> = Vec::new();
        if let Some(t) = &p.title {
            facts.push(t.clone());
        }
        if let (Some(name), Some(id)) = (&self.account_name, p.account) {
            facts.push(format!("{name} {}", RecordRef::of(RecordKind::Account, id)));
        }
        if !facts.is_empty() {
            head.push(Item::new(facts.join(" · "), Tone::Plain));
        }
        let ladder: Vec<String> = [
            p.role.map(|r| r.to_string()),
            p.influence.map(|i| format!("influence {i}/5")),
            p.attitude.map(|a| a.to_string()),
            p.stage
                .map(|s| format!("stage {}", in_stage(s.as_str(), &self.history, now))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !ladder.is_empty() {
            head.push(Item::new(ladder.join(" · "), Tone::Plain));
        }
        // The head is what the TUI's header shows too; contact and cadence open the overview.
        let mut overview = Vec::new();
        let mut contact = vec![crate::domain::contact::last_contacts_line(
            self.last_contact,
            self.last_touch,
            |t| since(t, now),
        )];
        for c in [p.phone.as_deref(), p.email.as_deref()]
            .into_iter()
            .flatten()
        {
            contact.push(c.to_string());
        }
        if let Some(b) = p.birthday {
            contact.push(format!("birthday {b}"));
        }
        if !p.languages.is_empty() {
            contact.push(format!("speaks {}", p.languages.join(", ")));
        }
        if !p.tags.is_empty() {
            contact.push(format!("tags {}", p.tags.join(", ")));
        }
        if let Some(f) = &p.family_name {
            contact.push(format!("family name {f}"));
        }
        overview.push(Item::new(contact.join(" · "), Tone::Plain));
        let standing = self.standing;
        let own = if standing.own { " (their own)" } else { "" };
        let tone = if standing.due.is_due() {
            Tone::Alert
        } else {
            Tone::Plain
        };
        overview.push(Item::new(
            format!("cadence: {}{own}", standing.due.describe()),
            tone,
        ));
        if let (true, Some(days)) = (standing.suggest_cooling, standing.days_silent) {
            overview.push(Item::new(
                format!(
                    "Suggested: cooling ({})",
                    crate::cadence::cooling_reason(days)
                ),
                Tone::Strong,
            ));
        }
        let mut out = vec![section(
            Part::Head,
            format!(
                "{} {}{}",
                RecordRef::of(RecordKind::Person, p.id),
                p.addressed(),
                if p.archived_at.is_some() {
                    " · archived"
                } else {
                    ""
                }
            ),
            head,
        )];
        out.push(section(Part::Overview, "", overview));
        out.extend(prose(Part::Overview, "Personal", p.personal.as_deref()));
        out.extend(self.links_section());
        out.extend(self.plans.iter().map(plan));
        out.extend(followups(&self.followups, false, now));
        out.extend(timeline(&self.timeline, Some(p.id), notes, now));
        out.extend(history(&self.history, now));
        out
    }

    /// Power-map links: those the person makes (→), those made to them (←), each with its
    /// note; how many more there are.
    fn links_section(&self) -> Option<DossierSection> {
        if self.links.is_empty() {
            return None;
        }
        let me = self.person.id;
        let mut items = Vec::new();
        for (l, other) in &self.links {
            let (text, other_id) = if l.from == me {
                (format!("→ {} {other}", l.kind), l.to)
            } else {
                (format!("← {other} ({})", l.kind), l.from)
            };
            items.push(
                Item {
                    person: Some(other_id),
                    ..Item::new(
                        format!("{text}  {}", RecordRef::of(RecordKind::Person, other_id)),
                        Tone::Plain,
                    )
                }
                .at(Anchor::Link(l.id)),
            );
            if let Some(note) = l.note.as_deref().filter(|n| !n.trim().is_empty()) {
                let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
                items.push(Item::detail(note, Tone::Dim));
            }
        }
        let shown = i64::try_from(self.links.len()).unwrap_or(i64::MAX);
        if self.links_total > shown {
            items.push(Item::new(
                format!("… and {} more links", self.links_total - shown),
                Tone::Dim,
            ));
        }
        Some(section(Part::Links, "Power map", items))
    }
}
