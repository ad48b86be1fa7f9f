//! `kam agenda`: the day (or days) as text for a terminal, or the same [`Agenda`] as JSON.

use chrono::{DateTime, Local};
use std::collections::HashMap;

use super::args::AgendaArgs;
use super::{CliError, Ctx};
use crate::agenda::{self, Agenda, Meeting, MeetingPrep, sections};
use crate::domain::Id;
use crate::when;

/// `kam agenda [--date D] [--days N] [--json]`.
pub fn run(ctx: &mut Ctx, args: &AgendaArgs) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let from = match &args.date {
        Some(d) => when::parse_when(d, &now)?.date,
        None => now.date_naive(),
    };
    let (cadence, lead_days) = (&ctx.config.cadence, ctx.config.deals.tender_lead_days);
    // One read transaction for all of it: the agenda is one consistent picture even while
    // another process writes, and its few dozen queries share one WAL read lock instead of
    // taking and dropping one each.
    let (agenda, preps) = ctx.store.snapshot(|r| -> Result<_, CliError> {
        let agenda = agenda::build(r, &now, from, args.days, cadence)?
            .with_milestones_ahead(r, lead_days)?;
        let preps = if args.json {
            HashMap::new()
        } else {
            agenda::preps(r, &agenda, &now, cadence)?
        };
        Ok((agenda, preps))
    })??;
    if args.json {
        return ctx.out.json(&agenda);
    }
    render(ctx, &agenda, &preps, &now)
}

/// A meeting as up to three lines (time, title, id and flags; where; with whom), the detail
/// lines indented to start under the title.
pub(super) fn meeting_lines(m: &Meeting) -> Vec<String> {
    let mut lines = sections::meeting_lines(m, &Local);
    for line in lines.iter_mut().skip(1) {
        *line = format!("{:w$}{line}", "", w = sections::MEETING_DETAIL_COLUMN);
    }
    lines
}

/// Paints the agenda's sections, a blank line between them.
fn render(
    ctx: &mut Ctx,
    agenda: &Agenda,
    preps: &HashMap<Id, MeetingPrep>,
    now: &DateTime<Local>,
) -> Result<(), CliError> {
    let look = super::paint::Look {
        blank_between: true,
        upper_titles: false,
        untitled_indented: false,
    };
    super::paint::sections(&mut ctx.out, &agenda.sections(preps, now), look)?;
    ctx.out.flush()
}
