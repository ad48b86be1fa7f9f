//! `kam deal add|edit|show|list|calendar|obligation`: the deals of each account, their money
//! (totals and weighted totals per currency, expected commission) and their obligations.

use chrono::NaiveDate;
use serde::Serialize;

use super::deal_args::{
    DealCommand, DealFields, DealListArgs, DealPersonCommand, ObligationCommand,
};
use super::target::resolve;
use super::{CliError, Ctx, lifecycle};
use crate::domain::{
    Deal, DealKind, DealRole, DealStage, Extra, Ladder, Milestone, Obligation, ObligationStatus,
    RecordKind, RecordRef, StageChange, Vocabulary,
};
use crate::insights::pipeline::Pipeline;
use crate::insights::tenders;
use crate::money::{self, DealTotals, format_money};
use crate::ops;
use crate::store::{DealFilter, DealPersonRow, DealRow, TargetKind};
use crate::text::{fit, sanitize_line};
use crate::when;

/// `kam deal ...`.
pub fn run(ctx: &mut Ctx, command: DealCommand) -> Result<(), CliError> {
    match command {
        DealCommand::Add {
            account,
            title,
            stage,
            fields,
            json,
        } => add(ctx, &account, title, stage.as_deref(), fields, json),
        DealCommand::Edit {
            deal,
            title,
            fields,
            clear,
        } => edit(ctx, &deal, title, fields, &clear),
        DealCommand::Show { deal, json } => {
            let t = resolve(&ctx.store.reader(), &deal, &[TargetKind::Deal])?;
            show(ctx, t.id, json)
        }
        DealCommand::List(args) => list(ctx, &args),
        DealCommand::Calendar { date, days, json } => calendar(ctx, date.as_deref(), days, json),
        DealCommand::Obligation(o) => obligation(ctx, o),
        DealCommand::Archive { deal } => archive(ctx, &deal, false),
        DealCommand::Restore { deal } => archive(ctx, &deal, true),
        DealCommand::Person(p) => person(ctx, p),
    }
}

/// `kam deal person add|remove DEAL PERSON`.
fn person(ctx: &mut Ctx, command: DealPersonCommand) -> Result<(), CliError> {
    let role_of = |text: &str| -> Result<DealRole, CliError> {
        text.parse::<DealRole>()
            .map_err(|e| CliError::usage(format!("--role: {e}; e.g. --role evaluation-committee")))
    };
    let (deal, who, role) = match &command {
        DealPersonCommand::Add { deal, person, role } => (deal, person, Some(role_of(role)?)),
        DealPersonCommand::Remove { deal, person, role } => {
            (deal, person, role.as_deref().map(role_of).transpose()?)
        }
    };
    let reader = ctx.store.reader();
    let deal = resolve(&reader, deal, &[TargetKind::Deal])?.id;
    let person = resolve(&reader, who, &[TargetKind::Person])?.id;
    match (command, role) {
        (DealPersonCommand::Add { .. }, Some(role)) => lifecycle::run_and_print(
            ctx,
            &ops::AddDealPerson {
                deal,
                person,
                role,
                uid: crate::capture::new_uid(),
            },
        ),
        (_, role) => lifecycle::run_and_print(ctx, &ops::RemoveDealPerson { deal, person, role }),
    }
}

/// `kam deal archive|restore REF`.
fn archive(ctx: &mut Ctx, deal: &str, restore: bool) -> Result<(), CliError> {
    let t = resolve(&ctx.store.reader(), deal, &[TargetKind::Deal])?;
    lifecycle::run_and_print(
        ctx,
        &ops::ArchiveDeal {
            id: t.id,
            version: None,
            restore,
        },
    )
}

fn day(ctx: &Ctx, text: &str) -> Result<NaiveDate, CliError> {
    Ok(when::parse_when(text, &ctx.clock.now())?.date)
}

/// "submission=2027-01-15" → a milestone.
fn milestone(ctx: &Ctx, text: &str) -> Result<Milestone, CliError> {
    let (name, date) = text
        .split_once('=')
        .filter(|(n, d)| !n.trim().is_empty() && !d.trim().is_empty())
        .ok_or_else(|| {
            CliError::usage(format!(
                "--milestone {}: give NAME=DATE, e.g. --milestone \"submission=2027-01-15\"",
                sanitize_line(text)
            ))
        })?;
    Ok(Milestone {
        name: name.trim().to_string(),
        date: day(ctx, date.trim())?,
    })
}

fn apply(ctx: &Ctx, d: &mut Deal, f: DealFields) -> Result<(), CliError> {
    if let Some(k) = f.kind {
        d.kind = Some(k.parse::<DealKind>()?);
    }
    if f.value.is_some() {
        d.value = f.value;
    }
    if let Some(c) = f.currency {
        d.currency = Some(c.trim().to_uppercase());
    }
    if f.probability.is_some() {
        d.probability = f.probability;
    }
    if let Some(c) = f.close {
        d.close = Some(day(ctx, &c)?);
    }
    if f.commission.is_some() {
        d.commission_rate = f.commission;
    }
    if !f.milestones.is_empty() {
        let mut ms = f
            .milestones
            .iter()
            .map(|m| milestone(ctx, m))
            .collect::<Result<Vec<_>, _>>()?;
        ms.sort_by_key(|m| m.date);
        d.milestones = ms;
    }
    if f.notes.is_some() {
        d.notes = f.notes;
    }
    Ok(())
}

fn add(
    ctx: &mut Ctx,
    account: &str,
    title: String,
    stage: Option<&str>,
    fields: DealFields,
    json: bool,
) -> Result<(), CliError> {
    let account = resolve(&ctx.store.reader(), account, &[TargetKind::Account])?;
    let stage = match stage {
        Some(s) => s.parse::<DealStage>()?,
        None => DealStage::Lead,
    };
    let mut d = Deal {
        id: 0,
        uid: uuid::Uuid::new_v4().to_string(),
        account: account.id,
        title,
        kind: None,
        stage: None,
        value: None,
        currency: None,
        probability: None,
        close: None,
        commission_rate: None,
        milestones: Vec::new(),
        notes: None,
        extra: Extra::new(),
    };
    apply(ctx, &mut d, fields)?;
    let outcome = lifecycle::apply(
        ctx,
        &ops::AddDeal {
            deal: d,
            stage,
            account_name: account.name,
        },
    )?;
    ctx.out.saved(format!(
        "the deal {}",
        outcome.record.map_or_else(String::new, |r| r.to_string())
    ));
    if json {
        let id = outcome.record.map_or(0, |r| r.id);
        return ctx.out.json(&view(ctx, id)?);
    }
    lifecycle::print(ctx, &outcome)?;
    ctx.out.flush()
}

fn edit(
    ctx: &mut Ctx,
    target: &str,
    title: Option<String>,
    fields: DealFields,
    clear: &[String],
) -> Result<(), CliError> {
    let t = resolve(&ctx.store.reader(), target, &[TargetKind::Deal])?;
    let (mut d, stamp) = ctx
        .store
        .reader()
        .deal(t.id)?
        .ok_or_else(|| CliError::usage("deal vanished"))?;
    if let Some(title) = title {
        d.title = title;
    }
    for f in clear {
        match f.as_str() {
            "kind" => d.kind = None,
            "value" => d.value = None,
            "currency" => d.currency = None,
            "probability" => d.probability = None,
            "close" => d.close = None,
            "commission" => d.commission_rate = None,
            "milestones" => d.milestones.clear(),
            "notes" => d.notes = None,
            other => {
                return Err(CliError::usage(format!(
                    "--clear {}: not a field that can be emptied; one of: kind, value, currency, probability, close, commission, milestones, notes",
                    sanitize_line(other)
                )));
            }
        }
    }
    apply(ctx, &mut d, fields)?;
    lifecycle::run_and_print(
        ctx,
        &ops::EditDeal {
            deal: d,
            version: stamp.version,
        },
    )
}

/// A deal as `kam deal show --json` prints it.
#[derive(Debug, Serialize)]
struct DealView {
    #[serde(flatten)]
    row: DealRow,
    weighted_value: Option<f64>,
    /// The rate applied: the deal's own or the configured default.
    commission_rate_applied: f64,
    expected_commission: Option<f64>,
    commission_if_won: Option<f64>,
    obligations: Vec<Obligation>,
    history: Vec<StageChange>,
    /// Its people with their role in it.
    people: Vec<DealPersonRow>,
    /// The day its offers are due: its submission milestone, else its close.
    submission: Option<NaiveDate>,
    /// Open follow-ups kept on it.
    followups: Vec<crate::domain::FollowUp>,
}

fn view(ctx: &Ctx, id: i64) -> Result<DealView, CliError> {
    let rate = ctx.config.deals.commission_rate;
    let r = ctx.store.reader();
    let row = r.deal_row(id)?.ok_or_else(|| {
        CliError::usage(format!("no deal {}", RecordRef::of(RecordKind::Deal, id)))
    })?;
    Ok(DealView {
        weighted_value: money::weighted_value(&row.deal),
        commission_rate_applied: money::commission_rate(&row.deal, rate),
        expected_commission: money::expected_commission(&row.deal, rate),
        commission_if_won: money::commission_if_won(&row.deal, rate),
        obligations: r.obligations_of(id)?,
        history: r.stage_history(Ladder::Deal, id)?,
        people: r.deal_people(id)?,
        submission: crate::flags::committee::submission_day(&row.deal),
        followups: r.open_followups_of_deal(id, 50)?,
        row,
    })
}

fn amount(v: Option<f64>, currency: Option<&str>) -> String {
    v.map_or_else(
        || "—".to_string(),
        |v| format_money(v, currency.unwrap_or(money::NO_CURRENCY)),
    )
}

pub(super) fn show(ctx: &mut Ctx, id: i64, json: bool) -> Result<(), CliError> {
    let v = view(ctx, id)?;
    if json {
        return ctx.out.json(&v);
    }
    let d = &v.row.deal;
    let c = d.currency.as_deref();
    let today = ctx.clock.now().date_naive();
    ctx.out.heading(&format!(
        "{} {}",
        RecordRef::of(RecordKind::Deal, d.id),
        d.title
    ))?;
    ctx.out.line(&format!(
        "  {} · {} · {}",
        v.row.account_name,
        d.kind.map_or("deal", Vocabulary::as_str),
        d.stage.map_or("no stage", Vocabulary::as_str)
    ))?;
    if let Some((Some(at), _)) = ctx
        .store
        .reader()
        .archived_at(crate::store::Shelved::Deal, d.id)?
    {
        ctx.out.alert(&format!(
            "  Archived {} · kam deal restore {}",
            at.format("%Y-%m-%d"),
            RecordRef::of(RecordKind::Deal, d.id)
        ))?;
    }
    ctx.out.line(&format!(
        "  Value {} · probability {} · weighted {}",
        amount(d.value, c),
        d.probability.map_or("—".into(), |p| format!("{p}%")),
        amount(v.weighted_value, c)
    ))?;
    let own = if d.commission_rate.is_some() {
        ""
    } else {
        " (default)"
    };
    ctx.out.line(&format!(
        "  Commission {}%{own} · expected {} · if won {}",
        v.commission_rate_applied,
        amount(v.expected_commission, c),
        amount(v.commission_if_won, c)
    ))?;
    if let Some(close) = d.close {
        let late = if close < today && v.row.deal.stage.is_none_or(|s| !is_closed(s)) {
            "  (past its expected close)"
        } else {
            ""
        };
        ctx.out.line(&format!("  Expected close {close}{late}"))?;
    }
    if let Some(n) = &d.notes {
        ctx.out.text("  ", n)?;
    }
    milestone_lines(ctx, &d.milestones, today)?;
    people_lines(ctx, &v, today)?;
    followup_lines(ctx, &v.followups, today)?;
    if !v.obligations.is_empty() {
        ctx.out.heading("Obligations")?;
        for o in &v.obligations {
            let line = obligation_line(o);
            let open = o.status != Some(ObligationStatus::Done);
            if open && o.due < today {
                ctx.out.alert(&format!("  {line}  (overdue)"))?;
            } else {
                ctx.out.line(&format!("  {line}"))?;
            }
        }
    }
    if !v.history.is_empty() {
        ctx.out.heading("Stage history")?;
        for h in &v.history {
            let note = h
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            ctx.out.line(&format!(
                "  {}  {} → {}{note}",
                h.at.format("%Y-%m-%d"),
                h.from.as_deref().unwrap_or("(none)"),
                h.to
            ))?;
        }
    }
    ctx.out.flush()
}

/// The deal's people by role, each with when they were last seen; a committee member not seen
/// in the weeks before the submission is shown as an alert (the red flag's rule).
fn people_lines(ctx: &mut Ctx, v: &DealView, today: NaiveDate) -> Result<(), CliError> {
    use crate::flags::committee::{seen_day, unseen_before};
    if v.people.is_empty() {
        return Ok(());
    }
    ctx.out.heading("People")?;
    let open = v.row.deal.stage.is_none_or(|s| !is_closed(s));
    for p in &v.people {
        let seen = seen_day(&ctx.store.reader(), p.role.person, &chrono::Local)?;
        let said = seen.map_or_else(
            || "never seen".to_string(),
            |d| {
                let days = (today - d).num_days();
                format!(
                    "last seen {d} ({})",
                    super::output::count(days, "day ago", "days ago")
                )
            },
        );
        let title = p
            .title
            .as_deref()
            .map(|t| format!(", {t}"))
            .unwrap_or_default();
        let line = format!(
            "  {:<21} {} {}{title} — {said}",
            p.role.role.as_str(),
            RecordRef::of(RecordKind::Person, p.role.person),
            p.name
        );
        match v.submission {
            Some(s) if open && p.role.role.is_committee() && unseen_before(s, today, seen) => {
                ctx.out.alert(&format!(
                    "{line}  ⚑ not seen in the weeks before the submission on {s}"
                ))?;
            }
            _ => ctx.out.line(&line)?,
        }
    }
    Ok(())
}

/// The deal's milestones, each with how far away it is.
fn milestone_lines(
    ctx: &mut Ctx,
    milestones: &[Milestone],
    today: NaiveDate,
) -> Result<(), CliError> {
    if milestones.is_empty() {
        return Ok(());
    }
    ctx.out.heading("Milestones")?;
    for m in milestones {
        let when = match (m.date - today).num_days() {
            0 => "today".to_string(),
            n if n > 0 => format!("in {}", super::output::count(n, "day", "days")),
            n => format!("{} ago", super::output::count(-n, "day", "days")),
        };
        ctx.out
            .line(&format!("  {}  {}  ({when})", m.date, m.name))?;
    }
    Ok(())
}

/// The open follow-ups kept on the deal, an overdue one as an alert.
fn followup_lines(
    ctx: &mut Ctx,
    followups: &[crate::domain::FollowUp],
    today: NaiveDate,
) -> Result<(), CliError> {
    if followups.is_empty() {
        return Ok(());
    }
    ctx.out.heading("Open follow-ups")?;
    for f in followups {
        let day = f.due.day_in(&chrono::Local);
        let line = format!(
            "  {day}  {} {}",
            RecordRef::of(RecordKind::FollowUp, f.id),
            f.text
        );
        if day < today {
            ctx.out.alert(&format!("{line}  (overdue)"))?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    Ok(())
}

fn is_closed(s: DealStage) -> bool {
    matches!(s, DealStage::Won | DealStage::Lost)
}

fn obligation_line(o: &Obligation) -> String {
    let party = o.party.map_or("", |p| match p {
        crate::domain::Party::Us => "we owe",
        crate::domain::Party::Client => "client owes",
    });
    let kind = o.kind.map_or("", Vocabulary::as_str);
    let status = o.status.map_or("open", Vocabulary::as_str);
    let money = o
        .amount
        .map(|a| format!(" · {}", amount(Some(a), o.currency.as_deref())))
        .unwrap_or_default();
    format!(
        "[{}] {}  {party} {kind}: {}{money}  ({status})",
        o.id, o.due, o.text
    )
}

fn list(ctx: &mut Ctx, args: &DealListArgs) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let mut stages = Vec::new();
    for s in &args.stages {
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            stages.push(part.parse::<DealStage>()?);
        }
    }
    let filter = DealFilter {
        stages,
        account: args
            .account
            .as_deref()
            .map(|a| resolve(&reader, a, &[TargetKind::Account]).map(|t| t.id))
            .transpose()?,
        kind: args.kind.as_deref().map(str::parse).transpose()?,
        closing_before: args
            .closing_before
            .as_deref()
            .map(|d| day(ctx, d))
            .transpose()?,
        open_only: args.open,
        archived: args.archived,
        limit: args.limit,
    };
    let rows = reader.deals_filtered(&filter)?;
    let more = rows.len() == args.limit as usize;
    let pipeline = Pipeline::of(rows, ctx.config.deals.commission_rate);
    if args.json {
        return ctx.out.json(&pipeline);
    }
    if pipeline.groups.is_empty() {
        ctx.out.dim("No deals.")?;
        return ctx.out.flush();
    }
    for g in &pipeline.groups {
        ctx.out
            .heading(&format!("{} ({})", g.label(), g.deals.len()))?;
        let shelf = if args.archived { "  (archived)" } else { "" };
        for r in &g.deals {
            let d = &r.deal;
            ctx.out.line(&format!(
                "  {:<7} {}  {} {:>20}  {:>4}  {}{shelf}",
                RecordRef::of(RecordKind::Deal, d.id).to_string(),
                fit(&sanitize_line(&d.title), 34),
                fit(&sanitize_line(&r.account_name), 22),
                amount(d.value, d.currency.as_deref()),
                d.probability.map_or(String::new(), |p| format!("{p:.0}%")),
                d.close.map_or(String::new(), |c| c.to_string()),
            ))?;
        }
        totals_lines(ctx, &g.totals)?;
    }
    ctx.out.heading("Open pipeline (not won or lost)")?;
    totals_lines(ctx, &pipeline.open)?;
    if more {
        ctx.out.dim(&format!(
            "(first {}; --limit for more)",
            super::output::count(args.limit, "deal", "deals")
        ))?;
    }
    ctx.out.flush()
}

/// "value … · weighted … · commission …", one line per currency.
fn totals_lines(ctx: &mut Ctx, t: &DealTotals) -> Result<(), CliError> {
    for (c, v) in t.value.iter() {
        ctx.out.dim(&format!(
            "  Σ {c}: value {} · weighted {} · expected commission {}",
            format_money(v, c),
            format_money(t.weighted.get(c), c),
            format_money(t.commission.get(c), c)
        ))?;
    }
    Ok(())
}

fn calendar(ctx: &mut Ctx, date: Option<&str>, days: u32, json: bool) -> Result<(), CliError> {
    let today = ctx.clock.now().date_naive();
    let from = date.map(|d| day(ctx, d)).transpose()?.unwrap_or(today);
    let dates = tenders::calendar(&ctx.store.reader(), today, from, days)?;
    if json {
        return ctx.out.json(&dates);
    }
    if dates.is_empty() {
        ctx.out.dim(&format!(
            "No milestones of open deals in {days} days from {from}."
        ))?;
        return ctx.out.flush();
    }
    let mut last = None;
    for t in &dates {
        if last != Some(t.date) {
            ctx.out.heading(
                &when::When {
                    date: t.date,
                    time: None,
                }
                .describe(today),
            )?;
            last = Some(t.date);
        }
        let line = format!(
            "  {}: {} · {}  {}",
            t.countdown(),
            t.title,
            t.account,
            RecordRef::of(RecordKind::Deal, t.deal)
        );
        if (0..=i64::from(ctx.config.deals.tender_lead_days)).contains(&t.days_left) {
            ctx.out.accent(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    ctx.out.flush()
}

fn obligation(ctx: &mut Ctx, command: ObligationCommand) -> Result<(), CliError> {
    match command {
        ObligationCommand::Add {
            deal,
            text,
            due,
            party,
            kind,
            amount: value,
            currency,
            json,
        } => {
            let t = resolve(&ctx.store.reader(), &deal, &[TargetKind::Deal])?;
            let o = Obligation {
                id: 0,
                uid: uuid::Uuid::new_v4().to_string(),
                deal: t.id,
                text,
                due: day(ctx, &due)?,
                party: Some(party.parse()?),
                kind: Some(kind.parse()?),
                amount: value,
                currency: currency.map(|c| c.trim().to_uppercase()),
                status: Some(ObligationStatus::Open),
                done_at: None,
                extra: Extra::new(),
            };
            let outcome = lifecycle::apply(
                ctx,
                &ops::AddObligation {
                    obligation: o,
                    deal_label: format!("{} {}", t.reference(), t.name),
                },
            )?;
            if json {
                let saved = match outcome.row {
                    Some(id) => ctx.store.reader().obligation(id)?.map(|(o, _)| o),
                    None => None,
                };
                return ctx.out.json(&saved);
            }
            lifecycle::print(ctx, &outcome)?;
            ctx.out.flush()
        }
        ObligationCommand::Done { id } => {
            let n: i64 = id.trim().trim_start_matches('#').parse().map_err(|_| {
                CliError::usage(format!(
                    "\"{}\" is not an obligation number; `kam deal show #dN` lists them as [7]",
                    sanitize_line(&id)
                ))
            })?;
            lifecycle::run_and_print(ctx, &ops::CompleteObligation { id: n })
        }
    }
}
