//! `kam prep TARGET [--md [-o FILE]] [--json]`: the pre-meeting brief of a meeting (`#i55`), or
//! of an account's or a person's next planned meeting (or of them alone when none is planned).

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::target::resolve;
use super::{CliError, Ctx};
use crate::domain::{RecordKind, RecordRef};
use crate::prep::{self, Brief, PrepTarget};
use crate::store::TargetKind;

#[derive(Debug, Args)]
pub struct PrepArgs {
    /// A meeting (#i55), or an account or a person (#a12, #p7, a name): their next meeting.
    pub target: String,
    /// Write Markdown (for reading offline) instead of text.
    #[arg(long, conflicts_with = "json")]
    pub md: bool,
    /// With --md: write to this new file (created 0600) instead of stdout.
    #[arg(long, short, requires = "md", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the brief as JSON.
    #[arg(long)]
    pub json: bool,
}

fn target(ctx: &Ctx, input: &str) -> Result<PrepTarget, CliError> {
    if let Some(RecordRef {
        kind: Some(RecordKind::Interaction),
        id,
    }) = RecordRef::parse(input)
    {
        return Ok(PrepTarget::Meeting(id));
    }
    let t = resolve(
        &ctx.store.reader(),
        input,
        &[TargetKind::Account, TargetKind::Person],
    )?;
    Ok(match t.kind {
        TargetKind::Person => PrepTarget::Person(t.id),
        _ => PrepTarget::Account(t.id),
    })
}

/// `kam prep`.
pub fn run(ctx: &mut Ctx, args: &PrepArgs) -> Result<(), CliError> {
    let target = target(ctx, &args.target)?;
    let now = ctx.clock.now();
    let brief = ctx
        .store
        .snapshot(|r| prep::build(r, target, &now, &ctx.config.cadence))??
        .ok_or_else(|| match target {
            PrepTarget::Meeting(id) => CliError::usage(format!(
                "no meeting {}",
                RecordRef::of(RecordKind::Interaction, id)
            )),
            _ => CliError::usage("nothing to prepare"),
        })?;
    if args.json {
        return ctx.out.json(&brief);
    }
    if args.md {
        let md = prep::markdown::write(&brief, &now.timezone());
        if let Some(path) = &args.output {
            super::transfer::write_new_file(path, |w| Ok(w.write_all(md.as_bytes())?))?;
            ctx.out
                .line(&format!("Wrote the prep to {}", path.display()))?;
        } else {
            ctx.out.text("", &md)?;
        }
        return ctx.out.flush();
    }
    print(ctx, &brief, &now.timezone())
}

fn print<Tz: chrono::TimeZone>(ctx: &mut Ctx, brief: &Brief, tz: &Tz) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let look = super::paint::Look {
        blank_between: true,
        upper_titles: true,
        untitled_indented: false,
    };
    super::paint::sections(&mut ctx.out, &brief.sections(tz), look)?;
    ctx.out.flush()
}
