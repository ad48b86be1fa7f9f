//! `kam receivables`, `kam pareto` and `kam report week|month`: the money views of the
//! notebook as text, JSON or Markdown, computed by `crate::insights` (the same numbers the
//! screens show).

use super::deal_args::{ParetoArgs, PeriodArg, ReceivablesArgs, ReportArgs};
use super::{CliError, Ctx};
use crate::domain::{RecordKind, RecordRef, Tier};
use crate::insights::pareto;
use crate::insights::receivables::{Bucket, Receivables};
use crate::insights::report::{self, Report};
use crate::money::{NO_CURRENCY, format_money};
use crate::text::{count, fit, sanitize_line};
use crate::when;

/// `kam receivables [--json]`.
pub fn receivables(ctx: &mut Ctx, args: ReceivablesArgs) -> Result<(), CliError> {
    let today = ctx.clock.now().date_naive();
    let r = Receivables::load(&ctx.store.reader(), today)?;
    if args.json {
        return ctx.out.json(&r);
    }
    if r.items.is_empty() {
        ctx.out.dim("No payments owed to us are open.")?;
        return ctx.out.flush();
    }
    ctx.out.heading("Receivables by age (days past due)")?;
    for b in &r.buckets {
        let line = format!(
            "  {:<12} {:>4}  {}",
            b.bucket.label(),
            b.count,
            b.totals.display("")
        );
        if b.bucket == Bucket::NotDue || b.count == 0 {
            ctx.out.line(&line)?;
        } else {
            ctx.out.alert(&line)?;
        }
    }
    ctx.out.line(&format!(
        "  {:<12} {:>4}  {}",
        "overdue",
        r.overdue_count,
        r.overdue.display("")
    ))?;
    ctx.out.line("")?;
    ctx.out.heading("Open payments, oldest due first")?;
    for item in &r.items {
        let o = &item.row.obligation;
        let money = o.amount.map_or(String::new(), |a| {
            format_money(a, o.currency.as_deref().unwrap_or(NO_CURRENCY))
        });
        let late = match item.days_overdue {
            d if d > 0 => format!("{} overdue", count(d, "day", "days")),
            0 => "due today".into(),
            d => format!("due in {}", count(-d, "day", "days")),
        };
        let line = format!(
            "  [{}] {}  {:<18} {}  {} · {} {}",
            o.id,
            o.due,
            late,
            fit(&sanitize_line(&o.text), 36),
            money,
            sanitize_line(&item.row.account_name),
            RecordRef::of(RecordKind::Deal, o.deal)
        );
        if item.days_overdue > 0 {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    ctx.out.flush()
}

fn tier(t: Option<Tier>) -> String {
    t.map_or_else(|| "-".into(), |t| t.to_string())
}

/// `kam pareto [--limit N] [--json]`.
pub fn pareto(ctx: &mut Ctx, args: ParetoArgs) -> Result<(), CliError> {
    let p = pareto::load_converted(&ctx.store.reader(), &ctx.clock.now(), &ctx.config.deals)?;
    if args.json {
        return ctx.out.json(&p);
    }
    if p.rankings.is_empty() {
        ctx.out
            .dim("No account has a sales figure yet: `kam account edit ACME --sales 120000 --currency EUR`.")?;
        return ctx.out.flush();
    }
    ctx.out.dim(&format!(
        "Ranked by our sales, one ranking per currency. A = the accounts making the first {:.0} % of sales (the one crossing it included), B = the next {:.0} %, C = the rest; equal sales share a tier. Time = interactions in the last 12 months.",
        pareto::A_CUT * 100.0,
        (pareto::B_CUT - pareto::A_CUT) * 100.0
    ))?;
    if !p.conversions.is_empty() {
        ctx.out.dim(&format!(
            "Sales in other currencies converted at the rates of [deals] rates: {}.",
            p.conversions.join(", ")
        ))?;
    }
    for g in &p.rankings {
        ctx.out.line("")?;
        let cut = if g.accounts.len() < pareto::MIN_RANKED {
            format!(
                "too few accounts to suggest tiers (fewer than {})",
                pareto::MIN_RANKED
            )
        } else {
            format!("{} make 80 %", g.cut)
        };
        ctx.out.heading(&format!(
            "{} — {}, {} in all; {cut}",
            g.currency,
            count(g.accounts.len(), "account", "accounts"),
            format_money(g.total, &g.currency),
        ))?;
        ctx.out.dim(&format!(
            "  {:<7} {:<30} {:>18} {:>6} {:>6}  tier → sugg.  time",
            "", "account", "sales", "share", "cum."
        ))?;
        for r in g.accounts.iter().take(args.limit) {
            let line = format!(
                "  {:<7} {} {:>18} {:>5.1}% {:>5.1}%  {:>4} → {}      {:>4} ({:.0} %)",
                RecordRef::of(RecordKind::Account, r.account).to_string(),
                fit(&sanitize_line(&r.name), 30),
                format_money(r.sales, &g.currency),
                r.share * 100.0,
                r.cumulative * 100.0,
                tier(r.current),
                tier(r.suggested),
                r.interactions,
                r.interaction_share * 100.0
            );
            if r.mismatch() {
                ctx.out.accent(&line)?;
            } else {
                ctx.out.line(&line)?;
            }
        }
        if g.accounts.len() > args.limit {
            ctx.out.dim(&format!(
                "  …{} more (--limit)",
                g.accounts.len() - args.limit
            ))?;
        }
    }
    let mismatches = p.mismatches();
    ctx.out.line("")?;
    ctx.out.heading(&format!(
        "Tiers the sales suggest changing ({}; your decision: `kam account edit ACME --tier A`)",
        mismatches.len()
    ))?;
    for (g, r) in mismatches.iter().take(args.limit.max(10)) {
        ctx.out.line(&format!(
            "  {} {}: {} → {}  ({:.1} % of {} sales, {} in 12 months)",
            RecordRef::of(RecordKind::Account, r.account),
            r.name,
            tier(r.current),
            tier(r.suggested),
            r.share * 100.0,
            g.currency,
            count(r.interactions, "interaction", "interactions")
        ))?;
    }
    if p.unranked > 0 {
        ctx.out.dim(&format!(
            "{} no sales figure and {} not ranked.",
            match p.unranked {
                1 => "1 account has".to_string(),
                n => format!("{n} accounts have"),
            },
            if p.unranked == 1 { "is" } else { "are" }
        ))?;
    }
    ctx.out.flush()
}

/// `kam report week|month [--date D] [-o FILE]`.
pub fn report(ctx: &mut Ctx, args: &ReportArgs) -> Result<(), CliError> {
    let now = ctx.clock.now();
    let day = match &args.date {
        Some(d) => when::parse_when(d, &now)?.date,
        None => now.date_naive(),
    };
    let period = match args.period {
        PeriodArg::Week => report::Period::Week,
        PeriodArg::Month => report::Period::Month,
    };
    let deals = ctx.config.deals.clone();
    let report = ctx
        .store
        .snapshot(|r| Report::build_with(r, &now, period, day, &deals))??;
    let md = crate::text::sanitize(&report.markdown()).into_owned();
    match &args.output {
        Some(path) => {
            super::transfer::write_new_file(path, |w| {
                std::io::Write::write_all(w, md.as_bytes())?;
                Ok(())
            })?;
            ctx.out
                .line(&format!("Wrote the report to {}", path.display()))?;
        }
        None => ctx.out.text("", &md)?,
    }
    ctx.out.flush()
}
