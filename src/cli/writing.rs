//! The 30-second commands: `note`, `meeting add|done`, `followup add|done|snooze|list`. Each
//! validates everything first, writes in one transaction, and only then acknowledges.

use std::io::{IsTerminal, Read};

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

use super::args::{
    FollowUpAddArgs, FollowUpCommand, FollowUpListArgs, MeetingAddArgs, MeetingCommand,
    MeetingDoneArgs, MeetingEditArgs, MeetingLogArgs, MeetingMoveArgs, NoteArgs, NoteCommand,
    NoteEditArgs,
};
use super::lifecycle;
use super::target::{Target, id_of, resolve};
use super::{CliError, Ctx};
use crate::capture::{self, PendingFollowUp, describe_due, due_of, new_uid};
use crate::domain::{
    FollowUp, FollowUpStatus, Id, Interaction, InteractionKind, InteractionStatus, MAX_TEXT_BYTES,
    RecordKind, RecordRef, Repeat, Timestamp,
};
use crate::ops;
use crate::store::TargetKind;
use crate::text::sanitize_line;
use crate::when;

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
    if let Some(NoteCommand::Edit(edit)) = args.command {
        return note_edit(ctx, edit);
    }
    let Some(target) = args.target.as_deref() else {
        return Err(CliError::usage(
            "give the account or person the note is about, e.g. kam note acme \"Met Iván\"",
        ));
    };
    let target = resolve(&ctx.store.reader(), target, WHO)?;
    let kind: InteractionKind = args.kind.parse()?;
    let follow_up = parse_follow_up(ctx, args.follow_up.as_deref())?;
    let body = note_text(&args.text)?;
    let (account, people) = parties(ctx, &target)?;
    // `@name` mentions link the people they name, as mentioned (never a contact); the others
    // are reported, never guessed.
    let mentioned = capture::mention::resolve_mentions(&ctx.store.reader(), &body)?;
    let mut named = Vec::new();
    capture::mention::link(&mut named, &mentioned);
    let now = now_fixed(ctx);
    let at = args
        .at
        .as_deref()
        .map(|input| past_moment(ctx, input))
        .transpose()?
        .unwrap_or(now);
    let interaction = Interaction {
        title: args.title,
        body: Some(body),
        mentioned: named,
        status: InteractionStatus::Done,
        ..capture::new_interaction(kind, at, &now, account, people)
    };
    let person = (target.kind == TargetKind::Person).then_some(target.id);
    let products = products_named(ctx, &args.products)?;
    let outcome = lifecycle::apply(
        ctx,
        &ops::WithProducts {
            command: Box::new(ops::AddNote {
                note: interaction,
                person,
                follow_up,
                on: format!("{} {}", target.reference(), target.name),
            }),
            products,
        },
    )?;
    let id = outcome.record.map_or(0, |r| r.id);
    let fid = outcome.created.first().map(|r| r.id);
    ctx.out.saved(match fid {
        Some(f) => format!(
            "the note {} (with follow-up {})",
            RecordRef::of(RecordKind::Interaction, id),
            RecordRef::of(RecordKind::FollowUp, f)
        ),
        None => format!("the note {}", RecordRef::of(RecordKind::Interaction, id)),
    });
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
    ctx.out.line(&outcome.message)?;
    for m in &mentioned {
        if m.person().is_some() {
            ctx.out.line(&format!("  {}", m.describe()))?;
        } else {
            ctx.out.alert(&format!("  {}", m.describe()))?;
        }
    }
    for d in &outcome.details {
        ctx.out.line(d)?;
    }
    ctx.out.flush()
}

/// `kam note edit REF [--text T] [--title T] [--outcome T] [--at WHEN] [--with P] [--without P]`.
fn note_edit(ctx: &mut Ctx, args: NoteEditArgs) -> Result<(), CliError> {
    let id = id_of(&args.id, RecordKind::Interaction)?;
    let text = match args.text {
        Some(t) if t == "-" => Some(read_stdin()?.trim_end_matches(['\n', '\r']).to_string()),
        t => t,
    };
    let at = args
        .at
        .as_deref()
        .map(|input| past_moment(ctx, input))
        .transpose()?;
    let with = people_named(ctx, &args.with)?;
    let without = people_named(ctx, &args.without)?;
    lifecycle::run_and_print(
        ctx,
        &ops::EditInteraction {
            id,
            version: None,
            title: args.title,
            text,
            outcome: args.outcome,
            at,
            with,
            without,
        },
    )
}

/// A moment in the past typed in the date language; a day alone means its noon (today: now).
fn past_moment(ctx: &Ctx, input: &str) -> Result<Timestamp, CliError> {
    Ok(capture::moment_of(input, &ctx.clock.now())?)
}

/// `kam meeting add|done`.
pub fn meeting(ctx: &mut Ctx, command: MeetingCommand) -> Result<(), CliError> {
    match command {
        MeetingCommand::Add(args) => meeting_add(ctx, args),
        MeetingCommand::Done(args) => meeting_done(ctx, args),
        MeetingCommand::Move(args) => meeting_move(ctx, &args),
        MeetingCommand::Cancel { id, reason } => {
            let id = id_of(&id, RecordKind::Interaction)?;
            lifecycle::run_and_print(
                ctx,
                &ops::CancelMeeting {
                    id,
                    version: None,
                    reason,
                },
            )
        }
        MeetingCommand::Edit(args) => meeting_edit(ctx, args),
        MeetingCommand::Log(args) => meeting_log(ctx, args),
    }
}

/// `kam followup add|done|snooze|list`.
pub fn followup(ctx: &mut Ctx, command: FollowUpCommand) -> Result<(), CliError> {
    match command {
        FollowUpCommand::Add(args) => followup_add(ctx, args),
        FollowUpCommand::Done { id } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            lifecycle::run_and_print(ctx, &ops::CompleteFollowUp { id, version: None })
        }
        FollowUpCommand::Snooze { id, when: input } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            let w = when::parse_when(&input, &ctx.clock.now())?;
            let due = due_of(&w, &input)?;
            lifecycle::run_and_print(
                ctx,
                &ops::SnoozeFollowUp {
                    id,
                    version: None,
                    due,
                },
            )
        }
        FollowUpCommand::Edit {
            id,
            due,
            text,
            plan,
        } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            let due = due
                .map(|input| {
                    let w = when::parse_when(&input, &ctx.clock.now())?;
                    due_of(&w, &input)
                })
                .transpose()?;
            let plan = plan
                .map(|p| {
                    if p.trim().eq_ignore_ascii_case("none") {
                        Ok(None)
                    } else {
                        super::plans::find_plan(&ctx.store.reader(), &p).map(|(p, _)| Some(p.id))
                    }
                })
                .transpose()?;
            lifecycle::run_and_print(
                ctx,
                &ops::EditFollowUp {
                    id,
                    version: None,
                    due,
                    text,
                    plan,
                },
            )
        }
        FollowUpCommand::Reopen { id } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            lifecycle::run_and_print(ctx, &ops::ReopenFollowUp { id, version: None })
        }
        FollowUpCommand::Cancel { id } => {
            let id = id_of(&id, RecordKind::FollowUp)?;
            lifecycle::run_and_print(ctx, &ops::CancelFollowUp { id, version: None })
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
        goal,
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
    let outcome = lifecycle::apply(
        ctx,
        &ops::PlanMeeting {
            meeting: interaction,
            goal,
            asks: Vec::new(),
            with: format!("{} {}", target.reference(), target.name),
        },
    )?;
    ctx.out.saved(format!(
        "the meeting {}",
        outcome.record.map_or_else(String::new, |r| r.to_string())
    ));
    if json {
        let id = outcome.record.map_or(0, |r| r.id);
        let saved = ctx.store.reader().interaction(id)?.map(|(i, _)| i);
        return ctx.out.json(&saved);
    }
    lifecycle::print(ctx, &outcome)?;
    ctx.out.flush()
}

/// The start and end a meeting's `--at`/`--to` and `--for` give (a time is required).
fn meeting_time(
    ctx: &Ctx,
    flag: &str,
    at: &str,
    duration: Option<&str>,
) -> Result<(Timestamp, Option<chrono::TimeDelta>), CliError> {
    let w = when::parse_when(at, &ctx.clock.now())?;
    let Some(time) = w.time else {
        return Err(CliError::usage(format!(
            "{flag} \"{}\": give a time too, e.g. \"{} 10:00\"",
            sanitize_line(at),
            sanitize_line(at)
        )));
    };
    let start = when::resolve(w.date, time, &Local, at)?;
    let length = duration.map(when::parse_duration).transpose()?;
    Ok((start, length))
}

fn meeting_move(ctx: &mut Ctx, args: &MeetingMoveArgs) -> Result<(), CliError> {
    let id = id_of(&args.id, RecordKind::Interaction)?;
    let (to, length) = meeting_time(ctx, "--to", &args.to, args.duration.as_deref())?;
    lifecycle::run_and_print(
        ctx,
        &ops::MoveMeeting {
            id,
            version: None,
            to,
            length,
        },
    )
}

fn people_named(ctx: &Ctx, names: &[String]) -> Result<Vec<Id>, CliError> {
    names
        .iter()
        .map(|n| resolve(&ctx.store.reader(), n, &[TargetKind::Person]).map(|t| t.id))
        .collect()
}

fn meeting_edit(ctx: &mut Ctx, args: MeetingEditArgs) -> Result<(), CliError> {
    let id = id_of(&args.id, RecordKind::Interaction)?;
    let with = people_named(ctx, &args.with)?;
    let without = people_named(ctx, &args.without)?;
    lifecycle::run_and_print(
        ctx,
        &ops::EditMeeting {
            id,
            version: None,
            title: args.title,
            location: args.location,
            with,
            without,
            goal: args.goal,
            asks: args.asks,
        },
    )
}

fn meeting_log(ctx: &mut Ctx, args: MeetingLogArgs) -> Result<(), CliError> {
    let target = resolve(&ctx.store.reader(), &args.target, WHO)?;
    let kind =
        capture::meeting_kind(&args.kind).map_err(|e| CliError::usage(format!("--kind {e}")))?;
    let (start, length) = meeting_time(ctx, "--at", &args.at, args.duration.as_deref())?;
    let follow_up = parse_follow_up(ctx, args.follow_up.as_deref())?;
    let (account, mut people) = parties(ctx, &target)?;
    for p in people_named(ctx, &args.with)? {
        if !people.contains(&p) {
            people.push(p);
        }
    }
    let now = now_fixed(ctx);
    let meeting = Interaction {
        end: length.map(|l| start + l),
        title: args.title,
        location: args.location,
        outcome: Some(args.outcome),
        status: InteractionStatus::Done,
        ..capture::new_interaction(kind, start, &now, account, people)
    };
    let products = products_named(ctx, &args.products)?;
    lifecycle::run_and_print(
        ctx,
        &ops::WithProducts {
            command: Box::new(ops::LogMeeting { meeting, follow_up }),
            products,
        },
    )
}

/// The products `--product` names (issue 14.4).
fn products_named(ctx: &Ctx, names: &[String]) -> Result<Vec<Id>, CliError> {
    let reader = ctx.store.reader();
    let mut out = Vec::new();
    for n in names {
        let id = super::products::find_product(&reader, n)?.id;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
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
    let outcome = lifecycle::apply(
        ctx,
        &ops::CloseMeeting {
            id,
            version: None,
            outcome,
            follow_up,
        },
    )?;
    if json {
        let saved = ctx.store.reader().interaction(id)?.map(|(i, _)| i);
        let fid = outcome.created.first().map(|r| r.id);
        return ctx
            .out
            .json(&serde_json::json!({ "interaction": saved, "followup": fid }));
    }
    lifecycle::print(ctx, &outcome)?;
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
    let target = resolve(
        &ctx.store.reader(),
        &target,
        &[TargetKind::Account, TargetKind::Person, TargetKind::Deal],
    )?;
    let plan = plan
        .map(|p| super::plans::find_plan(&ctx.store.reader(), &p).map(|(p, _)| p.id))
        .transpose()?;
    let w = when::parse_when(&due, &ctx.clock.now())?;
    let due = due_of(&w, &due)?;
    let repeat = repeat
        .map(|r| r.parse::<Repeat>())
        .transpose()
        .map_err(|e| CliError::usage(e.to_string()))?;
    // A deal's follow-up is kept on the deal and its account (it shows on both).
    let (account, deal) = if target.kind == TargetKind::Deal {
        let deal = ctx.store.reader().deal(target.id)?.map(|(d, _)| d);
        (deal.map(|d| d.account), Some(target.id))
    } else {
        (parties(ctx, &target)?.0, None)
    };
    let person = (target.kind == TargetKind::Person).then_some(target.id);
    let f = FollowUp {
        id: 0,
        uid: new_uid(),
        text: text.join(" "),
        due,
        account,
        person,
        deal,
        interaction: None,
        repeat,
        status: FollowUpStatus::Open,
        done_at: None,
        priority,
        extra: crate::domain::Extra::new(),
    };
    let outcome = lifecycle::apply(ctx, &ops::AddFollowUp { followup: f, plan })?;
    ctx.out.saved(format!(
        "the follow-up {}",
        outcome.record.map_or_else(String::new, |r| r.to_string())
    ));
    if json {
        let id = outcome.record.map_or(0, |r| r.id);
        let saved = ctx.store.reader().followup(id)?.map(|(f, _)| f);
        return ctx.out.json(&saved);
    }
    lifecycle::print(ctx, &outcome)?;
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
    // Each follow-up's day is the local one of its instant, in the process's zone.
    let zone = ctx.clock.now().timezone();
    let rows = ctx
        .store
        .reader()
        .open_followups_until(until, &zone, 10_000)?;
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
        if f.due.day_in(&chrono::Local) < today {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    ctx.out.flush()
}
