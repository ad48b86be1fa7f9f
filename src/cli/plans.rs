//! `kam plan add|edit|show|list|spend`: long-term plans for an account or a person, their
//! budget and spend (hospitality, events, samples), and the follow-ups that are their steps.
//! Money stays in the plan's currency: a spend in another one is refused, totals of plans in
//! different currencies are never added up.

use clap::{Args, Subcommand};

use super::target::resolve;
use super::{CliError, Ctx, lifecycle};
use crate::domain::{
    Extra, Id, Plan, PlanProgress, PlanStatus, PlanSubject, RecordKind, RecordRef, Spend,
    SpendCategory, Vocabulary, check_currency,
};
use crate::money::format_money_short as money;
use crate::ops;
use crate::store::{PlanRow, Reader, TargetKind};
use crate::text::sanitize_line;
use crate::when;

/// Width of the budget bar in `kam plan list` and `show`.
const BAR: usize = 10;

/// Fields of a plan that `add` and `edit` set.
#[derive(Debug, Args, Default)]
pub struct PlanFields {
    /// What the plan should achieve.
    #[arg(long)]
    pub objective: Option<String>,
    /// The target date (date language: 2027-03-31, 31.03.2027, +90d).
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,
    /// The budget, in the plan's currency.
    #[arg(long, value_parser = super::deal_args::amount_arg)]
    pub budget: Option<f64>,
    /// The total spent so far (to record one spend, use `kam plan spend`).
    #[arg(long, value_parser = super::deal_args::amount_arg)]
    pub spent: Option<f64>,
    /// ISO 4217 code, e.g. EUR.
    #[arg(long)]
    pub currency: Option<String>,
    /// active, achieved or dropped.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Start a plan: `kam plan add --account clinic --objective "Advisory board" --budget 20000
    /// --currency EUR --target 2027-03-31`.
    Add {
        /// The account it is for.
        #[arg(long, conflicts_with = "person", required_unless_present = "person")]
        account: Option<String>,
        /// The person it is for.
        #[arg(long)]
        person: Option<String>,
        #[command(flatten)]
        fields: PlanFields,
        #[arg(long)]
        json: bool,
    },
    /// Change a plan's fields.
    Edit {
        /// The plan: 12 or #12.
        plan: String,
        #[command(flatten)]
        fields: PlanFields,
        /// Empty a field: target, budget, spent, currency, status, notes (repeat for several).
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// A plan: objective, progress, budget, spend by category, steps.
    Show {
        plan: String,
        #[arg(long)]
        json: bool,
    },
    /// Plans by target date (active ones unless --all or --status).
    List {
        #[arg(long, conflicts_with = "all")]
        status: Option<String>,
        #[arg(long)]
        all: bool,
        /// The archived plans instead.
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record money spent on a plan: `kam plan spend 3 180 --category hospitality --note "dinner"`.
    Spend {
        plan: String,
        /// In the plan's currency.
        #[arg(value_parser = super::deal_args::amount_arg)]
        amount: f64,
        /// hospitality, events, samples or other.
        #[arg(long, default_value = "other")]
        category: String,
        /// The day it was spent (date language; default today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// The currency it was paid in; must be the plan's.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Who it benefited (repeat for several; the amount is shared evenly): a transfer of
        /// value to a healthcare professional, listed by `kam tov`.
        #[arg(long = "for", value_name = "PERSON")]
        benefited: Vec<String>,
        /// What kind of transfer of value it was: donation, grant (to the plan's account),
        /// registration, travel, accommodation, fee, expenses, meal, sample, gift. A hospitality
        /// spend for people is a meal, samples a sample.
        #[arg(long)]
        transfer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Archive a plan: out of the dossiers, the plan list and the insights, kept (`kam plan
    /// list --archived` shows them; `kam undo` or `restore` brings it back).
    Archive {
        /// The plan: 12 or #12.
        plan: String,
    },
    /// Bring an archived plan back.
    Restore {
        /// The plan: 12 or #12.
        plan: String,
    },
}

/// `kam plan ...`.
pub fn run(ctx: &mut Ctx, command: PlanCommand) -> Result<(), CliError> {
    match command {
        PlanCommand::Add {
            account,
            person,
            fields,
            json,
        } => add(ctx, account, person, fields, json),
        PlanCommand::Edit {
            plan,
            fields,
            clear,
        } => edit(ctx, &plan, fields, &clear),
        PlanCommand::Show { plan, json } => show(ctx, &plan, json),
        PlanCommand::List {
            status,
            all,
            archived,
            json,
        } => list(ctx, status.as_deref(), all, archived, json),
        PlanCommand::Archive { plan } => archive(ctx, &plan, false),
        PlanCommand::Restore { plan } => archive(ctx, &plan, true),
        PlanCommand::Spend {
            plan,
            amount,
            category,
            on,
            currency,
            note,
            benefited,
            transfer,
            json,
        } => spend(
            ctx,
            &plan,
            amount,
            &SpendFields {
                category,
                on,
                currency,
                note,
                benefited,
                transfer,
            },
            json,
        ),
    }
}

/// `kam plan archive|restore REF`.
fn archive(ctx: &mut Ctx, plan: &str, restore: bool) -> Result<(), CliError> {
    let (plan, _) = find_plan(&ctx.store.reader(), plan)?;
    lifecycle::run_and_print(
        ctx,
        &ops::ArchivePlan {
            id: plan.id,
            version: None,
            restore,
        },
    )
}

/// Reads `12` or `#12` as a plan id.
pub fn plan_id(input: &str) -> Result<Id, CliError> {
    let t = input.trim();
    t.strip_prefix('#')
        .unwrap_or(t)
        .parse::<Id>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            CliError::usage(format!(
                "\"{}\" is not a plan id; write it like 12 or #12 (`kam plan list` shows them)",
                sanitize_line(input)
            ))
        })
}

/// The plan `input` names, with its version.
pub fn find_plan(reader: &Reader<'_>, input: &str) -> Result<(Plan, i64), CliError> {
    let id = plan_id(input)?;
    reader
        .plan(id)?
        .ok_or_else(|| CliError::usage(format!("no plan #{id}; `kam plan list --all` shows them")))
}

fn day(ctx: &Ctx, input: &str, field: &str) -> Result<chrono::NaiveDate, CliError> {
    let w = when::parse_when(input, &ctx.clock.now())?;
    if w.time.is_some() {
        return Err(CliError::usage(format!(
            "--{field} {}: a plan's dates are days; leave the time out",
            sanitize_line(input)
        )));
    }
    Ok(w.date)
}

fn apply(ctx: &Ctx, p: &mut Plan, f: PlanFields) -> Result<(), CliError> {
    if let Some(o) = f.objective {
        p.objective = o;
    }
    if let Some(t) = f.target {
        p.target = Some(day(ctx, &t, "target")?);
    }
    for (field, value, slot) in [
        ("budget", f.budget, &mut p.budget),
        ("spent", f.spent, &mut p.spent),
    ] {
        if let Some(v) = value {
            if v < 0.0 {
                return Err(CliError::usage(format!(
                    "--{field} {v}: give an amount of zero or more, such as 20000"
                )));
            }
            *slot = Some(v);
        }
    }
    if let Some(c) = f.currency {
        let c = c.to_ascii_uppercase();
        check_currency("currency", &c)?;
        p.currency = Some(c);
    }
    if let Some(s) = f.status {
        p.status = Some(s.parse()?);
    }
    if let Some(n) = f.notes {
        p.notes = Some(n);
    }
    Ok(())
}

fn add(
    ctx: &mut Ctx,
    account: Option<String>,
    person: Option<String>,
    fields: PlanFields,
    json: bool,
) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let subject = match (account, person) {
        (Some(a), None) => PlanSubject::Account(resolve(&reader, &a, &[TargetKind::Account])?.id),
        (None, Some(p)) => PlanSubject::Person(resolve(&reader, &p, &[TargetKind::Person])?.id),
        _ => {
            return Err(CliError::usage(
                "a plan is for one account (--account) or one person (--person)",
            ));
        }
    };
    let mut plan = Plan {
        id: 0,
        uid: crate::capture::new_uid(),
        objective: String::new(),
        subject,
        target: None,
        budget: None,
        spent: None,
        currency: None,
        status: Some(PlanStatus::Active),
        notes: None,
        extra: Extra::new(),
    };
    apply(ctx, &mut plan, fields)?;
    let outcome = lifecycle::apply(ctx, &ops::AddPlan { plan })?;
    ctx.out
        .saved(format!("the plan #{}", outcome.row.unwrap_or_default()));
    if json {
        let id = outcome.row.unwrap_or_default();
        return ctx.out.json(&ctx.store.reader().plan(id)?.map(|(p, _)| p));
    }
    lifecycle::print(ctx, &outcome)?;
    ctx.out.flush()
}

fn edit(ctx: &mut Ctx, input: &str, fields: PlanFields, clear: &[String]) -> Result<(), CliError> {
    let (mut plan, version) = find_plan(&ctx.store.reader(), input)?;
    for field in clear {
        match field.as_str() {
            "target" => plan.target = None,
            "budget" => plan.budget = None,
            "spent" => plan.spent = None,
            "currency" => plan.currency = None,
            "status" => plan.status = None,
            "notes" => plan.notes = None,
            other => {
                return Err(CliError::usage(format!(
                    "--clear {}: a plan's fields to clear are target, budget, spent, currency, \
                     status, notes",
                    sanitize_line(other)
                )));
            }
        }
    }
    apply(ctx, &mut plan, fields)?;
    lifecycle::run_and_print(ctx, &ops::EditPlan { plan, version })
}

fn subject_line(reader: &Reader<'_>, subject: PlanSubject) -> Result<String, CliError> {
    let (kind, id) = match subject {
        PlanSubject::Account(a) => (TargetKind::Account, a),
        PlanSubject::Person(p) => (TargetKind::Person, p),
    };
    let name = reader.name_of(kind, id)?.unwrap_or_default();
    Ok(format!(
        "{} {}",
        RecordRef::of(kind.record_kind(), id),
        sanitize_line(&name)
    ))
}

fn show(ctx: &mut Ctx, input: &str, json: bool) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let (plan, _) = find_plan(&reader, input)?;
    let steps = reader.plan_steps(plan.id)?;
    let progress = PlanProgress::of(&plan, steps, ctx.clock.today());
    let spends = reader.plan_spends(plan.id)?;
    let step_list = reader.plan_step_list(plan.id, 200)?;
    if json {
        return ctx.out.json(&serde_json::json!({
            "plan": plan, "progress": progress, "spends": spends, "steps": step_list,
            "over_budget": progress.overrun(),
        }));
    }
    let subject = subject_line(&reader, plan.subject)?;
    ctx.out.heading(&format!(
        "Plan #{}  {}",
        plan.id,
        sanitize_line(&plan.objective)
    ))?;
    ctx.out.line(&format!("For      {subject}"))?;
    if let Some((Some(at), _)) = reader.archived_at(crate::store::Shelved::Plan, plan.id)? {
        ctx.out.alert(&format!(
            "Archived {} · kam plan restore {}",
            at.format("%Y-%m-%d"),
            plan.id
        ))?;
    }
    let status = plan.status.map_or("—", PlanStatus::as_str);
    ctx.out.line(&format!("Status   {status}"))?;
    if let Some(t) = plan.target {
        let countdown = progress
            .countdown(plan.status)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        ctx.out.line(&format!("Target   {t}{countdown}"))?;
    }
    if let Some(b) = progress.budget_line(BAR) {
        if progress.overrun().is_some() {
            ctx.out.alert(&format!("Budget   {b}"))?;
        } else {
            ctx.out.line(&format!("Budget   {b}"))?;
        }
    }
    ctx.out.line(&format!(
        "Steps    {}",
        progress
            .steps_line()
            .unwrap_or_else(|| "none yet (kam followup add ... --plan N)".into())
    ))?;
    if let Some(n) = &plan.notes {
        ctx.out.line("Notes")?;
        ctx.out.text("  ", n)?;
    }
    print_spends(ctx, &plan, &progress, &spends)?;
    print_steps(ctx, &step_list)
}

/// Spend by category, what is not itemised, then each entry.
fn print_spends(
    ctx: &mut Ctx,
    plan: &Plan,
    progress: &PlanProgress,
    spends: &[Spend],
) -> Result<(), CliError> {
    if !spends.is_empty() {
        ctx.out.heading("Spend")?;
        let cur = plan.currency.as_deref();
        let (totals, unlisted) = crate::domain::spend_totals(spends, progress.spent);
        for (c, total) in totals {
            ctx.out
                .line(&format!("  {:<12} {}", c.as_str(), money(total, cur)))?;
        }
        if unlisted.abs() >= 0.005 {
            ctx.out.dim(&format!(
                "  {:<12} {}",
                "not itemised",
                money(unlisted, cur)
            ))?;
        }
        for s in spends {
            ctx.out.line(&format!(
                "  {}  {:<12} {:>12}  {}",
                s.day,
                s.category.as_str(),
                money(s.amount, cur),
                sanitize_line(s.note.as_deref().unwrap_or(""))
            ))?;
        }
    }
    Ok(())
}

/// The follow-ups that are the plan's steps, done ones ticked, overdue ones as alerts.
fn print_steps(ctx: &mut Ctx, step_list: &[crate::domain::FollowUp]) -> Result<(), CliError> {
    if !step_list.is_empty() {
        ctx.out.heading("Steps")?;
        let today = ctx.clock.today();
        for f in step_list {
            let mark = match f.status {
                crate::domain::FollowUpStatus::Done => "[x]",
                crate::domain::FollowUpStatus::Cancelled => "[-]",
                crate::domain::FollowUpStatus::Open => "[ ]",
            };
            let line = format!(
                "  {mark} {} {}  {}",
                RecordRef::of(RecordKind::FollowUp, f.id),
                f.due.day_in(&chrono::Local),
                sanitize_line(&f.text)
            );
            if f.status == crate::domain::FollowUpStatus::Open
                && f.due.day_in(&chrono::Local) < today
            {
                ctx.out.alert(&line)?;
            } else {
                ctx.out.line(&line)?;
            }
        }
    }
    ctx.out.flush()
}

fn list(
    ctx: &mut Ctx,
    status: Option<&str>,
    all: bool,
    archived: bool,
    json: bool,
) -> Result<(), CliError> {
    let status = match (status, all || archived) {
        (Some(s), _) => Some(s.parse::<PlanStatus>()?),
        (None, true) => None,
        (None, false) => Some(PlanStatus::Active),
    };
    let rows = ctx.store.reader().plan_rows(status, archived, 10_000)?;
    let today = ctx.clock.today();
    if json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                let progress = PlanProgress::of(&r.plan, r.steps, today);
                serde_json::json!({
                    "plan": r.plan, "for": r.subject_name, "progress": progress,
                    "over_budget": progress.overrun(),
                })
            })
            .collect();
        return ctx.out.json(&items);
    }
    if rows.is_empty() {
        ctx.out.line("No plans.")?;
    }
    for r in &rows {
        list_row(ctx, r, today, archived)?;
    }
    ctx.out.flush()
}

fn list_row(
    ctx: &mut Ctx,
    r: &PlanRow,
    today: chrono::NaiveDate,
    archived: bool,
) -> Result<(), CliError> {
    let p = &r.plan;
    let progress = PlanProgress::of(p, r.steps, today);
    let mut facts = vec![sanitize_line(&r.subject_name).into_owned()];
    if archived {
        facts.push("archived".into());
    }
    if let Some(s) = p.status.filter(|s| *s != PlanStatus::Active) {
        facts.push(s.to_string());
    }
    if let Some(c) = progress.countdown(p.status) {
        facts.push(c);
    }
    if let Some(s) = progress.steps_line() {
        facts.push(s);
    }
    ctx.out
        .line(&format!("#{:<5} {}", p.id, sanitize_line(&p.objective)))?;
    ctx.out.dim(&format!("       {}", facts.join(" · ")))?;
    if let Some(b) = progress.budget_line(BAR) {
        let line = format!("       {b}");
        if progress.overrun().is_some() {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    Ok(())
}

/// `kam plan spend`'s options besides the plan and the amount.
struct SpendFields {
    category: String,
    on: Option<String>,
    currency: Option<String>,
    note: Option<String>,
    benefited: Vec<String>,
    transfer: Option<String>,
}

fn spend(
    ctx: &mut Ctx,
    input: &str,
    amount: f64,
    fields: &SpendFields,
    json: bool,
) -> Result<(), CliError> {
    let (plan, _) = find_plan(&ctx.store.reader(), input)?;
    let category: SpendCategory = fields.category.parse()?;
    let transfer = fields
        .transfer
        .as_deref()
        .map(str::parse::<crate::domain::Transfer>)
        .transpose()?;
    let currency = fields.currency.as_ref().map(|c| c.to_ascii_uppercase());
    let total = crate::domain::spend(&plan, amount, currency.as_deref())
        .map_err(|e| CliError::usage(e.to_string()))?;
    let day = match fields.on.as_deref() {
        Some(d) => day(ctx, d, "on")?,
        None => ctx.clock.today(),
    };
    let benefited = fields
        .benefited
        .iter()
        .map(|n| resolve(&ctx.store.reader(), n, &[TargetKind::Person]).map(|t| t.id))
        .collect::<Result<Vec<_>, _>>()?;
    let entry = Spend {
        id: 0,
        plan: plan.id,
        day,
        category,
        amount,
        note: fields.note.clone(),
        transfer,
        benefited,
    };
    let outcome = lifecycle::apply(
        ctx,
        &ops::AddSpend {
            spend: entry,
            rules: ctx.config.compliance.clone(),
        },
    )?;
    let (saved, _) = find_plan(&ctx.store.reader(), input)?;
    let steps = ctx.store.reader().plan_steps(saved.id)?;
    let progress = PlanProgress::of(&saved, steps, ctx.clock.today());
    if json {
        return ctx.out.json(&serde_json::json!({
            "plan": saved, "progress": progress, "over_budget": progress.overrun(),
        }));
    }
    let cur = plan.currency.as_deref();
    let saved = ctx.store.reader().plan_spends(plan.id)?;
    let transfer = saved
        .iter()
        .find(|s| Some(s.id) == outcome.row)
        .and_then(|s| {
            let t = s.transfer?;
            Some(match s.benefited.len() {
                0 => format!(" ({t} to the account)"),
                1 => format!(" ({t} for 1 person)"),
                n => format!(" ({t} for {n} people)"),
            })
        })
        .unwrap_or_default();
    ctx.out.line(&format!(
        "Spent {} on {}{transfer} for plan #{}: {} spent in all",
        money(amount, cur),
        category,
        plan.id,
        money(total, cur)
    ))?;
    for warning in &outcome.details {
        ctx.out.alert(warning)?;
    }
    if let Some(b) = progress.budget_line(BAR) {
        if progress.overrun().is_some() {
            ctx.out.alert(&b)?;
        } else {
            ctx.out.line(&b)?;
        }
    }
    ctx.out.flush()
}
