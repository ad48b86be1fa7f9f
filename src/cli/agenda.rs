//! `kam agenda`: the day (or days) as text for a terminal, or the same [`Agenda`] as JSON.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Local};

use super::args::AgendaArgs;
use super::{CliError, Ctx};
use crate::agenda::{self, Agenda, AgendaDay, Deadline, FollowUpItem, Meeting, Prep, Stale};
use crate::domain::{Id, InteractionKind, InteractionStatus, RecordKind, RecordRef, Vocabulary};
use crate::when;

/// `kam agenda [--date D] [--days N] [--json]`.
pub fn run(ctx: &mut Ctx, args: &AgendaArgs) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let from = match &args.date {
        Some(d) => when::parse_when(d, &now)?.date,
        None => now.date_naive(),
    };
    let agenda = agenda::build(
        &ctx.store.reader(),
        &now,
        from,
        args.days,
        &ctx.config.cadence,
    )?
    .with_milestones_ahead(&ctx.store.reader(), ctx.config.deals.tender_lead_days)?;
    if args.json {
        return ctx.out.json(&agenda);
    }
    let preps = agenda::preps(&ctx.store.reader(), &agenda, &now, &ctx.config.cadence)?;
    render(ctx, &agenda, &preps, &now)
}

fn hhmm(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

fn render(
    ctx: &mut Ctx,
    agenda: &Agenda,
    preps: &HashMap<Id, Prep>,
    now: &DateTime<Local>,
) -> Result<(), CliError> {
    let single = agenda.days.len() == 1;
    if !agenda.overdue.is_empty() {
        let heading = if agenda.overdue_more {
            format!(
                "Overdue follow-ups ({}; the {} most recent — all: `kam followup list --overdue`)",
                agenda.overdue_total,
                agenda.overdue.len()
            )
        } else {
            format!("Overdue follow-ups ({})", agenda.overdue_total)
        };
        ctx.out.heading(&heading)?;
        for f in &agenda.overdue {
            ctx.out.alert(&format!("  {}", followup_line(f, true)))?;
        }
        ctx.out.line("")?;
    }
    if !agenda.overdue_obligations.is_empty() {
        ctx.out.heading("Overdue contract obligations")?;
        for d in &agenda.overdue_obligations {
            ctx.out.alert(&format!("  {}", deadline_line(d)))?;
        }
        ctx.out.line("")?;
    }
    let next = next_meeting(agenda, now);
    for day in &agenda.days {
        if !single && day_is_empty(day) {
            continue;
        }
        let label = when::When {
            date: day.date,
            time: None,
        }
        .describe(agenda.today);
        ctx.out.heading(&label)?;
        render_day(ctx, day, preps, next, single)?;
        ctx.out.line("")?;
    }
    if agenda.meetings_more || agenda.birthdays_more {
        ctx.out.dim(
            "More meetings or birthdays fall in this range than are shown: try fewer --days.",
        )?;
        ctx.out.line("")?;
    }
    if !agenda.ahead.is_empty() {
        ctx.out.heading("Coming up on deals")?;
        for t in &agenda.ahead {
            ctx.out.line(&format!(
                "  ⏳ {}: {} · {}  {}",
                t.countdown(),
                t.title,
                t.account,
                RecordRef::of(RecordKind::Deal, t.deal)
            ))?;
        }
        ctx.out.line("")?;
    }
    render_stale(ctx, agenda)?;
    ctx.out.flush()
}

fn day_is_empty(day: &AgendaDay) -> bool {
    day.meetings.is_empty()
        && day.followups.is_empty()
        && day.birthdays.is_empty()
        && day.deadlines.is_empty()
}

/// The id of the first meeting still ahead.
fn next_meeting(agenda: &Agenda, now: &DateTime<Local>) -> Option<i64> {
    agenda
        .days
        .iter()
        .flat_map(|d| &d.meetings)
        .find(|m| m.status == InteractionStatus::Planned && m.start >= now.fixed_offset())
        .map(|m| m.id)
}

/// A meeting as up to three lines: time, title, id and flags; where; with whom.
pub(super) fn meeting_lines(m: &Meeting) -> Vec<String> {
    let time = match &m.end {
        Some(e) => format!("{}–{}", hhmm(&m.start), hhmm(e)),
        None => hhmm(&m.start),
    };
    let mut head = format!(
        "{time:<11}  {}  {}",
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
    if !place.is_empty() {
        lines.push(format!("{:13}{}", "", place.join(" · ")));
    }
    if !m.people.is_empty() {
        let names: Vec<&str> = m.people.iter().map(|p| p.name.as_str()).collect();
        lines.push(format!("{:13}with {}", "", names.join(", ")));
    }
    lines
}

fn followup_line(f: &FollowUpItem, overdue: bool) -> String {
    let when = match (&f.at, overdue) {
        (_, true) if f.days_overdue > 300 => {
            format!("{} ({}d late)", f.due.format("%a %d %b %Y"), f.days_overdue)
        }
        (_, true) => format!("{} ({}d late)", f.due.format("%a %d %b"), f.days_overdue),
        (Some(t), false) => hhmm(t),
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
        } => {
            format!(
                "{name}: {title} · {account}  {}",
                RecordRef::of(RecordKind::Deal, *deal)
            )
        }
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
                Some(crate::domain::Party::Client) => "client owes",
                Some(crate::domain::Party::Us) => "we owe",
                None => "due",
            };
            format!(
                "{whose}: {text}{} · {deal_title} · {account}",
                money(*amount, currency.as_deref())
            )
        }
    }
}

fn render_day(
    ctx: &mut Ctx,
    day: &AgendaDay,
    preps: &HashMap<Id, Prep>,
    next: Option<i64>,
    single: bool,
) -> Result<(), CliError> {
    if day.meetings.is_empty() && single {
        ctx.out.dim("  No meetings.")?;
    }
    for m in &day.meetings {
        let lines = meeting_lines(m);
        for (n, line) in lines.iter().enumerate() {
            let line = format!("  {line}");
            if n == 0 && Some(m.id) == next {
                ctx.out.accent(&format!("{line}  ← next"))?;
            } else if n == 0 {
                ctx.out.line(&line)?;
            } else {
                ctx.out.dim(&line)?;
            }
        }
        if let Some(line) = preps.get(&m.id).and_then(Prep::summary) {
            ctx.out.line(&format!("  {:13}{line}", ""))?;
        }
    }
    if !day.followups.is_empty() {
        ctx.out.line("  Follow-ups:")?;
        for f in &day.followups {
            ctx.out.line(&format!("    {}", followup_line(f, false)))?;
        }
    }
    for b in &day.birthdays {
        let turns = b.turns.map(|t| format!(" turns {t}")).unwrap_or_default();
        let at = b
            .account
            .as_deref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        ctx.out.accent(&format!(
            "  🎂 {}{at}{turns}  {}",
            b.name,
            RecordRef::of(RecordKind::Person, b.person)
        ))?;
    }
    for d in &day.deadlines {
        ctx.out.line(&format!("  ⏰ {}", deadline_line(d)))?;
    }
    Ok(())
}

fn stale_line(s: &Stale, kind: RecordKind) -> String {
    let silent = match s.days_silent {
        Some(d) => format!(
            "{} since last contact",
            super::output::count(d, "day", "days")
        ),
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
    format!(
        "{}{at}{tier} — {silent} (cadence {} days){cooling}  {}",
        s.name,
        s.cadence_days,
        RecordRef::of(kind, s.id)
    )
}

fn render_stale(ctx: &mut Ctx, agenda: &Agenda) -> Result<(), CliError> {
    if !agenda.stale_people.is_empty() {
        let more = if agenda.stale_more {
            " (most overdue first; more exist)"
        } else {
            ""
        };
        ctx.out.heading(&format!("Due for contact{more}"))?;
        for s in &agenda.stale_people {
            ctx.out
                .line(&format!("  {}", stale_line(s, RecordKind::Person)))?;
        }
        ctx.out.line("")?;
    }
    if !agenda.stale_accounts.is_empty() {
        ctx.out
            .heading("Accounts not visited for longer than their tier's cadence")?;
        for s in &agenda.stale_accounts {
            ctx.out
                .line(&format!("  {}", stale_line(s, RecordKind::Account)))?;
        }
    }
    Ok(())
}
