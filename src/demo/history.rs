//! The generated part of the demo: the extra staff of the big accounts (with their place in the
//! power map) and ~18 months of past interactions, weighted toward the A accounts.
//!
//! Everything comes from the seeded [`Rng`] and the tables in `assets/demo/names.json` and
//! `history.json`; numbering is fixed (`demo-p062`..., `demo-l101`..., `demo-i0001`...), so the
//! uids are the same every day. The people marked stale in `people.json` get no generated
//! contact in their quiet window, so the agenda has someone to warn about.

use std::collections::BTreeMap;

use chrono::{Datelike, Weekday};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::relative::Resolver;
use super::{DemoError, Rng, text};

/// How many interactions the long history holds (before the recent contacts).
const HISTORY_LEN: usize = 360;
/// How far back the history reaches, in days.
const HISTORY_DAYS: i64 = 540;

/// Name pools per country and the tables for generated staff (`names.json`).
#[derive(Deserialize)]
pub(super) struct Names {
    countries: BTreeMap<String, Pool>,
    /// `[title, buying role]` pairs.
    titles: Vec<(String, String)>,
    interests: Vec<String>,
    families: Vec<String>,
}

#[derive(Deserialize)]
struct Pool {
    given: Vec<String>,
    family: Vec<String>,
}

/// Products and interaction templates (`history.json`).
#[derive(Deserialize)]
pub(super) struct History {
    products: Vec<String>,
    templates: Vec<Template>,
}

/// One kind of past interaction; `{person}`, `{account}`, `{product}` and `{n}` are filled in.
#[derive(Deserialize)]
struct Template {
    kind: String,
    lang: String,
    title: String,
    body: String,
    outcome: Option<String>,
}

/// Generated people and their reports-to links.
pub(super) struct Staff {
    pub(super) people: Vec<Value>,
    pub(super) links: Vec<Value>,
}

/// The extra staff of the A (six each) and B (two each) accounts.
pub(super) fn staff(
    rng: &mut Rng,
    at: &Resolver,
    accounts: &[Value],
    known: &[Value],
    names: &Names,
) -> Result<Staff, DemoError> {
    let mut staff = Staff {
        people: Vec::new(),
        links: Vec::new(),
    };
    for account in accounts {
        let uid = text(account, "uid");
        let extra = match text(account, "tier") {
            "A" => 6,
            "B" => 2,
            _ => 0,
        };
        let boss = known
            .iter()
            .find(|p| text(p, "account") == uid && text(p, "role") == "economic-buyer")
            .map(|p| text(p, "uid").to_string());
        let country = text(account, "country");
        let pool = names
            .countries
            .get(country)
            .or_else(|| names.countries.get("GB"))
            .ok_or_else(|| missing("names.json", "no name pool for GB"))?;
        let mut previous: Option<String> = None;
        for k in 0..extra {
            let number = 62 + staff.people.len();
            let person_uid = format!("demo-p{number:03}");
            let (title, role) = rng
                .pick(&names.titles)
                .ok_or_else(|| missing("names.json", "no titles"))?;
            let mut person = Map::new();
            person.insert("type".into(), "person".into());
            person.insert("uid".into(), person_uid.clone().into());
            person.insert("name".into(), full_name(rng, pool, country).into());
            person.insert("account".into(), uid.into());
            person.insert("title".into(), title.as_str().into());
            person.insert("role".into(), role.as_str().into());
            let influence = if role == "gatekeeper" { 1 } else { 2 } + rng.range(0, 1);
            person.insert("influence".into(), influence.into());
            let (stage, attitude) = *rng
                .pick(&[
                    ("identified", "neutral"),
                    ("contacted", "neutral"),
                    ("acquainted", "neutral"),
                    ("acquainted", "supporter"),
                    ("loyal", "supporter"),
                    ("contacted", "skeptic"),
                    ("close", "champion"),
                ])
                .unwrap_or(&("contacted", "neutral"));
            person.insert("stage".into(), stage.into());
            person.insert("attitude".into(), attitude.into());
            person.insert("phone".into(), phone(rng, country).into());
            let domain: String = text(account, "website")
                .trim_start_matches("https://")
                .trim_start_matches("www.")
                .chars()
                .take_while(|c| *c != '/')
                .collect();
            if !domain.is_empty() {
                person.insert("email".into(), format!("p{number:03}@{domain}").into());
            }
            if rng.chance(55) {
                // Never within the next ten days: the agenda's birthdays are the hand-made ones.
                let day = at.day(rng.range(10, 350))?;
                let (month, mday) = match (day.month(), day.day()) {
                    (2, 29) => (2, 28),
                    md => md,
                };
                let birthday = if rng.chance(50) {
                    format!("{}-{month:02}-{mday:02}", rng.range(1962, 1996))
                } else {
                    format!("--{month:02}-{mday:02}")
                };
                person.insert("birthday".into(), birthday.into());
            }
            if rng.chance(45) {
                let family = rng.pick(&names.families).map_or("", String::as_str);
                let interest = rng.pick(&names.interests).map_or("", String::as_str);
                person.insert(
                    "personal".into(),
                    format!("{family}; into {interest}.").into(),
                );
            }
            staff.people.push(Value::Object(person));
            let manager = match (&previous, k % 3) {
                (Some(prev), 2) => Some(prev.clone()),
                _ => boss.clone(),
            };
            if let Some(manager) = manager {
                staff.links.push(json!({
                    "type": "link",
                    "uid": format!("demo-l{:03}", 101 + staff.links.len()),
                    "from": person_uid.clone(),
                    "to": manager,
                    "kind": "reports-to",
                }));
            }
            previous = Some(person_uid);
        }
    }
    Ok(staff)
}

/// ~18 months of done interactions before today, denser in recent months, plus one recent
/// contact with every influential person who is not marked stale (or lost).
pub(super) fn interactions(
    rng: &mut Rng,
    at: &Resolver,
    accounts: &[Value],
    people: &[Value],
    stale: &[(String, i64)],
    history: &History,
) -> Result<Vec<Value>, DemoError> {
    // The A accounts see most of the KAM's time: weight 8 : 3 : 1 by tier.
    let weighted: Vec<&Value> = accounts
        .iter()
        .flat_map(|a| {
            let weight = match text(a, "tier") {
                "A" => 8,
                "B" => 3,
                _ => 1,
            };
            std::iter::repeat_n(a, weight)
        })
        .collect();
    let mut out = Vec::with_capacity(HISTORY_LEN + 40);
    for _ in 0..HISTORY_LEN {
        let account = *rng
            .pick(&weighted)
            .ok_or_else(|| missing("accounts.json", "no accounts"))?;
        let uid = text(account, "uid");
        // Half the draws take the nearer of two days: the recent months are denser.
        let (a, b) = (rng.range(1, HISTORY_DAYS), rng.range(1, HISTORY_DAYS));
        let back = if rng.chance(50) { a.min(b) } else { a };
        let days = weekday(at, -back)?;
        let quiet = |p: &&Value| {
            !stale
                .iter()
                .any(|(who, quiet)| who == text(p, "uid") && -days < *quiet)
        };
        let staff: Vec<&Value> = people
            .iter()
            .filter(|p| text(p, "account") == uid)
            .filter(quiet)
            .collect();
        let mut with: Vec<&Value> = rng.pick(&staff).copied().into_iter().collect();
        if rng.chance(30) {
            if let Some(second) = rng.pick(&staff) {
                if !with.iter().any(|p| text(p, "uid") == text(second, "uid")) {
                    with.push(second);
                }
            }
        }
        let number = out.len() + 1;
        out.push(interaction(rng, at, history, account, &with, days, number)?);
    }
    for person in people {
        let influential = person.get("influence").and_then(Value::as_i64) >= Some(4);
        let marked = stale.iter().any(|(who, _)| who == text(person, "uid"));
        let account = accounts
            .iter()
            .find(|a| text(a, "uid") == text(person, "account"));
        let Some(account) = account else { continue };
        if !influential || marked || text(person, "stage") == "lost" {
            continue;
        }
        // The small accounts are seen less often: some of them drift into the stale list.
        let longest = if text(account, "tier") == "C" {
            200
        } else {
            45
        };
        let days = weekday(at, -rng.range(2, longest))?;
        let number = out.len() + 1;
        out.push(interaction(
            rng,
            at,
            history,
            account,
            &[person],
            days,
            number,
        )?);
    }
    Ok(out)
}

/// `days` from today, moved back to the Friday before when it falls on a weekend.
fn weekday(at: &Resolver, days: i64) -> Result<i64, DemoError> {
    Ok(days
        - match at.day(days)?.weekday() {
            Weekday::Sat => 1,
            Weekday::Sun => 2,
            _ => 0,
        })
}

/// One done interaction with `account` and `with`, `days` from today, from a template in the
/// account's language (or English).
fn interaction(
    rng: &mut Rng,
    at: &Resolver,
    history: &History,
    account: &Value,
    with: &[&Value],
    days: i64,
    number: usize,
) -> Result<Value, DemoError> {
    let lang = match text(account, "country") {
        "ES" => "es",
        "DE" | "AT" | "CH" => "de",
        "RU" => "ru",
        _ => "en",
    };
    let lang = if rng.chance(55) { "en" } else { lang };
    let choices: Vec<&Template> = history
        .templates
        .iter()
        .filter(|t| t.lang == lang)
        .collect();
    let template = *rng
        .pick(&choices)
        .ok_or_else(|| missing("history.json", "no templates"))?;
    let fill = Filler {
        person: with
            .first()
            .map_or(text(account, "name"), |p| text(p, "name")),
        account: text(account, "name"),
        product: rng.pick(&history.products).map_or("", String::as_str),
        n: rng.range(2, 30),
    };
    let scheduled = matches!(
        template.kind.as_str(),
        "meeting" | "visit" | "call" | "event"
    );
    let start = if scheduled {
        u32::try_from(rng.range(32, 72)).unwrap_or(36) * 15
    } else {
        u32::try_from(rng.range(7 * 60, 21 * 60)).unwrap_or(540)
    };
    let mut record = Map::new();
    record.insert("type".into(), "interaction".into());
    record.insert("uid".into(), format!("demo-i{number:04}").into());
    record.insert("account".into(), text(account, "uid").into());
    if !with.is_empty() {
        let uids: Vec<Value> = with.iter().map(|p| text(p, "uid").into()).collect();
        record.insert("people".into(), uids.into());
    }
    record.insert("kind".into(), template.kind.as_str().into());
    record.insert("at".into(), at.stamp(days, start)?.into());
    if scheduled {
        let length = if template.kind == "call" { 30 } else { 60 };
        record.insert("end".into(), at.stamp(days, start + length)?.into());
    }
    record.insert("title".into(), fill.apply(&template.title).into());
    record.insert("body".into(), fill.apply(&template.body).into());
    record.insert("status".into(), "done".into());
    if let Some(outcome) = &template.outcome {
        record.insert("outcome".into(), fill.apply(outcome).into());
    }
    Ok(Value::Object(record))
}

/// The values a template's placeholders take.
struct Filler<'a> {
    person: &'a str,
    account: &'a str,
    product: &'a str,
    n: i64,
}

impl Filler<'_> {
    fn apply(&self, template: &str) -> String {
        template
            .replace("{person}", self.person)
            .replace("{account}", self.account)
            .replace("{product}", self.product)
            .replace("{n}", &self.n.to_string())
    }
}

/// A name in the country's order: family first in Japan, Korea and Hungary.
fn full_name(rng: &mut Rng, pool: &Pool, country: &str) -> String {
    let given = rng.pick(&pool.given).map_or("", String::as_str);
    let family = rng.pick(&pool.family).map_or("", String::as_str);
    match country {
        "JP" | "HU" => format!("{family} {given}"),
        "KR" => format!("{family}{given}"),
        _ => format!("{given} {family}"),
    }
    .trim()
    .to_string()
}

/// A plausible mobile number with the country's calling code.
fn phone(rng: &mut Rng, country: &str) -> String {
    let code = match country {
        "ES" => "34",
        "RU" => "7",
        "DE" => "49",
        "AT" => "43",
        "TR" => "90",
        "JP" => "81",
        "PL" => "48",
        "CZ" => "420",
        "GR" => "30",
        "KR" => "82",
        "AE" => "971",
        _ => "44",
    };
    format!(
        "+{code} {} {:03} {:04}",
        rng.range(600, 699),
        rng.range(100, 999),
        rng.range(0, 9999)
    )
}

fn missing(file: &'static str, what: &str) -> DemoError {
    DemoError::Table {
        file,
        what: what.to_string(),
    }
}
