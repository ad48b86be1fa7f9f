//! `kam account show` and `kam person show`: the dossier a KAM reads before walking in, as
//! laid out by [`crate::dossier`] (the lines the TUI and the Markdown export show), or as JSON.
//! Long lists are windowed (the latest interactions, the open follow-ups), so the biggest
//! account costs a handful of indexed queries.

use chrono::Local;
use serde_json::json;

use super::{CliError, Ctx};
use crate::domain::{Ladder, PlanSubject};
use crate::dossier::{self, DossierSection, Limits, Notes};
use crate::store::StoreError;

/// Interactions listed in a dossier.
const TIMELINE: u32 = 10;
/// People listed in an account dossier.
const PEOPLE: u32 = 50;
/// Power-map links listed in a person dossier.
const LINKS: u32 = 20;
/// Open follow-ups listed in a dossier.
const FOLLOWUPS: u32 = 20;

/// What `kam account show` / `kam person show` read.
const LIMITS: Limits = Limits {
    people: PEOPLE,
    timeline: TIMELINE,
    followups: FOLLOWUPS,
    links: LINKS,
    map: false,
};

/// A dossier that is not there (gone since it was named) is a usage error that names it.
fn missing(e: StoreError, what: &str) -> CliError {
    match e {
        StoreError::NotFound { .. } => CliError::usage(format!("no {what}")),
        e => e.into(),
    }
}

/// The account dossier.
pub fn account(ctx: &mut Ctx, id: i64, json: bool) -> Result<(), CliError> {
    if json {
        return account_json(ctx, id);
    }
    let now = ctx.clock.now();
    let data = dossier::account(&ctx.store.reader(), id, LIMITS, &now, &ctx.config.cadence)
        .map_err(|e| missing(e, &format!("account #a{id}")))?;
    paint(ctx, &data.sections(Notes::FirstLine, &now))
}

/// The person dossier.
pub fn person(ctx: &mut Ctx, id: i64, json: bool) -> Result<(), CliError> {
    if json {
        return person_json(ctx, id);
    }
    let now = ctx.clock.now();
    let data = dossier::person(&ctx.store.reader(), id, LIMITS, &now, &ctx.config.cadence)
        .map_err(|e| missing(e, &format!("person #p{id}")))?;
    paint(ctx, &data.sections(Notes::FirstLine, &now))
}

/// The account dossier as JSON.
fn account_json(ctx: &mut Ctx, id: i64) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let (a, stamp) = reader
        .account(id)?
        .ok_or_else(|| CliError::usage(format!("no account #a{id}")))?;
    let people = reader.people(Some(id), PEOPLE, 0)?;
    let deals = reader.deals_of(id)?;
    let timeline_rows = reader.account_timeline(id, TIMELINE, 0)?;
    let crate::store::LastContacts { seen: last, touch } = reader.account_contacts(id)?;
    let plans = reader.plans_of(PlanSubject::Account(id))?;
    let open = reader.open_followups_of(Some(id), None, 100)?;
    let open: Vec<_> = open.into_iter().map(|r| r.followup).collect();
    let interactions: Vec<_> = timeline_rows.into_iter().map(|r| r.interaction).collect();
    ctx.out.json(&json!({
        "account": a, "version": stamp.version, "last_contact": last, "last_seen": last,
        "last_touch": touch,
        "people": people, "deals": deals, "plans": plans,
        "products": reader.product_standings_of(id)?,
        "followups": open, "interactions": interactions,
        "stage_history": reader.stage_history(Ladder::Account, id)?,
        "red_flags": crate::flags::for_account(&reader, id, &ctx.clock.now(), &ctx.config.cadence)?,
    }))
}

/// The person dossier as JSON.
fn person_json(ctx: &mut Ctx, id: i64) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let (p, stamp) = reader
        .person(id)?
        .ok_or_else(|| CliError::usage(format!("no person #p{id}")))?;
    let account = p
        .account
        .map(|a| reader.account(a))
        .transpose()?
        .flatten()
        .map(|(a, _)| a);
    let (links, links_total) = reader.links_of(id, LINKS)?;
    let timeline_rows = reader.person_timeline(id, TIMELINE, 0)?;
    let crate::store::LastContacts { seen: last, touch } = reader.person_contacts(id)?;
    let plans = reader.plans_of(PlanSubject::Person(id))?;
    let history = reader.stage_history(Ladder::Person, id)?;
    let open = reader.open_followups_of(None, Some(id), 100)?;
    let open: Vec<_> = open.into_iter().map(|r| r.followup).collect();
    let interactions: Vec<_> = timeline_rows.into_iter().map(|r| r.interaction).collect();
    let links: Vec<_> = links
        .into_iter()
        .map(|(l, name)| json!({"link": l, "other": name}))
        .collect();
    ctx.out.json(&json!({
        "person": p, "version": stamp.version, "account": account, "last_contact": last,
        "last_seen": last, "last_touch": touch,
        "links": links, "links_total": links_total, "followups": open, "interactions": interactions,
        "plans": plans, "stage_history": history,
        "standing": standing_of(ctx, &p, account.as_ref(), last),
    }))
}

/// Prints a dossier's sections, one after the other.
fn paint(ctx: &mut Ctx, sections: &[DossierSection]) -> Result<(), CliError> {
    let look = super::paint::Look {
        blank_between: false,
        upper_titles: false,
        untitled_indented: true,
    };
    super::paint::sections(&mut ctx.out, sections.iter().map(|s| &s.section), look)?;
    ctx.out.flush()
}

fn standing_of(
    ctx: &Ctx,
    p: &crate::domain::Person,
    account: Option<&crate::domain::Account>,
    last: Option<i64>,
) -> crate::cadence::Standing {
    let tier = account.and_then(|a| a.tier);
    ctx.config
        .cadence
        .standing(p, tier, last, &Local, ctx.clock.today())
}
