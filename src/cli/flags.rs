//! `kam flags [ACCOUNT] [--json]`: the red flags of one account, or the accounts with the worst
//! red flags (a bounded ranking, see `crate::flags`).

use serde_json::json;

use super::args::FlagsArgs;
use super::target::resolve;
use super::{CliError, Ctx};
use crate::domain::{RecordKind, RecordRef};
use crate::flags::{self, RedFlag};
use crate::store::TargetKind;

fn marks(severity: u8) -> &'static str {
    match severity {
        3 => "⚑⚑⚑",
        2 => "⚑⚑ ",
        _ => "⚑  ",
    }
}

fn print_flags(ctx: &mut Ctx, list: &[RedFlag]) -> Result<(), CliError> {
    for f in list {
        let line = format!("  {} {}", marks(f.severity), f.text);
        if f.severity >= 3 {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    Ok(())
}

/// `kam flags`.
pub fn run(ctx: &mut Ctx, args: &FlagsArgs) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let rules = ctx.config.cadence;
    let reader = ctx.store.reader();
    if let Some(target) = &args.account {
        let t = resolve(&reader, target, &[TargetKind::Account])?;
        let list = flags::for_account(&reader, t.id, &now, &rules)?;
        if args.json {
            return ctx.out.json(&json!({
                "account": {"id": t.id, "name": t.name},
                "score": flags::score(&list),
                "flags": list,
            }));
        }
        ctx.out.heading(&format!("{} {}", t.reference(), t.name))?;
        if list.is_empty() {
            ctx.out.dim("  No red flags.")?;
        }
        print_flags(ctx, &list)?;
        return ctx.out.flush();
    }
    let ranked = flags::worst_accounts(&reader, &now, &rules, args.limit)?;
    if args.json {
        let rows: Vec<_> = ranked
            .iter()
            .map(|(a, list)| json!({"account": a, "score": flags::score(list), "flags": list}))
            .collect();
        return ctx.out.json(&rows);
    }
    if ranked.is_empty() {
        ctx.out.dim("No red flags on the accounts checked.")?;
    }
    for (a, list) in &ranked {
        ctx.out.heading(&format!(
            "{} {} — {} flag{}, score {}",
            RecordRef::of(RecordKind::Account, a.id),
            a.name,
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            flags::score(list)
        ))?;
        print_flags(ctx, list)?;
    }
    ctx.out.flush()
}
