//! The record lifecycle on the command line (issue 12): running a command of `ops` and printing
//! its outcome, `kam undo`, `kam history REF`, `kam show REF`, `kam archive|restore REF`.

use super::target::resolve;
use super::{CliError, Ctx};
use crate::domain::{Id, RecordKind, RecordRef, Vocabulary};
use crate::ops::{self, Command, Outcome};
use crate::store::TargetKind;

/// Runs `command` now, in one transaction with its journal entry. What it saved is noted for
/// the message should the output then fail (11.11: "... WAS saved, do not run the command
/// again"); a caller that adds a record names it more precisely ("the note #i12").
pub fn apply(ctx: &mut Ctx, command: &dyn Command) -> Result<Outcome, CliError> {
    let now = ctx.clock.now().fixed_offset();
    let outcome = ops::run(&mut ctx.store, now, command)?;
    if outcome.entry.is_some() {
        ctx.out.saved(saved_change(&outcome));
    }
    Ok(outcome)
}

/// "the change (Moved #i5 to Fri 6 Mar 10:00)": what a command saved, in its own words.
fn saved_change(outcome: &Outcome) -> String {
    format!("the change ({})", outcome.message)
}

/// Prints an outcome: its message, then its details.
pub fn print(ctx: &mut Ctx, outcome: &Outcome) -> Result<(), CliError> {
    ctx.out.line(&outcome.message)?;
    for d in &outcome.details {
        ctx.out.line(d)?;
    }
    Ok(())
}

/// Runs `command` and prints what it did.
pub fn run_and_print(ctx: &mut Ctx, command: &dyn Command) -> Result<(), CliError> {
    let outcome = apply(ctx, command)?;
    print(ctx, &outcome)?;
    ctx.out.flush()
}

/// Any record: `#i55` and `#f9` by id, accounts, people and deals also by name.
pub fn any_record(ctx: &Ctx, input: &str) -> Result<(RecordKind, Id), CliError> {
    if let Some(RecordRef {
        kind: Some(kind @ (RecordKind::Interaction | RecordKind::FollowUp)),
        id,
    }) = RecordRef::parse(input)
    {
        return Ok((kind, id));
    }
    let t = resolve(
        &ctx.store.reader(),
        input,
        &[TargetKind::Account, TargetKind::Person, TargetKind::Deal],
    )?;
    Ok((t.kind.record_kind(), t.id))
}

/// `kam undo`.
pub fn undo(ctx: &mut Ctx) -> Result<(), CliError> {
    let now = ctx.clock.now().fixed_offset();
    let outcome = ops::undo(&mut ctx.store, now)?;
    ctx.out.saved(saved_change(&outcome));
    print(ctx, &outcome)?;
    ctx.out.flush()
}

/// `kam history REF`.
pub fn history(ctx: &mut Ctx, target: &str, limit: u32, json: bool) -> Result<(), CliError> {
    let (kind, id) = any_record(ctx, target)?;
    let lines = ops::history(&ctx.store.reader(), kind, id, limit)?;
    let r = RecordRef::of(kind, id);
    if json {
        let items: Vec<_> = lines
            .iter()
            .map(|l| {
                serde_json::json!({
                    "change": l.entry,
                    "at": l.at,
                    "command": l.command,
                    "summary": l.summary,
                    "undone_at": l.undone_at,
                    "what": l.what,
                    "fields": l.fields.iter().map(|f| serde_json::json!({
                        "field": f.field, "before": f.before, "after": f.after,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return ctx.out.json(&items);
    }
    if lines.is_empty() {
        ctx.out.line(&format!(
            "No changes of {r} in the journal (changes are journaled from kamnote 0.2 on)."
        ))?;
        return ctx.out.flush();
    }
    for l in &lines {
        let undone = l
            .undone_at
            .map(|u| format!("  (undone {})", u.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default();
        let head = format!(
            "{}  {}  {}: {}{undone}",
            l.at.format("%Y-%m-%d %H:%M"),
            l.command,
            l.what,
            l.summary
        );
        if l.undone_at.is_some() {
            ctx.out.dim(&head)?;
        } else {
            ctx.out.line(&head)?;
        }
        for f in &l.fields {
            let before = f.before.as_deref().unwrap_or("(empty)");
            let after = f.after.as_deref().unwrap_or("(empty)");
            if before.contains('\n') || after.contains('\n') || before.len() + after.len() > 60 {
                ctx.out.line(&format!("    {}:", f.field))?;
                ctx.out.line("      before:")?;
                ctx.out.text("        ", before)?;
                ctx.out.line("      after:")?;
                ctx.out.text("        ", after)?;
            } else {
                ctx.out
                    .line(&format!("    {}: {before} → {after}", f.field))?;
            }
        }
    }
    ctx.out.flush()
}

/// `kam archive REF` / `kam restore REF`.
pub fn archive(ctx: &mut Ctx, target: &str, restore: bool) -> Result<(), CliError> {
    let t = resolve(
        &ctx.store.reader(),
        target,
        &[TargetKind::Person, TargetKind::Account],
    )?;
    run_and_print(
        ctx,
        &ops::Archive {
            kind: t.kind.record_kind(),
            id: t.id,
            version: None,
            restore,
        },
    )
}

/// `kam show REF`: any record; an interaction or follow-up in full.
pub fn show(ctx: &mut Ctx, target: &str, json: bool) -> Result<(), CliError> {
    match any_record(ctx, target)? {
        (RecordKind::Account, id) => super::show::account(ctx, id, json),
        (RecordKind::Person, id) => super::show::person(ctx, id, json),
        (RecordKind::Deal, id) => super::deals::show(ctx, id, json),
        (RecordKind::Interaction, id) => show_interaction(ctx, id, json),
        (RecordKind::FollowUp, id) => show_followup(ctx, id, json),
    }
}

fn show_interaction(ctx: &mut Ctx, id: Id, json: bool) -> Result<(), CliError> {
    let r = RecordRef::of(RecordKind::Interaction, id);
    // The same read as the TUI's interaction screen.
    let record = ctx
        .store
        .reader()
        .interaction_record(id)?
        .ok_or_else(|| CliError::usage(format!("no interaction {r}")))?;
    let i = &record.interaction;
    if json {
        return ctx.out.json(i);
    }
    let title = i.title.as_deref().unwrap_or(i.kind.as_str());
    ctx.out
        .accent(&format!("{r}  {} · {title}", i.kind.as_str()))?;
    // In the local zone, as the dossiers and the TUI's interaction screen show it.
    let local = |t: &crate::domain::Timestamp| t.with_timezone(&chrono::Local);
    let end = i
        .end
        .map(|e| format!("–{}", local(&e).format("%H:%M")))
        .unwrap_or_default();
    ctx.out.line(&format!(
        "  when     {}{end}  ({})",
        local(&i.at).format("%a %Y-%m-%d %H:%M"),
        i.status.as_str()
    ))?;
    if let Some((a, name)) = &record.account {
        ctx.out.line(&format!(
            "  account  {} {name}",
            RecordRef::of(RecordKind::Account, *a),
        ))?;
    }
    if !record.people.is_empty() {
        let names: Vec<String> = record
            .people
            .iter()
            .map(|(p, n)| format!("{} {n}", RecordRef::of(RecordKind::Person, *p)))
            .collect();
        ctx.out.line(&format!("  people   {}", names.join(", ")))?;
    }
    if let Some(l) = &i.location {
        ctx.out.line(&format!("  where    {l}"))?;
    }
    let products = ctx.store.reader().products_discussed(id)?;
    if !products.is_empty() {
        let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
        ctx.out.line(&format!("  products {}", names.join(", ")))?;
    }
    if let Some(g) = i.goal() {
        ctx.out.line(&format!("  goal     {g}"))?;
    }
    for q in i.questions() {
        ctx.out.line(&format!("  ask      {q}"))?;
    }
    if let Some(body) = &i.body {
        ctx.out.line("")?;
        ctx.out.text("  ", body)?;
    }
    if let Some(o) = &i.outcome {
        ctx.out.line("")?;
        ctx.out.line("  outcome:")?;
        ctx.out.text("    ", o)?;
    }
    if !record.followups.is_empty() {
        ctx.out.line("")?;
        ctx.out.line("  follow-ups:")?;
        let today = ctx.clock.today();
        for f in &record.followups {
            ctx.out
                .line(&format!("    {}", crate::capture::followup_line(f, today)))?;
        }
    }
    ctx.out.dim(&format!(
        "  version {} · kam history {r} · kam note edit {r}",
        record.version
    ))?;
    ctx.out.flush()
}

fn show_followup(ctx: &mut Ctx, id: Id, json: bool) -> Result<(), CliError> {
    let r = RecordRef::of(RecordKind::FollowUp, id);
    let (f, _) = ctx
        .store
        .reader()
        .followup(id)?
        .ok_or_else(|| CliError::usage(format!("no follow-up {r}")))?;
    if json {
        return ctx.out.json(&f);
    }
    let today = ctx.clock.today();
    ctx.out.accent(&format!("{r}  {}", f.text))?;
    ctx.out.line(&format!(
        "  due      {}  ({})",
        crate::capture::describe_due(f.due, today),
        f.status.as_str()
    ))?;
    let reader = ctx.store.reader();
    if let Some((p, _)) = f.person.map(|p| reader.person(p)).transpose()?.flatten() {
        ctx.out.line(&format!(
            "  person   {} {}",
            RecordRef::of(RecordKind::Person, p.id),
            p.name
        ))?;
    }
    if let Some((a, _)) = f.account.map(|a| reader.account(a)).transpose()?.flatten() {
        ctx.out.line(&format!(
            "  account  {} {}",
            RecordRef::of(RecordKind::Account, a.id),
            a.name
        ))?;
    }
    if let Some(i) = f.interaction {
        ctx.out.line(&format!(
            "  from     {}",
            RecordRef::of(RecordKind::Interaction, i)
        ))?;
    }
    if let Some(rep) = f.repeat {
        ctx.out.line(&format!("  repeats  {rep}"))?;
    }
    ctx.out.flush()
}
