//! `kam account|person add|edit|list`, `kam stage` and `kam link`: keeping the dossiers.

use super::args::{AccountCommand, AccountFields, PersonCommand, PersonFields, StageArgs};
use super::target::resolve;
use super::{CliError, Ctx, lifecycle, show};
use crate::domain::{
    Account, AnyStage, Birthday, Ladder, Person, RecordKind, RecordRef, code_typed,
};
use crate::ops;
use crate::store::{MergeKind, TargetKind};
use crate::text::{fit, sanitize_line};

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

/// The fields `--clear` empties on an account.
fn clear_account(a: &mut Account, fields: &[String]) -> Result<(), CliError> {
    for f in fields {
        match f.as_str() {
            "tier" => a.tier = None,
            "kind" => a.kind = None,
            "territory" => a.territory = None,
            "city" => a.city = None,
            "country" => a.country = None,
            "address" => a.address = None,
            "revenue" => a.revenue = None,
            "phone" => a.phone = None,
            "website" => a.website = None,
            "about" => a.about = None,
            "needs" => a.needs = None,
            "plans" => a.plans = None,
            "competitors" => a.competitors = None,
            "sales" => a.our_sales = None,
            "currency" => a.currency = None,
            "tags" => a.tags.clear(),
            "travel" => a.travel_minutes = None,
            other => {
                return Err(unclearable(
                    other,
                    "tier, kind, territory, city, country, address, phone, website, about, needs, plans, competitors, sales, revenue, currency, tags, travel",
                ));
            }
        }
    }
    Ok(())
}

/// The fields `--clear` empties on a person.
fn clear_person(p: &mut Person, fields: &[String]) -> Result<(), CliError> {
    for f in fields {
        match f.as_str() {
            "account" => p.account = None,
            "title" => p.title = None,
            "role" => p.role = None,
            "influence" => p.influence = None,
            "attitude" => p.attitude = None,
            "phone" => p.phone = None,
            "email" => p.email = None,
            "birthday" => p.birthday = None,
            "personal" => p.personal = None,
            "languages" => p.languages.clear(),
            "tags" => p.tags.clear(),
            "cadence" => {
                p.extra.remove(crate::cadence::OWN_CADENCE_KEY);
            }
            "salutation" => p.salutation = None,
            "family-name" | "family_name" => p.family_name = None,
            other => {
                return Err(unclearable(
                    other,
                    "account, title, role, influence, attitude, phone, email, birthday, personal, languages, tags, cadence, salutation, family-name",
                ));
            }
        }
    }
    Ok(())
}

fn unclearable(field: &str, allowed: &str) -> CliError {
    CliError::usage(format!(
        "--clear {}: not a field that can be emptied; one of: {allowed}",
        sanitize_line(field)
    ))
}

/// Applies the given fields; a stage is returned, not set: it moves through `move_stage`, which
/// records the move in the stage history.
fn apply_account(a: &mut Account, f: AccountFields) -> Result<Option<AnyStage>, CliError> {
    let stage = f
        .stage
        .map(|s| AnyStage::parse(Ladder::Account, &s))
        .transpose()?;
    set(&mut a.tier, f.tier.map(|t| t.parse()).transpose()?);
    set(&mut a.kind, f.kind);
    set(&mut a.territory, f.territory);
    set(&mut a.city, f.city);
    set(&mut a.country, f.country.map(|c| code_typed(&c)));
    set(&mut a.phone, f.phone);
    set(&mut a.website, f.website);
    set(&mut a.about, f.about);
    set(&mut a.needs, f.needs);
    set(&mut a.plans, f.plans);
    set(&mut a.competitors, f.competitors);
    set(&mut a.our_sales, f.sales);
    set(&mut a.revenue, f.revenue);
    set(&mut a.address, f.address);
    set(&mut a.currency, f.currency.map(|c| code_typed(&c)));
    set(&mut a.travel_minutes, f.travel);
    for t in f.tags {
        if !a.tags.contains(&t) {
            a.tags.push(t);
        }
    }
    Ok(stage)
}

/// Applies the given fields; a stage is returned, not set (see [`apply_account`]).
fn apply_person(ctx: &Ctx, p: &mut Person, f: PersonFields) -> Result<Option<AnyStage>, CliError> {
    let stage = f
        .stage
        .map(|s| AnyStage::parse(Ladder::Person, &s))
        .transpose()?;
    if let Some(account) = f.account {
        p.account = Some(resolve(&ctx.store.reader(), &account, &[TargetKind::Account])?.id);
    }
    set(&mut p.title, f.title);
    set(&mut p.salutation, f.salutation);
    set(&mut p.family_name, f.family_name);
    set(&mut p.role, f.role.map(|s| s.parse()).transpose()?);
    set(&mut p.influence, f.influence);
    set(&mut p.attitude, f.attitude.map(|s| s.parse()).transpose()?);
    set(&mut p.phone, f.phone);
    set(&mut p.email, f.email);
    set(
        &mut p.birthday,
        f.birthday
            .map(|b| b.parse::<Birthday>())
            .transpose()
            .map_err(|e| CliError::usage(e.to_string()))?,
    );
    set(&mut p.personal, f.personal);
    if let Some(days) = f.cadence {
        p.extra
            .insert(crate::cadence::OWN_CADENCE_KEY.into(), days.into());
    }
    for l in f.languages {
        if !p.languages.contains(&l) {
            p.languages.push(l);
        }
    }
    for t in f.tags {
        if !p.tags.contains(&t) {
            p.tags.push(t);
        }
    }
    Ok(stage)
}

/// `kam account ...`.
pub fn account(ctx: &mut Ctx, command: AccountCommand) -> Result<(), CliError> {
    match command {
        AccountCommand::Add { name, fields, json } => {
            let mut a = Account {
                uid: uuid::Uuid::new_v4().to_string(),
                name,
                ..Account::default()
            };
            let stage = apply_account(&mut a, fields)?;
            let outcome = lifecycle::apply(ctx, &ops::AddAccount { account: a, stage })?;
            ctx.out.saved(format!(
                "the account {}",
                outcome.record.map_or_else(String::new, |r| r.to_string())
            ));
            if json {
                let id = outcome.record.map_or(0, |r| r.id);
                return ctx
                    .out
                    .json(&ctx.store.reader().account(id)?.map(|(a, _)| a));
            }
            lifecycle::print(ctx, &outcome)?;
            ctx.out.flush()
        }
        AccountCommand::Edit {
            target,
            name,
            fields,
            clear,
        } => {
            let t = resolve(&ctx.store.reader(), &target, &[TargetKind::Account])?;
            let (mut a, stamp) = ctx
                .store
                .reader()
                .account(t.id)?
                .ok_or_else(|| CliError::usage("account vanished"))?;
            if let Some(n) = name {
                a.name = n;
            }
            clear_account(&mut a, &clear)?;
            let stage = apply_account(&mut a, fields)?;
            lifecycle::run_and_print(
                ctx,
                &ops::EditAccount {
                    account: a,
                    version: stamp.version,
                    stage,
                },
            )
        }
        AccountCommand::Merge {
            keep,
            other,
            dry_run,
        } => merge(ctx, MergeKind::Account, &keep, &other, dry_run),
        AccountCommand::Show { target, json } => {
            let t = resolve(&ctx.store.reader(), &target, &[TargetKind::Account])?;
            show::account(ctx, t.id, json)
        }
        AccountCommand::List {
            filter,
            limit,
            offset,
            json,
        } => {
            let typed = account_filter(&filter)?;
            if !typed.is_empty() {
                return filtered_accounts(ctx, &typed, limit, offset, json);
            }
            let accounts = ctx.store.reader().accounts(limit, offset)?;
            if json {
                return ctx.out.json(&accounts);
            }
            for a in &accounts {
                ctx.out.line(&account_line(
                    a.id,
                    &a.name,
                    a.tier,
                    a.stage,
                    [a.city.as_deref(), a.country.as_deref()],
                ))?;
            }
            if accounts.len() == limit as usize {
                ctx.out.dim(&format!(
                    "(first {limit}; --offset {} for more)",
                    offset + limit
                ))?;
            }
            ctx.out.flush()
        }
    }
}

/// `kam person ...`.
pub fn person(ctx: &mut Ctx, command: PersonCommand) -> Result<(), CliError> {
    match command {
        PersonCommand::Add { name, fields, json } => {
            let mut p = Person {
                uid: uuid::Uuid::new_v4().to_string(),
                name,
                ..Person::default()
            };
            let stage = apply_person(ctx, &mut p, fields)?;
            let outcome = lifecycle::apply(ctx, &ops::AddPerson { person: p, stage })?;
            ctx.out.saved(format!(
                "the person {}",
                outcome.record.map_or_else(String::new, |r| r.to_string())
            ));
            if json {
                let id = outcome.record.map_or(0, |r| r.id);
                return ctx
                    .out
                    .json(&ctx.store.reader().person(id)?.map(|(p, _)| p));
            }
            lifecycle::print(ctx, &outcome)?;
            ctx.out.flush()
        }
        PersonCommand::Edit {
            target,
            name,
            fields,
            clear,
            append_personal,
        } => {
            let t = resolve(&ctx.store.reader(), &target, &[TargetKind::Person])?;
            let (mut p, stamp) = ctx
                .store
                .reader()
                .person(t.id)?
                .ok_or_else(|| CliError::usage("person vanished"))?;
            if let Some(n) = name {
                p.name = n;
            }
            clear_person(&mut p, &clear)?;
            let stage = apply_person(ctx, &mut p, fields)?;
            lifecycle::run_and_print(
                ctx,
                &ops::EditPerson {
                    person: p,
                    version: stamp.version,
                    stage,
                    append_personal,
                },
            )
        }
        PersonCommand::Merge {
            keep,
            other,
            dry_run,
        } => merge(ctx, MergeKind::Person, &keep, &other, dry_run),
        PersonCommand::Show { target, json } => {
            let t = resolve(&ctx.store.reader(), &target, &[TargetKind::Person])?;
            show::person(ctx, t.id, json)
        }
        PersonCommand::List {
            account,
            filter,
            limit,
            offset,
            json,
        } => {
            let account = account
                .map(|a| resolve(&ctx.store.reader(), &a, &[TargetKind::Account]).map(|t| t.id))
                .transpose()?;
            let typed = person_filter(&filter, account)?;
            if !typed.is_empty() {
                return filtered_people(ctx, &typed, limit, offset, json);
            }
            let people = ctx.store.reader().people(account, limit, offset)?;
            if json {
                return ctx.out.json(&people);
            }
            for p in &people {
                let r = RecordRef::of(RecordKind::Person, p.id).to_string();
                let role = p.role.map_or("", crate::domain::Vocabulary::as_str);
                let stage = p.stage.map_or("", crate::domain::Vocabulary::as_str);
                ctx.out.line(&format!(
                    "{r:<8} {}  {:<16} {:<11} {}",
                    fit(&sanitize_line(&p.addressed()), 30),
                    role,
                    stage,
                    sanitize_line(p.title.as_deref().unwrap_or(""))
                ))?;
            }
            if people.len() == limit as usize {
                ctx.out.dim(&format!(
                    "(first {limit}; --offset {} for more)",
                    offset + limit
                ))?;
            }
            ctx.out.flush()
        }
    }
}

/// `kam stage TARGET STAGE [--note]`.
pub fn stage(ctx: &mut Ctx, args: &StageArgs) -> Result<(), CliError> {
    let t = resolve(
        &ctx.store.reader(),
        &args.target,
        &[TargetKind::Person, TargetKind::Account, TargetKind::Deal],
    )?;
    let ladder = match t.kind {
        TargetKind::Person => Ladder::Person,
        TargetKind::Account => Ladder::Account,
        TargetKind::Deal => Ladder::Deal,
    };
    let to = AnyStage::parse(ladder, &args.stage)?;
    lifecycle::run_and_print(
        ctx,
        &ops::MoveStage {
            id: t.id,
            to,
            note: args.note.clone(),
            label: format!("{} {}", t.reference(), t.name),
            version: None,
        },
    )
}

/// `kam person|account merge KEEP OTHER [--dry-run]`.
fn merge(
    ctx: &mut Ctx,
    kind: MergeKind,
    keep: &str,
    other: &str,
    dry_run: bool,
) -> Result<(), CliError> {
    let kinds = match kind {
        MergeKind::Person => [TargetKind::Person],
        MergeKind::Account => [TargetKind::Account],
    };
    let keep = resolve(&ctx.store.reader(), keep, &kinds)?;
    let other = resolve(&ctx.store.reader(), other, &kinds)?;
    lifecycle::run_and_print(
        ctx,
        &ops::Merge {
            kind,
            keep: keep.id,
            other: other.id,
            dry_run,
        },
    )
}

/// `field:value` of a list filter, the value quoted when it has spaces.
fn field(out: &mut Vec<String>, name: &str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        let v = v.replace('"', "");
        if v.contains(char::is_whitespace) {
            out.push(format!("{name}:\"{v}\""));
        } else {
            out.push(format!("{name}:{v}"));
        }
    }
}

/// The TUI list filter (`tier:A city:madrid`) that `kam account list`'s flags ask for, the
/// vocabulary values checked.
fn account_filter(f: &super::args::AccountFilterArgs) -> Result<String, CliError> {
    use super::coverage::flag_value;
    use crate::domain::Vocabulary;
    let tier = flag_value::<crate::domain::Tier>("tier", f.tier.as_deref())?;
    let stage = flag_value::<crate::domain::AccountStage>("stage", f.stage.as_deref())?;
    let mut out = Vec::new();
    field(&mut out, "tier", tier.map(Vocabulary::as_str));
    field(&mut out, "stage", stage.map(Vocabulary::as_str));
    field(&mut out, "territory", f.territory.as_deref());
    field(&mut out, "city", f.city.as_deref());
    Ok(out.join(" "))
}

/// The TUI list filter that `kam person list`'s flags ask for.
fn person_filter(
    f: &super::args::PersonFilterArgs,
    account: Option<crate::domain::Id>,
) -> Result<String, CliError> {
    use super::coverage::flag_value;
    use crate::domain::Vocabulary;
    let stage = flag_value::<crate::domain::PersonStage>("stage", f.stage.as_deref())?;
    let role = flag_value::<crate::domain::BuyingRole>("role", f.role.as_deref())?;
    if let Some(i) = f.influence_min {
        crate::domain::check_influence("--influence-min", i64::from(i))
            .map_err(|e| CliError::usage(format!("{e}; e.g. --influence-min 4")))?;
    }
    let mut out = Vec::new();
    field(&mut out, "stage", stage.map(Vocabulary::as_str));
    field(&mut out, "role", role.map(Vocabulary::as_str));
    field(
        &mut out,
        "influence",
        f.influence_min.map(|i| i.to_string()).as_deref(),
    );
    field(&mut out, "tag", f.tag.as_deref());
    field(&mut out, "territory", f.territory.as_deref());
    // Only with another filter: alone, --account keeps its plain listing.
    if !out.is_empty() {
        let r = account.map(|a| RecordRef::of(RecordKind::Account, a).to_string());
        field(&mut out, "account", r.as_deref());
    }
    Ok(out.join(" "))
}

/// One account of `kam account list`, filtered or not: reference, tier, name, stage, place.
fn account_line(
    id: crate::domain::Id,
    name: &str,
    tier: Option<crate::domain::Tier>,
    stage: Option<crate::domain::AccountStage>,
    place: [Option<&str>; 2],
) -> String {
    let r = RecordRef::of(RecordKind::Account, id).to_string();
    let tier = tier.map_or("-", crate::domain::Vocabulary::as_str);
    let stage = stage.map_or("", crate::domain::Vocabulary::as_str);
    let place = place.into_iter().flatten().collect::<Vec<_>>().join(", ");
    format!(
        "{r:<7} {tier}  {}  {:<16} {}",
        fit(&sanitize_line(name), 40),
        stage,
        sanitize_line(&place)
    )
}

fn filtered_accounts(
    ctx: &mut Ctx,
    filter: &str,
    limit: u32,
    offset: u32,
    json: bool,
) -> Result<(), CliError> {
    let query = crate::store::ListQuery::<crate::store::AccountSort> {
        filter: filter.to_string(),
        limit,
        offset,
        ..Default::default()
    };
    let rows = ctx.store.reader().account_rows(&query, &chrono::Local)?;
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(|a| {
                serde_json::json!({"id": a.id, "name": a.name, "tier": a.tier, "stage": a.stage,
                    "city": a.city, "country": a.country, "last_seen": a.last_contact})
            })
            .collect();
        return ctx.out.json(&list);
    }
    for a in &rows {
        ctx.out.line(&account_line(
            a.id,
            &a.name,
            a.tier,
            a.stage,
            [a.city.as_deref(), a.country.as_deref()],
        ))?;
    }
    if rows.is_empty() {
        ctx.out.dim("No account matches.")?;
    }
    ctx.out.flush()
}

fn filtered_people(
    ctx: &mut Ctx,
    filter: &str,
    limit: u32,
    offset: u32,
    json: bool,
) -> Result<(), CliError> {
    let query = crate::store::ListQuery::<crate::store::PersonSort> {
        filter: filter.to_string(),
        limit,
        offset,
        ..Default::default()
    };
    let rows = ctx.store.reader().person_rows(&query, &chrono::Local)?;
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(|p| {
                serde_json::json!({"id": p.id, "name": p.name,
                    "account": p.account.as_ref().map(|a| a.0), "title": p.title,
                    "role": p.role, "influence": p.influence, "attitude": p.attitude,
                    "stage": p.stage, "last_seen": p.last_contact})
            })
            .collect();
        return ctx.out.json(&list);
    }
    for p in &rows {
        let r = RecordRef::of(RecordKind::Person, p.id).to_string();
        let role = p.role.map_or("", crate::domain::Vocabulary::as_str);
        let stage = p.stage.map_or("", crate::domain::Vocabulary::as_str);
        ctx.out.line(&format!(
            "{r:<8} {}  {:<16} {:<11} {}",
            fit(&sanitize_line(&p.name), 30),
            role,
            stage,
            sanitize_line(p.account.as_ref().map_or("", |a| a.1.as_str()))
        ))?;
    }
    if rows.is_empty() {
        ctx.out.dim("Nobody matches.")?;
    }
    ctx.out.flush()
}
