//! `kam product add|list|status|accounts|history` and `kam objection add|list`: the product
//! catalogue (ours and the competitors' equivalents), where each product stands with each
//! account (a dated history, the latest the current status), and the objections people raised.

use clap::Subcommand;
use serde_json::json;

use super::target::resolve;
use super::{CliError, Ctx, lifecycle};
use crate::domain::{Objection, Product, ProductStatus, ProductStatusChange, Vocabulary};
use crate::ops;
use crate::store::{Reader, TargetKind};
use crate::text::sanitize_line;
use crate::when;

/// Products listed by a name that matches several.
const CANDIDATES: u32 = 20;

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// Add a product to the catalogue: `kam product add Oncomab`; a competitor's equivalent of
    /// one of ours: `kam product add Rivalix --competitor-of Oncomab`.
    Add {
        name: String,
        /// Ours it competes with (a competitor's product).
        #[arg(long, value_name = "PRODUCT")]
        competitor_of: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// The catalogue: ours, each followed by the competitors' equivalents.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Where a product stands with an account: not-listed, requested, under-review, listed,
    /// preferred or delisted (`kam product status acme Oncomab listed --on 2027-01-10`). Each
    /// change is kept; the latest is the current one.
    Status {
        /// The account: #a12 or a name.
        account: String,
        /// The product's name (or enough of it).
        product: String,
        status: String,
        /// The day it took effect (date language; default today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Which accounts have a status of the product: `kam product accounts Oncomab --status
    /// listed` (listed means listed; preferred is asked for on its own).
    Accounts {
        product: String,
        /// Only this current status.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A product's status history with one account, oldest first.
    History {
        /// The account: #a12 or a name.
        account: String,
        product: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ObjectionCommand {
    /// Note an objection a person raised about a product: `kam objection add "Dr Ruiz" Oncomab
    /// "too dear for the day hospital"`. It shows in the brief of the next meeting with them.
    Add {
        /// The person: #p7 or a name.
        person: String,
        /// The product's name (or enough of it).
        product: String,
        /// What they object to.
        #[arg(required = true)]
        text: Vec<String>,
        /// The day it was raised (date language; default today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// A person's objections, newest first.
    List {
        /// The person: #p7 or a name.
        person: String,
        #[arg(long)]
        json: bool,
    },
}

/// The one product `input` names: its exact name (case and accents aside), else the only one
/// whose name contains it.
pub fn find_product(reader: &Reader<'_>, input: &str) -> Result<Product, CliError> {
    let shown = sanitize_line(input);
    if let Some(p) = reader.product_named(input)? {
        return Ok(p);
    }
    let mut found = reader.products_matching(input, CANDIDATES)?;
    match found.len() {
        0 => Err(CliError::usage(format!(
            "no product matches \"{shown}\"; `kam product list` shows the catalogue, \
             `kam product add \"{shown}\"` adds it"
        ))),
        1 => Ok(found.remove(0)),
        _ => Err(CliError::usage(format!(
            "\"{shown}\" matches several products; give more of the name: {}",
            found
                .iter()
                .map(|p| sanitize_line(&p.name).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn day(ctx: &Ctx, input: Option<&str>) -> Result<chrono::NaiveDate, CliError> {
    match input {
        Some(text) => Ok(when::parse_when(text, &ctx.clock.now())?.date),
        None => Ok(ctx.clock.today()),
    }
}

fn status_of(text: &str) -> Result<ProductStatus, CliError> {
    text.parse::<ProductStatus>()
        .map_err(|e| CliError::usage(format!("status: {e}; e.g. listed")))
}

/// `kam product ...`.
pub fn run(ctx: &mut Ctx, command: ProductCommand) -> Result<(), CliError> {
    match command {
        ProductCommand::Add {
            name,
            competitor_of,
            notes,
        } => {
            let competitor_of = competitor_of
                .map(|c| find_product(&ctx.store.reader(), &c).map(|p| p.id))
                .transpose()?;
            let product = Product {
                id: 0,
                uid: crate::capture::new_uid(),
                name,
                competitor_of,
                notes,
            };
            lifecycle::run_and_print(ctx, &ops::AddProduct { product })
        }
        ProductCommand::List { json } => list(ctx, json),
        ProductCommand::Status {
            account,
            product,
            status,
            on,
            note,
        } => {
            let status = status_of(&status)?;
            let reader = ctx.store.reader();
            let account = resolve(&reader, &account, &[TargetKind::Account])?.id;
            let product = find_product(&reader, &product)?.id;
            let change = ProductStatusChange {
                id: 0,
                uid: crate::capture::new_uid(),
                account,
                product,
                status,
                day: day(ctx, on.as_deref())?,
                note,
            };
            lifecycle::run_and_print(ctx, &ops::SetProductStatus { change })
        }
        ProductCommand::Accounts {
            product,
            status,
            json,
        } => accounts(ctx, &product, status.as_deref(), json),
        ProductCommand::History {
            account,
            product,
            json,
        } => history(ctx, &account, &product, json),
    }
}

fn list(ctx: &mut Ctx, json: bool) -> Result<(), CliError> {
    let products = ctx.store.reader().products()?;
    if json {
        return ctx.out.json(&products);
    }
    if products.is_empty() {
        ctx.out
            .line("No products yet: `kam product add NAME` adds one.")?;
    }
    for p in &products {
        match p.competitor_of {
            None => ctx.out.line(&p.name)?,
            Some(_) => ctx.out.line(&format!("  vs {}  (competitor)", p.name))?,
        }
    }
    ctx.out.flush()
}

fn accounts(
    ctx: &mut Ctx,
    product: &str,
    status: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let status = status.map(status_of).transpose()?;
    let reader = ctx.store.reader();
    let p = find_product(&reader, product)?;
    let rows = reader.accounts_with_product(p.id, status)?;
    if json {
        return ctx.out.json(&json!({ "product": p, "accounts": rows }));
    }
    let which = status.map_or_else(String::new, |s| format!(" {s}"));
    ctx.out.heading(&format!(
        "{}: {} account{}{which}",
        p.name,
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ))?;
    for r in &rows {
        ctx.out.line(&format!(
            "  #a{:<5} {:<32} {:<13} since {}",
            r.change.account,
            r.account_name,
            r.change.status.as_str(),
            r.change.day
        ))?;
    }
    ctx.out.flush()
}

fn history(ctx: &mut Ctx, account: &str, product: &str, json: bool) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let a = resolve(&reader, account, &[TargetKind::Account])?;
    let p = find_product(&reader, product)?;
    let rows = reader.product_status_history(a.id, p.id)?;
    if json {
        return ctx.out.json(&rows);
    }
    ctx.out.heading(&format!("{} at {}", p.name, a.name))?;
    if rows.is_empty() {
        ctx.out.line("  No status yet.")?;
    }
    for r in &rows {
        let note = r
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        ctx.out
            .line(&format!("  {}  {}{note}", r.day, r.status.as_str()))?;
    }
    ctx.out.flush()
}

/// `kam objection ...`.
pub fn objection(ctx: &mut Ctx, command: ObjectionCommand) -> Result<(), CliError> {
    match command {
        ObjectionCommand::Add {
            person,
            product,
            text,
            on,
        } => {
            let reader = ctx.store.reader();
            let person = resolve(&reader, &person, &[TargetKind::Person])?.id;
            let product = find_product(&reader, &product)?.id;
            let objection = Objection {
                id: 0,
                uid: crate::capture::new_uid(),
                person,
                product,
                day: day(ctx, on.as_deref())?,
                text: text.join(" "),
            };
            lifecycle::run_and_print(ctx, &ops::AddObjection { objection })
        }
        ObjectionCommand::List { person, json } => {
            let reader = ctx.store.reader();
            let who = resolve(&reader, &person, &[TargetKind::Person])?;
            let rows = reader.objections_of(who.id, 200)?;
            if json {
                return ctx.out.json(&rows);
            }
            if rows.is_empty() {
                ctx.out
                    .line(&format!("{} raised no objection yet.", who.name))?;
            }
            for r in &rows {
                ctx.out.line(&format!(
                    "{}  {}: {}",
                    r.objection.day, r.product_name, r.objection.text
                ))?;
            }
            ctx.out.flush()
        }
    }
}
