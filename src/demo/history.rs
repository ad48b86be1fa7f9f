//! The generated part of the demo: the extra staff of the big accounts (with titles that fit the
//! kind of account and their place in the power map) and ~18 months of past interactions —
//! visits, calls, e-mails, messages, events, notes with the people mentioned and the
//! products discussed — weighted toward the A accounts (the meals are hand-written, each with
//! its spend on a plan). Identified people are never met.
//!
//! Everything comes from the seeded [`Rng`] and the tables in `assets/demo/names.json` and
//! `history.json`; numbering is fixed (`demo-p066`..., after the hand-written people; `demo-l101`..., `demo-i0001`...), so the
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

/// The region's name pool and the tables for generated staff (`names.json`).
#[derive(Deserialize)]
pub(super) struct Names {
    given: Vec<String>,
    family: Vec<String>,
    /// `[title, buying role]` pairs by kind of account (`other` for the rest): a hospital has
    /// nurses and pharmacists, a distributor buyers and warehouse managers.
    titles: BTreeMap<String, Vec<(String, String)>>,
    interests: Vec<String>,
    families: Vec<String>,
}

/// Our products discussed in the history by kind of account (uids of `business.json`
/// products; `other` for the rest: a hospital hears of biologics and infusion sets, a pharmacy
/// group of the OTC line) and the interaction templates (`history.json`).
#[derive(Deserialize)]
pub(super) struct History {
    products: BTreeMap<String, Vec<String>>,
    templates: Vec<Template>,
}

/// One kind of past interaction; `{person}`, `{account}`, `{product}`, `{mentioned}` and `{n}`
/// are filled in. A template with `mention` names a second person of the account who did not
/// take part (hearsay: a mention is no contact).
#[derive(Deserialize)]
struct Template {
    kind: String,
    lang: String,
    title: String,
    body: String,
    outcome: Option<String>,
    #[serde(default)]
    mention: bool,
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
        let titles = names
            .titles
            .get(text(account, "kind"))
            .or_else(|| names.titles.get("other"))
            .ok_or_else(|| missing("names.json", "no titles for other accounts"))?;
        let mut previous: Option<String> = None;
        for k in 0..extra {
            let number = known.len() + 1 + staff.people.len();
            let person_uid = format!("demo-p{number:03}");
            let (title, role) = rng
                .pick(titles)
                .ok_or_else(|| missing("names.json", "no titles"))?;
            let mut person = Map::new();
            person.insert("type".into(), "person".into());
            person.insert("uid".into(), person_uid.clone().into());
            put_name(&mut person, full_name(rng, names));
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
            person.insert("phone".into(), phone(rng).into());
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
    products: &[Value],
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
        let everyone: Vec<&Value> = people
            .iter()
            .filter(|p| text(p, "account") == uid)
            .collect();
        // Identified people have never been met: they are never in a past meeting.
        let staff: Vec<&Value> = everyone
            .iter()
            .copied()
            .filter(quiet)
            .filter(|p| text(p, "stage") != "identified")
            .collect();
        let mut with: Vec<&Value> = rng.pick(&staff).copied().into_iter().collect();
        if rng.chance(30) {
            if let Some(second) = rng.pick(&staff) {
                if !with.iter().any(|p| text(p, "uid") == text(second, "uid")) {
                    with.push(second);
                }
            }
        }
        let others: Vec<&Value> = everyone
            .iter()
            .copied()
            .filter(|p| !with.iter().any(|w| text(w, "uid") == text(p, "uid")))
            .collect();
        let number = out.len() + 1;
        let draw = Draw {
            account,
            with: &with,
            others: &others,
            days,
            number,
            seen: false,
        };
        out.push(interaction(rng, at, history, products, &draw)?);
    }
    for person in people {
        let influential = person.get("influence").and_then(Value::as_i64) >= Some(4);
        let marked = stale.iter().any(|(who, _)| who == text(person, "uid"));
        let account = accounts
            .iter()
            .find(|a| text(a, "uid") == text(person, "account"));
        let Some(account) = account else { continue };
        if !influential || marked || matches!(text(person, "stage"), "lost" | "identified") {
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
        let draw = Draw {
            account,
            with: &[person],
            others: &[],
            days,
            number,
            seen: true,
        };
        out.push(interaction(rng, at, history, products, &draw)?);
    }
    Ok(out)
}

/// One drawn past interaction: the account, who took part, who else works there (to be
/// mentioned), the day (from today), its number, and whether it must be one where the people
/// are *seen* (a meeting, visit, call, meal or event; not an e-mail, a message or a note).
struct Draw<'a> {
    account: &'a Value,
    with: &'a [&'a Value],
    others: &'a [&'a Value],
    days: i64,
    number: usize,
    seen: bool,
}

/// The kinds where the people who take part are seen (issue 14.1).
const SEEN_KINDS: [&str; 5] = ["meeting", "visit", "call", "meal", "event"];

/// `days` from today, moved back to the Friday before when it falls on a weekend.
fn weekday(at: &Resolver, days: i64) -> Result<i64, DemoError> {
    Ok(days
        - match at.day(days)?.weekday() {
            Weekday::Sat => 1,
            Weekday::Sun => 2,
            _ => 0,
        })
}

/// One done interaction of a draw, from a template in Spanish (the territory's language) or
/// English; the product it names is recorded as discussed.
fn interaction(
    rng: &mut Rng,
    at: &Resolver,
    history: &History,
    products: &[Value],
    draw: &Draw<'_>,
) -> Result<Value, DemoError> {
    let Draw {
        account,
        with,
        others,
        days,
        number,
        seen,
    } = *draw;
    let lang = if rng.chance(40) { "en" } else { "es" };
    let choices: Vec<&Template> = history
        .templates
        .iter()
        .filter(|t| t.lang == lang && (!t.mention || !others.is_empty()))
        .filter(|t| !seen || SEEN_KINDS.contains(&t.kind.as_str()))
        .collect();
    let template = *rng
        .pick(&choices)
        .ok_or_else(|| missing("history.json", "no templates"))?;
    let offered = history
        .products
        .get(text(account, "kind"))
        .or_else(|| history.products.get("other"))
        .map_or(&[][..], Vec::as_slice);
    let product = rng.pick(offered).map_or("", String::as_str);
    let mentioned = if template.mention {
        rng.pick(others).copied()
    } else {
        None
    };
    let fill = Filler {
        person: with
            .first()
            .map_or(text(account, "name"), |p| text(p, "name")),
        account: text(account, "name"),
        product: products
            .iter()
            .find(|p| text(p, "uid") == product)
            .map_or(product, |p| text(p, "name")),
        mentioned: mentioned.map_or("", |p| text(p, "name")),
        n: rng.range(2, 30),
    };
    let scheduled = SEEN_KINDS.contains(&template.kind.as_str());
    let start = match template.kind.as_str() {
        "meal" => u32::try_from(rng.range(52, 58)).unwrap_or(56) * 15,
        _ if scheduled => u32::try_from(rng.range(32, 72)).unwrap_or(36) * 15,
        _ => u32::try_from(rng.range(7 * 60, 21 * 60)).unwrap_or(540),
    };
    let mut record = Map::new();
    record.insert("type".into(), "interaction".into());
    record.insert("uid".into(), format!("demo-i{number:04}").into());
    record.insert("account".into(), text(account, "uid").into());
    if !with.is_empty() {
        let uids: Vec<Value> = with.iter().map(|p| text(p, "uid").into()).collect();
        record.insert("people".into(), uids.into());
    }
    if let Some(p) = mentioned {
        record.insert("mentioned".into(), vec![Value::from(text(p, "uid"))].into());
    }
    record.insert("kind".into(), template.kind.as_str().into());
    record.insert("at".into(), at.stamp(days, start)?.into());
    if scheduled {
        let length = match template.kind.as_str() {
            "call" => 30,
            "meal" => 75,
            _ => 60,
        };
        record.insert("end".into(), at.stamp(days, start + length)?.into());
    }
    record.insert("title".into(), fill.apply(&template.title).into());
    record.insert("body".into(), fill.apply(&template.body).into());
    record.insert("status".into(), "done".into());
    if let Some(outcome) = &template.outcome {
        record.insert("outcome".into(), fill.apply(outcome).into());
    }
    let names_product = [&template.title, &template.body]
        .iter()
        .any(|t| t.contains("{product}"));
    if names_product && !product.is_empty() {
        record.insert("x-products".into(), vec![Value::from(product)].into());
    }
    Ok(Value::Object(record))
}

/// The values a template's placeholders take.
struct Filler<'a> {
    person: &'a str,
    account: &'a str,
    product: &'a str,
    mentioned: &'a str,
    n: i64,
}

impl Filler<'_> {
    fn apply(&self, template: &str) -> String {
        template
            .replace("{person}", self.person)
            .replace("{account}", self.account)
            .replace("{product}", self.product)
            .replace("{mentioned}", self.mentioned)
            .replace("{n}", &self.n.to_string())
    }
}

/// A generated person's name, with the family names it sorts by.
fn put_name(person: &mut Map<String, Value>, name: String) {
    if let Some(family) = family_names(&name) {
        person.insert("family_name".into(), family.into());
    }
    person.insert("name".into(), name.into());
}

/// The two family names of a Spanish name (the father's, the mother's), which it sorts by:
/// "Lucía García Prado" → "García Prado". A name of fewer than three words has none to tell.
fn family_names(name: &str) -> Option<String> {
    let mut words = name.rsplitn(3, ' ');
    let (mother, father, given) = (words.next()?, words.next()?, words.next()?);
    (!given.is_empty()).then(|| format!("{father} {mother}"))
}

/// A Spanish name: given name and two different family names (father's, mother's), without a
/// title.
fn full_name(rng: &mut Rng, names: &Names) -> String {
    let given = rng.pick(&names.given).map_or("", String::as_str);
    let first = rng.pick(&names.family).map_or("", String::as_str);
    let mut second = rng.pick(&names.family).map_or("", String::as_str);
    if second == first {
        second = names
            .family
            .iter()
            .find(|f| f.as_str() != first)
            .map_or("", String::as_str);
    }
    format!("{given} {first} {second}").trim().to_string()
}

/// A plausible Spanish mobile number: `+34 6NN NNN NNN`.
fn phone(rng: &mut Rng) -> String {
    format!(
        "+34 {} {:03} {:03}",
        rng.range(600, 699),
        rng.range(0, 999),
        rng.range(0, 999)
    )
}

fn missing(file: &'static str, what: &str) -> DemoError {
    DemoError::Table {
        file,
        what: what.to_string(),
    }
}
