//! `kam next`: the next planned meeting with its prep — as a few lines, as one line for a
//! shell prompt or a tmux status line (`--short`: nothing at all when none is planned, so the
//! status line simply stays empty; "leave by 08:35" when the place's travel time is known), or
//! as JSON. `--tmux` makes the line safe for tmux's
//! `status-right`: tmux reads `#[...]`, `#{...}` and `#(...)` in a status line as formats (a
//! style, a variable, a shell command), so every `#` from the data is doubled (`##` shows one
//! `#`), and the line is capped at `--max-width` cells (default 60).

use serde::Serialize;

use super::agenda::meeting_lines;
use super::args::NextArgs;
use super::{CliError, Ctx};
use crate::agenda::{self, Meeting, MeetingPrep, NEXT_LOOKAHEAD_DAYS, countdown};
use crate::domain::Vocabulary;
use crate::text::{sanitize_line, truncate};

/// The JSON of `kam next --json`.
#[derive(Serialize)]
struct Next<'a> {
    meeting: &'a Meeting,
    prep: &'a MeetingPrep,
}

/// The default width cap of `--tmux`, in cells.
const TMUX_WIDTH: u16 = 60;

/// `kam next [--short [--tmux] [--max-width N]] [--json]`.
pub fn run(ctx: &mut Ctx, args: NextArgs) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let next = agenda::next_meeting(&ctx.store.reader(), &now, &ctx.config.cadence)?;
    if args.json {
        return ctx
            .out
            .json(&next.as_ref().map(|(meeting, prep)| Next { meeting, prep }));
    }
    let short = args.short || args.tmux || args.max_width.is_some();
    let Some((meeting, prep)) = next else {
        if !short {
            ctx.out.dim(&format!(
                "No meeting planned in the next {NEXT_LOOKAHEAD_DAYS} days."
            ))?;
        }
        return ctx.out.flush();
    };
    let start = meeting.start.with_timezone(&now.timezone());
    let when = countdown(&start, &now);
    if short {
        // Without a title, the account says what the meeting is (then the place alone follows).
        let account = meeting.account.as_ref().map(|a| a.name.as_str());
        let what = meeting
            .title
            .as_deref()
            .or(account)
            .unwrap_or(meeting.kind.as_str());
        let place = meeting
            .location
            .as_deref()
            .or(account.filter(|_| meeting.title.is_some()));
        let mut line = if when.starts_with("in ") || when == "now" {
            format!("{} {what}", start.format("%H:%M"))
        } else {
            format!("{when} {what}")
        };
        // Before the place: a status line cut to its width keeps the time to leave.
        if let Some(leave) = &meeting.leave_by {
            line.push_str(" · leave by ");
            line.push_str(
                &leave
                    .with_timezone(&now.timezone())
                    .format("%H:%M")
                    .to_string(),
            );
        }
        if let Some(place) = place {
            line.push_str(" · ");
            line.push_str(place);
        }
        if when.starts_with("in ") || when == "now" {
            line.push_str(" · ");
            line.push_str(&when);
        }
        let cap = args.max_width.or(args.tmux.then_some(TMUX_WIDTH));
        let line = sanitize_line(&line);
        let line = match cap {
            Some(cells) => truncate(&line, usize::from(cells)),
            None => line,
        };
        if args.tmux {
            ctx.out.line(&line.replace('#', "##"))?;
        } else {
            ctx.out.line(&line)?;
        }
        return ctx.out.flush();
    }
    ctx.out.heading(&format!("Next: {when}"))?;
    for (n, line) in meeting_lines(&meeting).iter().enumerate() {
        if n == 0 {
            ctx.out.line(&format!("  {line}"))?;
        } else {
            ctx.out.dim(&format!("  {line}"))?;
        }
    }
    if let Some(line) = prep.summary() {
        ctx.out.line(&format!("  {:13}{line}", ""))?;
    }
    ctx.out.flush()
}
