//! The 30-second commands: `note`, `meeting add|done`, `followup add|done|snooze|list`. Each
//! validates everything first, writes in one transaction, and only then acknowledges.

use std::io::{IsTerminal, Read};

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

use super::args::{
    FollowUpAddArgs, FollowUpCommand, FollowUpListArgs, MeetingAddArgs, MeetingCommand,
    MeetingDoneArgs, NoteArgs,
};
use super::target::{Target, id_of, resolve};
use super::{CliError, Ctx};
use crate::capture::{self, PendingFollowUp, describe_due, due_of, new_uid, write_follow_up};
use crate::domain::{
    FollowUp, FollowUpStatus, Id, Interaction, InteractionKind, InteractionStatus, MAX_TEXT_BYTES,
    RecordKind, RecordRef, Repeat, Vocabulary,
};
use crate::store::TargetKind;
use crate::text::sanitize_line;
use crate::when::{self, When};

const WHO: &[TargetKind] = &[TargetKind::Account, TargetKind::Person];

/// The account and people an interaction with `target` is about.
fn parties(ctx: &Ctx, target: &Target) -> Result<(Option<Id>, Vec<Id>), CliError> {
    Ok(capture::parties(
        &ctx.store.reader(),
        target.kind,
        target.id,
    )?)
}

fn parse_follow_up(ctx: &Ctx, spec: Option<&str>) -> Result<Option<PendingFollowUp>, CliError> {
    let Some(spec) = spec else { return Ok(None) };
    Ok(Some(capture::parse_follow_up(spec, &ctx.clock.now())?))
}

/// The note's text: the arguments, or stdin, or `$EDITOR` on a terminal.
fn note_text(words: &[String]) -> Result<String, CliError> {
    let text = if words.is_empty() || words == ["-"] {
        let typed = if words.is_empty() && std::io::stdin().is_terminal() {
            edit_in_editor()?
        } else {
            read_stdin()?
        };
        // A file or an editor ends its last line with a newline; the note does not.
        typed.trim_end_matches(['\n', '\r']).to_string()
    } else {
        words.join(" ")
    };
    if text.trim().is_empty() {
        return Err(CliError::usage("the note is empty; nothing was saved"));
    }
    Ok(text)
}

fn read_stdin() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    let limit = MAX_TEXT_BYTES as u64 + 1;
    std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(CliError::usage(format!(
            "the note on stdin is longer than {} KiB; split it into several notes",
            MAX_TEXT_BYTES / 1024
        )));
    }
    String::from_utf8(bytes)
        .map_err(|e| CliError::usage(format!("the note on stdin is not UTF-8 text ({e})")))
}

/// The note typed in `$VISUAL`/`$EDITOR`.
fn edit_in_editor() -> Result<String, CliError> {
    use crate::editor::{EditorError, edit};
    edit("").map_err(|e| match e {
        EditorError::Failed(_) | EditorError::NotUtf8 { .. } => CliError::usage(e.to_string()),
        e => CliError::runtime(e.to_string()),
    })
}

fn now_fixed(ctx: &Ctx) -> DateTime<FixedOffset> {
    ctx.clock.now().fixed_offset()
}

/// `kam note TARGET [TEXT]`.
pub fn note(ctx: &mut Ctx, args: NoteArgs) -> Result<(), CliError> {
    let target = resolve(&ctx.store.reader(), &args.target, WHO)?;
    let kind: InteractionKind = args.kind.parse()?;
    let follow_up = parse_follow_up(ctx, args.follow_up.as_deref())?;
    let body = note_text(&args.text)?;
    let (account, mut people) = parties(ctx, &target)?;
    // `@name` mentions link the people they name; the others are reported, never guessed.
    let mentioned = capture::mention::resolve_mentions(&ctx.store.reader(), &body)?;
    capture::mention::link(&mut people, &mentioned);
    let now = now_fixed(ctx);
    let interaction = Interaction {
        title: args.title,
        body: Some(body),
        status: InteractionStatus::Done,
        ..capture::new_interaction(kind, now, &now, account, people)
    };
    let person = (target.kind == TargetKind::Person).then_some(target.id);
    let (id, fid) = ctx.store.write(now, |w| {
        let id = w.upsert_interaction(&interaction, None, None)?;
        let fid = follow_up
            .map(|f| write_follow_up(w, f, account, person, Some(id)))
            .transpose()?;
        Ok((id, fid))
    })?;
    if args.json {
        let (saved, _) = ctx
            .store
            .reader()
            .interaction(id)?
            .ok_or_else(|| CliError::runtime("note vanished"))?;
        let mentions: Vec<_> = mentioned
            .iter()
            .map(|m| {
                serde_json::json!({
                    "mention": m.mention.raw, "person": m.person(), "report": m.describe(),
                })
            })
            .collect();
        return ctx.out.json(
            &serde_json::json!({ "interaction": saved, "followup": fid, "mentions": mentions }),
        );
    }
    let r = RecordRef::of(RecordKind::Interaction, id);
    ctx.out.line(&format!(
        "Saved {} {r} on {} {}",
        kind,
        target.reference(),
        sanitize_line(&target.name)
    ))?;
    for m in &mentioned {
        if m.person().is_some() {
            ctx.out.line(&format!("  {}", m.describe()))?;
        } else {
            ctx.out.alert(&format!("  {}", m.describe()))?;
        }
    }
    if let Some(fid) = fid {
        print_followup_line(ctx, fid)?;
    }
    ctx.out.flush()
}

fn print_followup_line(ctx: &mut Ctx, fid: Id) -> Result<(), CliError> {
    let today = ctx.clock.today();
    if let Some((f, _)) = ctx.store.reader().followup(fid)? {
        let r = RecordRef::of(RecordKind::FollowUp, fid);
        ctx.out.line(&format!(
            "Follow-up {r} due {}: {}",
            describe_due(f.due, today),
            f.text
        ))?;
    }
    Ok(())
}

/// `kam meeting add|done`.
pub fn meeting(ctx: &mut Ctx, command: MeetingCommand) -> Result<(), CliError> {
    match command {
        MeetingCommand::Add(args) => meeting_add(ctx, args),
        MeetingCommand::Done(args) => meeting_done(ctx, args),
    }
}

/// `kam followup add|done|snooze|list`.
pub fn followup(ctx: &mut Ctx, command: FollowUpCommand) -> Result<(), CliError> {
    let today = ctx.clock.today();
    match command {
        FollowUpCommand::Add(args) => followup_add(ctx, args),
        FollowUpCommand::Done { id } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            let (f, stamp) = ctx
                .store
                .reader()
                .followup(id)?
                .ok_or_else(|| CliError::usage(format!("no follow-up #f{id}")))?;
            if f.status != FollowUpStatus::Open {
                return Err(CliError::usage(format!(
                    "follow-up #f{id} is already {}",
                    f.status
                )));
            }
            let now = now_fixed(ctx);
            let next = ctx.store.write(now, |w| {
                w.complete_followup(id, stamp.version, today, &chrono::Local)
            })?;
            ctx.out.line(&format!(
                "Done {}: {}",
                RecordRef::of(RecordKind::FollowUp, id),
                f.text
            ))?;
            if let Some(next) = next {
                ctx.out.line("It repeats:")?;
                print_followup_line(ctx, next)?;
            }
            ctx.out.flush()
        }
        FollowUpCommand::Snooze { id, when: input } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            let w = when::parse_when(&input, &ctx.clock.now())?;
            let due = due_of(&w, &input)?;
            crate::domain::check_snooze("when", due, now_fixed(ctx))?;
            let (f, stamp) = ctx
                .store
                .reader()
                .followup(id)?
                .ok_or_else(|| CliError::usage(format!("no follow-up #f{id}")))?;
            if f.status != FollowUpStatus::Open {
                return Err(CliError::usage(format!(
                    "follow-up #f{id} is {}, not open",
                    f.status
                )));
            }
            let now = now_fixed(ctx);
            ctx.store
                .write(now, |w| w.snooze_followup(id, stamp.version, due))?;
            print_followup_line(ctx, id)?;
            ctx.out.flush()
        }
        FollowUpCommand::List(args) => followup_list(ctx, args),
    }
}

fn meeting_add(ctx: &mut Ctx, args: MeetingAddArgs) -> Result<(), CliError> {
    let MeetingAddArgs {
        target,
        at,
        duration,
        with,
        title,
        location,
        kind,
        json,
    } = args;
    let reader = ctx.store.reader();
    let target = resolve(&reader, &target, WHO)?;
    let kind: InteractionKind = kind.parse()?;
    if !kind.is_scheduled() {
        return Err(CliError::usage(format!(
            "--kind {kind}: a meeting is one of meeting, visit, call, event"
        )));
    }
    let w = when::parse_when(&at, &ctx.clock.now())?;
    let Some(time) = w.time else {
        return Err(CliError::usage(format!(
            "--at \"{}\": give a time too, e.g. \"{} 10:00\"",
            sanitize_line(&at),
            sanitize_line(&at)
        )));
    };
    let start = when::resolve(w.date, time, &Local, &at)?;
    let end = duration
        .as_deref()
        .map(when::parse_duration)
        .transpose()?
        .map(|d| start + d);
    let (account, mut people) = parties(ctx, &target)?;
    for name in &with {
        let p = resolve(&ctx.store.reader(), name, &[TargetKind::Person])?;
        if !people.contains(&p.id) {
            people.push(p.id);
        }
    }
    let now = now_fixed(ctx);
    let interaction = Interaction {
        end,
        title,
        location,
        ..capture::new_interaction(kind, start, &now, account, people)
    };
    let id = ctx
        .store
        .write(now, |w| w.upsert_interaction(&interaction, None, None))?;
    if json {
        let saved = ctx.store.reader().interaction(id)?.map(|(i, _)| i);
        return ctx.out.json(&saved);
    }
    let when_text = When {
        date: w.date,
        time: Some(time),
    }
    .describe(ctx.clock.today());
    ctx.out.line(&format!(
        "Planned {kind} {} with {} {}, {when_text}",
        RecordRef::of(RecordKind::Interaction, id),
        target.reference(),
        sanitize_line(&target.name)
    ))?;
    ctx.out.flush()
}

fn meeting_done(ctx: &mut Ctx, args: MeetingDoneArgs) -> Result<(), CliError> {
    let MeetingDoneArgs {
        id,
        outcome,
        follow_up,
        json,
    } = args;
    let id = id_of(&id, RecordKind::Interaction)?;
    let follow_up = parse_follow_up(ctx, follow_up.as_deref())?;
    let (i, stamp) = ctx
        .store
        .reader()
        .interaction(id)?
        .ok_or_else(|| CliError::usage(format!("no meeting #i{id}")))?;
    if !i.kind.is_scheduled() {
        return Err(CliError::usage(format!(
            "#i{id} is a {}, not a meeting, visit, call or event",
            i.kind
        )));
    }
    if i.status != InteractionStatus::Planned {
        return Err(CliError::usage(format!(
            "meeting #i{id} is already {}; add to it with `kam note`",
            i.status
        )));
    }
    let now = now_fixed(ctx);
    let person = i.people.first().copied();
    let fid = ctx.store.write(now, |w| {
        w.close_interaction(
            id,
            stamp.version,
            InteractionStatus::Done,
            outcome.as_deref(),
        )?;
        follow_up
            .map(|f| write_follow_up(w, f, i.account, person, Some(id)))
            .transpose()
    })?;
    if json {
        let saved = ctx.store.reader().interaction(id)?.map(|(i, _)| i);
        return ctx
            .out
            .json(&serde_json::json!({ "interaction": saved, "followup": fid }));
    }
    ctx.out.line(&format!(
        "Done {} {}",
        RecordRef::of(RecordKind::Interaction, id),
        sanitize_line(i.title.as_deref().unwrap_or(i.kind.as_str()))
    ))?;
    if let Some(fid) = fid {
        print_followup_line(ctx, fid)?;
    }
    ctx.out.flush()
}

fn followup_add(ctx: &mut Ctx, args: FollowUpAddArgs) -> Result<(), CliError> {
    let FollowUpAddArgs {
        target,
        due,
        text,
        repeat,
        priority,
        plan,
        json,
    } = args;
    let target = resolve(&ctx.store.reader(), &target, WHO)?;
    let plan = plan
        .map(|p| super::plans::find_plan(&ctx.store.reader(), &p).map(|(p, _)| p.id))
        .transpose()?;
    let w = when::parse_when(&due, &ctx.clock.now())?;
    let due = due_of(&w, &due)?;
    let repeat = repeat
        .map(|r| r.parse::<Repeat>())
        .transpose()
        .map_err(|e| CliError::usage(e.to_string()))?;
    let (account, _) = parties(ctx, &target)?;
    let person = (target.kind == TargetKind::Person).then_some(target.id);
    let f = FollowUp {
        id: 0,
        uid: new_uid(),
        text: text.join(" "),
        due,
        account,
        person,
        deal: None,
        interaction: None,
        repeat,
        status: FollowUpStatus::Open,
        done_at: None,
        priority,
        extra: crate::domain::Extra::new(),
    };
    let now = now_fixed(ctx);
    let id = ctx.store.write(now, |w| {
        let id = w.upsert_followup(&f, None, None)?;
        if plan.is_some() {
            w.set_followup_plan(id, plan)?;
        }
        Ok(id)
    })?;
    if json {
        let saved = ctx.store.reader().followup(id)?.map(|(f, _)| f);
        return ctx.out.json(&saved);
    }
    print_followup_line(ctx, id)?;
    ctx.out.flush()
}

fn followup_list(ctx: &mut Ctx, args: FollowUpListArgs) -> Result<(), CliError> {
    let FollowUpListArgs { overdue, json } = args;
    let today = ctx.clock.today();
    let until = if overdue {
        today.pred_opt().unwrap_or(today)
    } else {
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(today)
    };
    let rows = ctx.store.reader().open_followups_until(until, 10_000)?;
    if json {
        let items: Vec<_> = rows.iter().map(|r| &r.followup).collect();
        return ctx.out.json(&items);
    }
    if rows.is_empty() {
        ctx.out.line(if overdue {
            "Nothing overdue."
        } else {
            "No open follow-ups."
        })?;
    }
    for r in &rows {
        let f = &r.followup;
        let who = r
            .person_name
            .as_deref()
            .or(r.account_name.as_deref())
            .unwrap_or("");
        let line = format!(
            "{:<7} {:<28} {}  — {}",
            RecordRef::of(RecordKind::FollowUp, f.id).to_string(),
            describe_due(f.due, today),
            f.text,
            who
        );
        if f.due.day() < today {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    ctx.out.flush()
}
