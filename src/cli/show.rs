//! `kam account show` and `kam person show`: the dossier a KAM reads before walking in.
//! Long lists are windowed (the latest interactions, the open follow-ups), so the biggest
//! account costs a handful of indexed queries.

use std::fmt::Write as _;

use chrono::{DateTime, Local, TimeZone};
use serde_json::json;

use super::{CliError, Ctx};
use crate::domain::{InteractionStatus, Ladder, PlanSubject, RecordKind, RecordRef, Vocabulary};
use crate::store::InteractionRow;
use crate::text::sanitize_line;

/// Interactions listed in a dossier.
const TIMELINE: u32 = 10;
/// People listed in an account dossier.
const PEOPLE: u32 = 50;
/// Power-map links listed in a person dossier.
const LINKS: u32 = 20;

fn since(ctx: &Ctx, last: Option<i64>) -> String {
    match last {
        None => "never".into(),
        Some(t) => {
            // Calendar days in the local zone: last night at 23:00 was "yesterday" at 08:00.
            match crate::agenda::days_since(&Local, ctx.clock.today(), t).unwrap_or(0) {
                ..=0 => "today".into(),
                1 => "yesterday".into(),
                d => format!("{} ago", super::output::count(d, "day", "days")),
            }
        }
    }
}

/// "loyal for 4 months", or the stage alone when the history does not say since when.
fn in_stage(ctx: &Ctx, stage: &str, history: &[crate::domain::StageChange]) -> String {
    match crate::cadence::in_stage_since(history, stage) {
        Some(at) => {
            let days = (ctx.clock.today() - at.with_timezone(&Local).date_naive()).num_days();
            format!("{stage} for {}", crate::cadence::span(days))
        }
        None => stage.to_string(),
    }
}

fn field(ctx: &mut Ctx, label: &str, value: Option<&str>) -> Result<(), CliError> {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        ctx.out.heading(label)?;
        ctx.out.text("  ", v)?;
    }
    Ok(())
}

fn timeline(ctx: &mut Ctx, rows: &[InteractionRow]) -> Result<(), CliError> {
    if rows.is_empty() {
        return Ok(());
    }
    ctx.out.heading("Latest interactions")?;
    for r in rows {
        let i = &r.interaction;
        let when = Local
            .from_utc_datetime(&i.at.naive_utc())
            .format("%Y-%m-%d %H:%M");
        let people: Vec<&str> = r.people.iter().map(|(_, n)| n.as_str()).collect();
        let mut head = format!(
            "  {when}  {} {}",
            i.kind,
            RecordRef::of(RecordKind::Interaction, i.id)
        );
        if i.status != InteractionStatus::Done {
            let _ = write!(head, " ({})", i.status);
        }
        if let Some(t) = &i.title {
            let _ = write!(head, "  {t}");
        }
        if !people.is_empty() {
            let _ = write!(head, "  · {}", people.join(", "));
        }
        ctx.out.line(&head)?;
        for text in [i.body.as_deref(), i.outcome.as_deref()]
            .into_iter()
            .flatten()
        {
            let first = crate::text::truncate(text.lines().next().unwrap_or(""), 110);
            ctx.out.dim(&format!("      {first}"))?;
        }
    }
    Ok(())
}

fn stage_history(ctx: &mut Ctx, ladder: Ladder, id: i64) -> Result<(), CliError> {
    let history = ctx.store.reader().stage_history(ladder, id)?;
    if history.is_empty() {
        return Ok(());
    }
    ctx.out.heading("Stage history")?;
    for c in &history {
        let when: DateTime<Local> = c.at.with_timezone(&Local);
        let note = c
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        ctx.out.line(&format!(
            "  {}  {} → {}{note}",
            when.format("%Y-%m-%d"),
            c.from.as_deref().unwrap_or("·"),
            c.to
        ))?;
    }
    Ok(())
}

fn followups(ctx: &mut Ctx, account: Option<i64>, person: Option<i64>) -> Result<(), CliError> {
    let rows = ctx.store.reader().open_followups_of(account, person, 20)?;
    if rows.is_empty() {
        return Ok(());
    }
    let today = ctx.clock.today();
    ctx.out.heading("Open follow-ups")?;
    for r in rows {
        let f = r.followup;
        let line = format!(
            "  {}  {} {}",
            f.due.day_in(&chrono::Local),
            RecordRef::of(RecordKind::FollowUp, f.id),
            f.text
        );
        if f.due.day_in(&chrono::Local) < today {
            ctx.out.alert(&format!("{line}  (overdue)"))?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    Ok(())
}

fn people_lines(ctx: &mut Ctx, people: &[crate::domain::Person]) -> Result<(), CliError> {
    if !people.is_empty() {
        ctx.out.heading("People")?;
        for p in people {
            let parts: Vec<String> = [
                p.title.clone(),
                p.role.map(|r| r.to_string()),
                p.influence.map(|i| format!("influence {i}")),
                p.attitude.map(|a| a.to_string()),
                p.stage.map(|s| s.to_string()),
            ]
            .into_iter()
            .flatten()
            .collect();
            ctx.out.line(&format!(
                "  {} {} — {}",
                RecordRef::of(RecordKind::Person, p.id),
                sanitize_line(&p.name),
                parts.join(" · ")
            ))?;
        }
    }
    Ok(())
}

/// Where each product stands with the account (issue 14.4): ours first, the current status
/// and since when.
fn products(ctx: &mut Ctx, account: i64) -> Result<(), CliError> {
    let rows = ctx.store.reader().product_standings_of(account)?;
    if rows.is_empty() {
        return Ok(());
    }
    ctx.out.heading("Products")?;
    for r in &rows {
        let whose = if r.competitor { " (competitor)" } else { "" };
        ctx.out.line(&format!(
            "  {}{whose}: {} since {}",
            r.product_name, r.change.status, r.change.day
        ))?;
    }
    Ok(())
}

/// The account dossier.
#[allow(clippy::too_many_lines)] // its sections in order; being rebuilt as shared sections (#12.5)
pub fn account(ctx: &mut Ctx, id: i64, json: bool) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let (a, stamp) = reader
        .account(id)?
        .ok_or_else(|| CliError::usage(format!("no account #a{id}")))?;
    let people = reader.people(Some(id), PEOPLE, 0)?;
    let deals = reader.deals_of(id)?;
    let timeline_rows = reader.account_timeline(id, TIMELINE, 0)?;
    let last = reader.account_last_contact(id)?;
    let (plans, steps) = super::plans::with_steps(&reader, PlanSubject::Account(id))?;
    if json {
        let open = reader.open_followups_of(Some(id), None, 100)?;
        let open: Vec<_> = open.into_iter().map(|r| r.followup).collect();
        let interactions: Vec<_> = timeline_rows.into_iter().map(|r| r.interaction).collect();
        return ctx.out.json(&json!({
            "account": a, "version": stamp.version, "last_contact": last,
            "people": people, "deals": deals, "plans": plans,
            "followups": open, "interactions": interactions,
            "products": reader.product_standings_of(id)?,
            "stage_history": reader.stage_history(Ladder::Account, id)?,
            "red_flags": crate::flags::for_account(&reader, id, &ctx.clock.now(), &ctx.config.cadence)?,
        }));
    }
    let history = reader.stage_history(Ladder::Account, id)?;
    let now = ctx.clock.now();
    let red_flags = crate::flags::for_account(&reader, id, &now, &ctx.config.cadence)?;
    let mut head = format!("{} {}", RecordRef::of(RecordKind::Account, id), a.name);
    for part in [
        a.tier.map(|t| format!("tier {t}")),
        a.stage.map(|s| in_stage(ctx, s.as_str(), &history)),
        a.kind.clone(),
    ]
    .into_iter()
    .flatten()
    {
        let _ = write!(head, " · {part}");
    }
    ctx.out.heading(&head)?;
    let place = [a.city.as_deref(), a.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut facts = vec![format!("last contact {}", since(ctx, last))];
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
    ctx.out.line(&format!("  {}", facts.join(" · ")))?;
    if !red_flags.is_empty() {
        ctx.out
            .heading(&format!("Red flags ({})", red_flags.len()))?;
        for f in &red_flags {
            let line = format!("  ⚑ {}", f.text);
            if f.severity >= 3 {
                ctx.out.alert(&line)?;
            } else {
                ctx.out.line(&line)?;
            }
        }
    }
    field(ctx, "About", a.about.as_deref())?;
    field(ctx, "Needs", a.needs.as_deref())?;
    field(ctx, "Their plans", a.plans.as_deref())?;
    field(ctx, "Competitors", a.competitors.as_deref())?;
    people_lines(ctx, &people)?;
    if !deals.is_empty() {
        ctx.out.heading("Deals")?;
        for d in &deals {
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
            ctx.out.line(&format!(
                "  {} {} · {}{value}{close}",
                RecordRef::of(RecordKind::Deal, d.id),
                d.title,
                d.stage.map_or("", Vocabulary::as_str),
            ))?;
        }
    }
    products(ctx, id)?;
    for (p, steps) in plans.iter().zip(steps) {
        super::plans::dossier_plan(&mut ctx.out, p, steps, ctx.clock.today())?;
    }
    followups(ctx, Some(id), None)?;
    timeline(ctx, &timeline_rows)?;
    stage_history(ctx, Ladder::Account, id)?;
    ctx.out.flush()
}

/// The person dossier.
pub fn person(ctx: &mut Ctx, id: i64, json: bool) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let (p, stamp) = reader
        .person(id)?
        .ok_or_else(|| CliError::usage(format!("no person #p{id}")))?;
    let account = p
        .account
        .map(|a| reader.account(a))
        .transpose()?
        .flatten()
        .map(|(a, _)| a);
    let (links, links_total) = reader.links_of(id, LINKS)?;
    let timeline_rows = reader.person_timeline(id, TIMELINE, 0)?;
    let last = reader.person_last_contact(id)?;
    let (plans, steps) = super::plans::with_steps(&reader, PlanSubject::Person(id))?;
    let history = reader.stage_history(Ladder::Person, id)?;
    if json {
        let open = reader.open_followups_of(None, Some(id), 100)?;
        let open: Vec<_> = open.into_iter().map(|r| r.followup).collect();
        let interactions: Vec<_> = timeline_rows.into_iter().map(|r| r.interaction).collect();
        let links: Vec<_> = links
            .into_iter()
            .map(|(l, name)| json!({"link": l, "other": name}))
            .collect();
        return ctx.out.json(&json!({
            "person": p, "version": stamp.version, "account": account, "last_contact": last,
            "links": links, "links_total": links_total, "followups": open, "interactions": interactions,
            "plans": plans, "stage_history": history,
            "standing": standing_of(ctx, &p, account.as_ref(), last),
        }));
    }
    ctx.out.heading(&format!(
        "{} {}",
        RecordRef::of(RecordKind::Person, id),
        p.name
    ))?;
    let mut facts: Vec<String> = Vec::new();
    if let Some(t) = &p.title {
        facts.push(t.clone());
    }
    if let Some(a) = &account {
        facts.push(format!(
            "{} {}",
            a.name,
            RecordRef::of(RecordKind::Account, a.id)
        ));
    }
    ctx.out.line(&format!("  {}", facts.join(" · ")))?;
    let ladder: Vec<String> = [
        p.role.map(|r| r.to_string()),
        p.influence.map(|i| format!("influence {i}/5")),
        p.attitude.map(|a| a.to_string()),
        p.stage
            .map(|s| format!("stage {}", in_stage(ctx, s.as_str(), &history))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !ladder.is_empty() {
        ctx.out.line(&format!("  {}", ladder.join(" · ")))?;
    }
    let mut contact = vec![format!("last contact {}", since(ctx, last))];
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
    ctx.out.line(&format!("  {}", contact.join(" · ")))?;
    standing(ctx, &p, account.as_ref().and_then(|a| a.tier), last)?;
    field(ctx, "Personal", p.personal.as_deref())?;
    if !links.is_empty() {
        ctx.out.heading("Power map")?;
        for (l, other) in &links {
            let line = if l.from == id {
                format!("  → {} {other}", l.kind)
            } else {
                format!("  ← {other} ({})", l.kind)
            };
            ctx.out.line(&line)?;
        }
        let shown = i64::try_from(links.len()).unwrap_or(i64::MAX);
        if links_total > shown {
            ctx.out
                .dim(&format!("  … and {} more links", links_total - shown))?;
        }
    }
    for (plan, steps) in plans.iter().zip(steps) {
        super::plans::dossier_plan(&mut ctx.out, plan, steps, ctx.clock.today())?;
    }
    followups(ctx, None, Some(id))?;
    timeline(ctx, &timeline_rows)?;
    stage_history(ctx, Ladder::Person, id)?;
    ctx.out.flush()
}

/// The person's cadence line, and the cooling suggestion when there is one.
fn standing(
    ctx: &mut Ctx,
    p: &crate::domain::Person,
    tier: Option<crate::domain::Tier>,
    last: Option<i64>,
) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let standing = ctx
        .config
        .cadence
        .standing(p, tier, last, &Local, now.date_naive());
    let own = if standing.own { " (their own)" } else { "" };
    let cadence = format!("  cadence: {}{own}", standing.due.describe());
    if standing.due.is_due() {
        ctx.out.alert(&cadence)?;
    } else {
        ctx.out.line(&cadence)?;
    }
    if let (true, Some(days)) = (standing.suggest_cooling, standing.days_silent) {
        ctx.out.accent(&format!(
            "  Suggested: cooling ({}) — accept with `kam stage #p{} cooling --reason \"{}\"`",
            crate::cadence::cooling_reason(days),
            p.id,
            crate::cadence::cooling_reason(days)
        ))?;
    }
    Ok(())
}

fn standing_of(
    ctx: &Ctx,
    p: &crate::domain::Person,
    account: Option<&crate::domain::Account>,
    last: Option<i64>,
) -> crate::cadence::Standing {
    let tier = account.and_then(|a| a.tier);
    ctx.config
        .cadence
        .standing(p, tier, last, &Local, ctx.clock.today())
}
