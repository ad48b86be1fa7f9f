//! A dossier as Markdown: what `kam account show` / `kam person show` print — facts, people,
//! deals, plans, open follow-ups, recent interactions and stage history — as one document to
//! read offline. Every data string goes through [`super::escape`] or [`super::block`].

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::{Ladder, PlanSubject, StageChange, Vocabulary};
use crate::store::{FollowUpRow, InteractionRow, Reader, StoreError};

use super::{block, escape};

/// Interactions listed.
const TIMELINE: u32 = 20;
/// People listed.
const PEOPLE: u32 = 200;

/// Starts a `## title` section, with one blank line before it.
fn heading(out: &mut String, title: &str) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    let _ = write!(out, "\n## {title}\n\n");
}

fn section(out: &mut String, title: &str, text: Option<&str>) {
    if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
        heading(out, title);
        out.push_str(&block(t));
    }
}

fn facts(out: &mut String, items: &[(&str, Option<String>)]) {
    let mut any = false;
    for (label, value) in items {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "- **{label}:** {}", escape(v));
            any = true;
        }
    }
    if any {
        out.push('\n');
    }
}

fn followups(out: &mut String, rows: &[FollowUpRow]) {
    if rows.is_empty() {
        return;
    }
    heading(out, "Open follow-ups");
    for r in rows {
        let f = &r.followup;
        let _ = writeln!(out, "- {} — {}", f.due.day(), escape(&f.text));
    }
}

fn timeline(out: &mut String, rows: &[InteractionRow]) {
    if rows.is_empty() {
        return;
    }
    heading(out, "Recent interactions");
    for r in rows {
        let i = &r.interaction;
        let mut head = format!(
            "- {} · {} · {}",
            i.at.format("%Y-%m-%d %H:%M"),
            i.kind.as_str(),
            i.status.as_str()
        );
        if let Some(t) = &i.title {
            let _ = write!(head, " — **{}**", escape(t));
        }
        let names: Vec<String> = r.people.iter().map(|(_, n)| escape(n)).collect();
        if !names.is_empty() {
            let _ = write!(head, " (with {})", names.join(", "));
        }
        out.push_str(&head);
        out.push('\n');
        for text in [i.body.as_deref(), i.outcome.as_deref()]
            .into_iter()
            .flatten()
        {
            for line in block(text).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
}

fn history(out: &mut String, changes: &[StageChange]) {
    if changes.is_empty() {
        return;
    }
    heading(out, "Stage history");
    for c in changes {
        let from = c
            .from
            .as_deref()
            .map(|f| format!("{} → ", escape(f)))
            .unwrap_or_default();
        let note = c
            .note
            .as_deref()
            .map(|n| format!(" ({})", escape(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {}: {from}{}{note}",
            c.at.format("%Y-%m-%d"),
            escape(&c.to)
        );
    }
}

fn plans(out: &mut String, subject: PlanSubject, reader: &Reader<'_>) -> Result<(), StoreError> {
    let plans = reader.plans_of(subject)?;
    if plans.is_empty() {
        return Ok(());
    }
    heading(out, "Plans");
    for p in &plans {
        let target = p.target.map(|t| format!(" (by {t})")).unwrap_or_default();
        let status = p
            .status
            .map(|s| format!(" — {}", s.as_str()))
            .unwrap_or_default();
        let _ = writeln!(out, "- {}{target}{status}", escape(&p.objective));
        if let Some(n) = &p.notes {
            for line in block(n).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    Ok(())
}

fn footer(out: &mut String, today: NaiveDate) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    let _ = write!(out, "\n---\n\n*Exported from kamnote on {today}.*\n");
}

/// The account's dossier.
pub fn account(reader: &Reader<'_>, id: i64, today: NaiveDate) -> Result<String, StoreError> {
    let (a, _) = reader
        .account(id)?
        .ok_or_else(|| StoreError::Corrupt(format!("no account #a{id}")))?;
    let mut out = format!("# {}\n\n", escape(&a.name));
    let place = [a.city.as_deref(), a.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let contacts = reader.account_contacts(id)?;
    let day = |t: Option<i64>| {
        t.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive().to_string())
    };
    let last = day(contacts.seen);
    // Shown when an e-mail or a message came after the last seen.
    let touch = day(contacts
        .touch
        .filter(|t| contacts.seen.is_none_or(|s| *t > s)));
    facts(
        &mut out,
        &[
            ("Kind", a.kind.clone()),
            ("Tier", a.tier.map(|t| t.as_str().to_string())),
            ("Stage", a.stage.map(|s| s.as_str().to_string())),
            ("Place", Some(place)),
            ("Territory", a.territory.clone()),
            ("Address", a.address.clone()),
            ("Phone", a.phone.clone()),
            ("Website", a.website.clone()),
            (
                "Revenue",
                a.revenue
                    .map(|r| crate::money::format_money_short(r, a.currency.as_deref())),
            ),
            (
                "Our sales",
                a.our_sales
                    .map(|r| crate::money::format_money_short(r, a.currency.as_deref())),
            ),
            ("Tags", Some(a.tags.join(", "))),
            ("Last seen", last),
            ("Last touch", touch),
        ],
    );
    section(&mut out, "About", a.about.as_deref());
    section(&mut out, "Needs", a.needs.as_deref());
    section(&mut out, "Their plans", a.plans.as_deref());
    section(&mut out, "Competitors", a.competitors.as_deref());
    let people = reader.people(Some(id), PEOPLE, 0)?;
    if !people.is_empty() {
        heading(&mut out, "People");
        for p in &people {
            let parts: Vec<String> = [
                p.title.clone(),
                p.role.map(|r| r.as_str().to_string()),
                p.influence.map(|i| format!("influence {i}/5")),
                p.attitude.map(|a| a.as_str().to_string()),
                p.phone.clone(),
                p.email.clone(),
            ]
            .into_iter()
            .flatten()
            .map(|s| escape(&s))
            .collect();
            let rest = if parts.is_empty() {
                String::new()
            } else {
                format!(" — {}", parts.join(" · "))
            };
            let _ = writeln!(out, "- **{}**{rest}", escape(&p.name));
        }
    }
    let deals = reader.deals_of(id)?;
    if !deals.is_empty() {
        heading(&mut out, "Deals");
        for d in &deals {
            let parts: Vec<String> = [
                d.stage.map(|s| s.as_str().to_string()),
                d.value
                    .map(|v| crate::money::format_money_short(v, d.currency.as_deref())),
                d.close.map(|c| format!("close {c}")),
            ]
            .into_iter()
            .flatten()
            .map(|s| escape(&s))
            .collect();
            let _ = writeln!(out, "- **{}** — {}", escape(&d.title), parts.join(" · "));
        }
    }
    plans(&mut out, PlanSubject::Account(id), reader)?;
    followups(&mut out, &reader.open_followups_of(Some(id), None, 100)?);
    timeline(&mut out, &reader.account_timeline(id, TIMELINE, 0)?);
    history(&mut out, &reader.stage_history(Ladder::Account, id)?);
    footer(&mut out, today);
    Ok(crate::text::sanitize(&out).into_owned())
}

/// The person's dossier.
pub fn person(reader: &Reader<'_>, id: i64, today: NaiveDate) -> Result<String, StoreError> {
    let (p, _) = reader
        .person(id)?
        .ok_or_else(|| StoreError::Corrupt(format!("no person #p{id}")))?;
    let account = match p.account {
        Some(a) => reader.account(a)?.map(|(a, _)| a.name),
        None => None,
    };
    let mut out = format!("# {}\n\n", escape(&p.name));
    let contacts = reader.person_contacts(id)?;
    let day = |t: Option<i64>| {
        t.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive().to_string())
    };
    let last = day(contacts.seen);
    // Shown when an e-mail or a message came after the last seen.
    let touch = day(contacts
        .touch
        .filter(|t| contacts.seen.is_none_or(|s| *t > s)));
    facts(
        &mut out,
        &[
            ("Title", p.title.clone()),
            ("Account", account),
            ("Role", p.role.map(|r| r.as_str().to_string())),
            ("Influence", p.influence.map(|i| format!("{i}/5"))),
            ("Attitude", p.attitude.map(|a| a.as_str().to_string())),
            ("Stage", p.stage.map(|s| s.as_str().to_string())),
            ("Phone", p.phone.clone()),
            ("Email", p.email.clone()),
            ("Birthday", p.birthday.map(|b| b.to_string())),
            ("Languages", Some(p.languages.join(", "))),
            ("Tags", Some(p.tags.join(", "))),
            ("Last seen", last),
            ("Last touch", touch),
        ],
    );
    section(&mut out, "Personal", p.personal.as_deref());
    let (links, _) = reader.links_of(id, 100)?;
    if !links.is_empty() {
        heading(&mut out, "Power map");
        for (l, other) in &links {
            if l.from == id {
                let _ = writeln!(out, "- → {} {}", l.kind.as_str(), escape(other));
            } else {
                let _ = writeln!(out, "- ← {} ({})", escape(other), l.kind.as_str());
            }
        }
    }
    plans(&mut out, PlanSubject::Person(id), reader)?;
    followups(&mut out, &reader.open_followups_of(None, Some(id), 100)?);
    timeline(&mut out, &reader.person_timeline(id, TIMELINE, 0)?);
    history(&mut out, &reader.stage_history(Ladder::Person, id)?);
    footer(&mut out, today);
    Ok(crate::text::sanitize(&out).into_owned())
}
