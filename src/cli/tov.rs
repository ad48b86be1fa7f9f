//! `kam tov YEAR [--person P] [--csv] [--json]`: the year's transfers of value to healthcare
//! professionals (per person) and organisations (donations and grants, per account), one line
//! per recipient, category and currency, under the EFPIA disclosure headings
//! (`crate::compliance`). Amounts are each recipient's share, rounded to the cent.

use chrono::NaiveDate;
use clap::Args;

use super::target::resolve;
use super::{CliError, Ctx};
use crate::compliance::disclosure;
use crate::domain::Vocabulary;
use crate::interop::csv::guard;
use crate::money::{NO_CURRENCY, Totals, format_money, round_cents};
use crate::store::{Recipient, TargetKind, TovLine};
use crate::text::{fit, sanitize_line};

#[derive(Debug, Args)]
pub struct TovArgs {
    /// The calendar year: 2026.
    pub year: i32,
    /// One person's transfers only.
    #[arg(long)]
    pub person: Option<String>,
    /// As CSV, ready for a disclosure template (one row per recipient and category).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    #[arg(long)]
    pub json: bool,
}

/// `kam tov`.
pub fn run(ctx: &mut Ctx, args: &TovArgs) -> Result<(), CliError> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(args.year, 1, 1),
        NaiveDate::from_ymd_opt(args.year.saturating_add(1), 1, 1),
    ) else {
        return Err(CliError::usage(format!(
            "year: {} is not a year; give one such as 2026",
            args.year
        )));
    };
    let person = match &args.person {
        Some(p) => Some(resolve(&ctx.store.reader(), p, &[TargetKind::Person])?.id),
        None => None,
    };
    let mut lines = ctx.store.reader().transfers_of_value(from, to, person)?;
    for l in &mut lines {
        l.amount = round_cents(l.amount);
    }
    if args.json {
        return ctx.out.json(&lines);
    }
    if args.csv {
        for row in csv_rows(&lines)? {
            ctx.out.line(&row)?;
        }
        return ctx.out.flush();
    }
    if lines.is_empty() {
        ctx.out.dim(&format!(
            "No transfers of value recorded in {}. Record one with: kam plan spend PLAN AMOUNT \
             --for PERSON --transfer fee",
            args.year
        ))?;
        return ctx.out.flush();
    }
    ctx.out
        .heading(&format!("Transfers of value in {}", args.year))?;
    let mut totals = Totals::new();
    let mut last: Option<(Recipient, i64)> = None;
    for l in &under_headings(&lines) {
        if last != Some((l.recipient, l.id)) {
            let who = match (&l.recipient, &l.account) {
                (Recipient::Person, Some(a)) => format!("{} · {a}", l.name),
                (Recipient::Person, None) => l.name.clone(),
                (Recipient::Organisation, _) => format!("{} (organisation)", l.name),
            };
            ctx.out.line(&format!("  {}", sanitize_line(&who)))?;
            last = Some((l.recipient, l.id));
        }
        let (heading, efpia) = disclosure(l.transfer);
        let heading = if efpia {
            heading.to_string()
        } else {
            format!("{heading} ·")
        };
        ctx.out.line(&format!(
            "    {} {:>16}  {}",
            fit(&heading, 52),
            format_money(l.amount, l.currency.as_deref().unwrap_or(NO_CURRENCY)),
            entries(l.entries)
        ))?;
        totals.add(l.currency.as_deref(), l.amount);
    }
    ctx.out
        .line(&format!("  In all: {}", totals.display("nothing")))?;
    if lines.iter().any(|l| !disclosure(l.transfer).1) {
        ctx.out
            .dim("  · not an EFPIA disclosure category; kept for national rules and the caps")?;
    }
    ctx.out.flush()
}

/// The lines as the disclosure reads them: a recipient's transfers that share a heading and a
/// currency (travel and accommodation are one EFPIA category) summed into one line.
fn under_headings(lines: &[TovLine]) -> Vec<TovLine> {
    let mut out: Vec<TovLine> = Vec::with_capacity(lines.len());
    for l in lines {
        let same = |o: &TovLine| {
            (o.recipient, o.id, &o.currency) == (l.recipient, l.id, &l.currency)
                && disclosure(o.transfer).0 == disclosure(l.transfer).0
        };
        let start = out
            .iter()
            .rposition(|o| (o.recipient, o.id) != (l.recipient, l.id))
            .map_or(0, |i| i + 1);
        match out[start..].iter_mut().find(|o| same(o)) {
            Some(o) => {
                o.amount = round_cents(o.amount + l.amount);
                o.entries += l.entries;
            }
            None => out.push(l.clone()),
        }
    }
    out
}

fn entries(n: u32) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

/// The CSV lines: a header, then one row per line; text cells guarded against formulas.
fn csv_rows(lines: &[TovLine]) -> Result<Vec<String>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| CliError::usage(format!("cannot write the CSV: {e}"));
    w.write_record([
        "recipient",
        "name",
        "account",
        "city",
        "country",
        "category",
        "efpia_category",
        "amount",
        "currency",
        "entries",
    ])
    .map_err(io)?;
    for l in lines {
        let text = |s: Option<&str>| guard(&sanitize_line(s.unwrap_or(""))).into_owned();
        let (heading, efpia) = disclosure(l.transfer);
        w.write_record([
            match l.recipient {
                Recipient::Person => "HCP".to_string(),
                Recipient::Organisation => "HCO".to_string(),
            },
            text(Some(&l.name)),
            text(l.account.as_deref()),
            text(l.city.as_deref()),
            text(l.country.as_deref()),
            l.transfer.as_str().to_string(),
            if efpia {
                heading.to_string()
            } else {
                String::new()
            },
            format!("{:.2}", l.amount),
            text(l.currency.as_deref()),
            l.entries.to_string(),
        ])
        .map_err(io)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::usage(format!("cannot write the CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::to_string)
        .collect())
}
