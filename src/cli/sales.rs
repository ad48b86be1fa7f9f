//! `kam sales add|list|import`: an account's monthly target and actual sales (the list ends
//! with the year so far across accounts and those furthest behind, `crate::insights::targets`), and
//! `kam commission [--year Y]`: commission earned per month on the client payments marked paid,
//! beside the forecast of the open deals closing that month (`crate::commission`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};

use super::target::resolve;
use super::{CliError, Ctx, lifecycle};
use crate::commission;
use crate::domain::{month_text, parse_month};
use crate::money::{Totals, format_money};
use crate::ops;
use crate::store::{SalesLine, TargetKind};
use crate::text::{fit, sanitize_line};

#[derive(Debug, Subcommand)]
pub enum SalesCommand {
    /// Set a month's target and/or actual: `kam sales add acme 2026-11 --target 120000 --actual 98000`.
    Add {
        account: String,
        /// The month: 2026-11.
        month: String,
        #[arg(long, value_parser = super::deal_args::amount_arg)]
        target: Option<f64>,
        #[arg(long, value_parser = super::deal_args::amount_arg)]
        actual: Option<f64>,
        /// The currency (default: the account's).
        #[arg(long)]
        currency: Option<String>,
    },
    /// Target against actual per month, and the year so far (without an account: across
    /// accounts in the base currency, and the accounts furthest behind):
    /// `kam sales list [acme] [--year 2026]`.
    List {
        account: Option<String>,
        /// The calendar year (default: this one).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Read targets and actuals from a CSV with the columns account, month, target, actual,
    /// currency (a header row names them; target or actual may be empty). One undo takes the
    /// whole file back.
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct CommissionArgs {
    /// The calendar year (default: this one).
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &mut Ctx, command: SalesCommand) -> Result<(), CliError> {
    match command {
        SalesCommand::Add {
            account,
            month,
            target,
            actual,
            currency,
        } => {
            let row = sales_row(ctx, &account, &month, target, actual, currency.as_deref())?;
            lifecycle::run_and_print(ctx, &row)
        }
        SalesCommand::List {
            account,
            year,
            json,
        } => list(ctx, account.as_deref(), year, json),
        SalesCommand::Import { file } => import(ctx, &file),
    }
}

/// One month's figures as a command, the account resolved and the currency decided.
fn sales_row(
    ctx: &Ctx,
    account: &str,
    month: &str,
    target: Option<f64>,
    actual: Option<f64>,
    currency: Option<&str>,
) -> Result<ops::SetSales, CliError> {
    let target_account = resolve(&ctx.store.reader(), account, &[TargetKind::Account])?;
    let month = month_text(parse_month(month).map_err(|e| CliError::usage(e.to_string()))?);
    let currency = match currency {
        Some(c) => c.trim().to_ascii_uppercase(),
        None => ctx
            .store
            .reader()
            .account(target_account.id)?
            .and_then(|(a, _)| a.currency)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "currency: {} has no currency; give one, e.g. --currency EUR",
                    sanitize_line(&target_account.name)
                ))
            })?,
    };
    Ok(ops::SetSales {
        account: target_account.id,
        month,
        currency,
        target,
        actual,
    })
}

fn year_of(ctx: &Ctx, year: Option<i32>) -> Result<(i32, NaiveDate, NaiveDate), CliError> {
    let year = year.unwrap_or_else(|| ctx.clock.today().year());
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year.saturating_add(1), 1, 1),
    ) {
        (Some(from), Some(to)) => Ok((year, from, to)),
        _ => Err(CliError::usage(format!(
            "year: {year} is not a year; give one such as 2026"
        ))),
    }
}

fn list(
    ctx: &mut Ctx,
    account: Option<&str>,
    year: Option<i32>,
    json: bool,
) -> Result<(), CliError> {
    let account = match account {
        Some(a) => Some(resolve(&ctx.store.reader(), a, &[TargetKind::Account])?.id),
        None => None,
    };
    let (year, _, _) = year_of(ctx, year)?;
    let lines = ctx.store.reader().month_sales(
        account,
        &format!("{year:04}-01"),
        &format!("{year:04}-12"),
    )?;
    if json {
        return ctx.out.json(&lines);
    }
    if lines.is_empty() {
        ctx.out.dim(&format!(
            "No sales recorded for {year}. Add a month with: kam sales add ACCOUNT {year}-01 \
             --target 100000 --actual 95000 --currency EUR"
        ))?;
        return ctx.out.flush();
    }
    ctx.out
        .heading(&format!("Sales {year}: target against actual"))?;
    let mut by_account: BTreeMap<(String, i64), Vec<&SalesLine>> = BTreeMap::new();
    for l in &lines {
        by_account
            .entry((l.account_name.clone(), l.sales.account))
            .or_default()
            .push(l);
    }
    for ((name, _), months) in &by_account {
        ctx.out.line(&format!("  {}", sanitize_line(name)))?;
        let mut target = Totals::new();
        let mut actual = Totals::new();
        for l in months {
            let s = &l.sales;
            let figure =
                |v: Option<f64>| v.map_or("—".to_string(), |v| format_money(v, &s.currency));
            let pct = s
                .attainment()
                .map_or(String::new(), |p| format!("{p:>4.0} %"));
            let line = format!(
                "    {}  {:>18}  {:>18}  {pct}",
                s.month,
                figure(s.target),
                figure(s.actual)
            );
            if s.attainment().is_some_and(|p| p < 90.0) {
                ctx.out.alert(&line)?;
            } else {
                ctx.out.line(&line)?;
            }
            // The year so far compares months that have both figures.
            if let (Some(t), Some(a)) = (s.target, s.actual) {
                target.add(Some(&s.currency), t);
                actual.add(Some(&s.currency), a);
            }
        }
        for (currency, t) in target.iter() {
            let a = actual.get(currency);
            let pct = if t > 0.0 {
                format!(" ({:.0} %)", a / t * 100.0)
            } else {
                String::new()
            };
            ctx.out.line(&format!(
                "    {}  {} of {}{pct}",
                fit("so far", 7),
                format_money(a, currency),
                format_money(t, currency)
            ))?;
        }
    }
    if account.is_none() {
        territory_summary(ctx, year, &lines)?;
    }
    ctx.out.flush()
}

/// Accounts listed as furthest behind under `kam sales list`.
const BEHIND_LISTED: usize = 5;

/// The year so far across accounts (in the base currency where `[deals]` rates allow, saying
/// what was converted and what could not be), and the accounts furthest behind.
fn territory_summary(ctx: &mut Ctx, year: i32, lines: &[SalesLine]) -> Result<(), CliError> {
    let all = crate::insights::targets::against_target(lines, &ctx.config.deals);
    ctx.out.line("")?;
    ctx.out.heading(&format!(
        "{year} so far, all accounts (months with both figures)"
    ))?;
    if all.is_empty() {
        ctx.out
            .dim("  No month has both a target and an actual yet.")?;
        return Ok(());
    }
    for f in &all.totals {
        let line = format!("  {}", f.text());
        if f.percent().is_some_and(|p| p < 90.0) {
            ctx.out.alert(&line)?;
        } else {
            ctx.out.line(&line)?;
        }
    }
    for note in all.currency_notes() {
        ctx.out.dim(&format!("  {note}"))?;
    }
    let behind = all.behind(BEHIND_LISTED);
    if behind.is_empty() {
        ctx.out.line("  No account is behind its target.")?;
        return Ok(());
    }
    ctx.out.line("  Furthest behind:")?;
    for b in &behind {
        ctx.out.alert(&format!(
            "    {}  {}  short {}",
            fit(&sanitize_line(&b.name), 30),
            b.figure.text(),
            format_money(b.figure.shortfall(), &b.figure.currency)
        ))?;
    }
    Ok(())
}

/// `kam sales import FILE`: every row checked first, then written in one command.
fn import(ctx: &mut Ctx, file: &PathBuf) -> Result<(), CliError> {
    let text = std::fs::read(file).map_err(|e| {
        CliError::usage(format!(
            "cannot read {}: {e}",
            sanitize_line(&file.display().to_string())
        ))
    })?;
    let text =
        String::from_utf8_lossy(text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text)).into_owned();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::usage(format!("sales CSV: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(account), Some(month)) = (column("account"), column("month")) else {
        return Err(CliError::usage(
            "sales CSV: the header must name the columns account and month (and target, \
             actual, currency), e.g. account,month,target,actual,currency",
        ));
    };
    let (target, actual, currency) = (column("target"), column("actual"), column("currency"));
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| CliError::usage(format!("sales CSV line {line}: {e}")))?;
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let number = |c: Option<usize>, field: &str| -> Result<Option<f64>, CliError> {
            cell(c)
                .map(|v| {
                    super::deal_args::amount_arg(v).map_err(|e| {
                        CliError::usage(format!("sales CSV line {line}: {field}: {e}"))
                    })
                })
                .transpose()
        };
        let (Some(a), Some(m)) = (cell(Some(account)), cell(Some(month))) else {
            return Err(CliError::usage(format!(
                "sales CSV line {line}: account and month are needed"
            )));
        };
        let row = sales_row(
            ctx,
            a,
            m,
            number(target, "target")?,
            number(actual, "actual")?,
            cell(currency),
        )
        .map_err(|e| CliError::usage(format!("sales CSV line {line}: {e}")))?;
        rows.push(row);
    }
    lifecycle::run_and_print(ctx, &ops::ImportSales { rows })
}

/// `kam commission [--year Y] [--json]`.
pub fn commission(ctx: &mut Ctx, args: &CommissionArgs) -> Result<(), CliError> {
    let cfg = ctx.config.deals.clone();
    commission::check_scale(&cfg).map_err(CliError::usage)?;
    let (year, from, to) = year_of(ctx, args.year)?;
    let months = crate::insights::commission::year(&ctx.store.reader(), year, (from, to), &cfg)?;
    if args.json {
        return ctx.out.json(&months);
    }
    ctx.out.heading(&format!(
        "Commission {year}: earned on payments received, and forecast of open deals"
    ))?;
    ctx.out.line(&format!(
        "  {:<8} {:>24} {:>24}",
        "month", "earned", "forecast"
    ))?;
    let mut earned = Totals::new();
    let mut forecast = Totals::new();
    for m in &months {
        ctx.out.line(&format!(
            "  {:<8} {:>24} {:>24}",
            m.month,
            m.earned.display("—"),
            m.forecast.display("—")
        ))?;
        earned.merge(&m.earned);
        forecast.merge(&m.forecast);
    }
    ctx.out.line(&format!(
        "  {:<8} {:>24} {:>24}",
        "year",
        earned.display("—"),
        forecast.display("—")
    ))?;
    let basis = match cfg.commission_basis {
        crate::config::CommissionBasis::Total => "on the money paid".to_string(),
        crate::config::CommissionBasis::Margin => {
            format!("on the margin ({} %)", cfg.margin.unwrap_or(100.0))
        }
    };
    let scale = if cfg.commission_tiers.is_empty() {
        format!("{} % unless a deal has its own rate", cfg.commission_rate)
    } else {
        let bands: Vec<String> = cfg
            .commission_tiers
            .iter()
            .map(|t| match t.up_to {
                Some(u) => format!("{} % up to {}", t.rate, crate::money::format_whole(u)),
                None => format!("{} % above", t.rate),
            })
            .collect();
        format!(
            "{} {}",
            bands.join(", "),
            cfg.base_currency
                .as_deref()
                .map_or(String::new(), |b| format!("(sizes in {b})"))
        )
    };
    ctx.out
        .dim(&format!("  Commission {basis}; rates: {scale}."))?;
    ctx.out.flush()
}
