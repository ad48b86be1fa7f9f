//! The brief's deal people, products and objections (issue 14.3-4): for every open deal in
//! play (the account's, and those an attendee plays a part in), who has which role in it and
//! whether they will be there, a committee member not seen before the submission marked; where
//! our products and the competitors' stand with the account; and the objections the people
//! there raised about a product. Each section is left out when it has nothing to say.

use chrono::{DateTime, NaiveDate, TimeZone};
use serde::Serialize;

use super::{Item, Section, Tone};
use crate::domain::{DealRole, Id, ProductStatus};
use crate::flags::committee::{seen_day, submission_day, unseen_before};
use crate::store::{Reader, StoreError};

/// Deals whose people are listed, at most.
pub const DEALS_WITH_PEOPLE: u32 = 8;
/// Objections listed per person, newest first.
pub const OBJECTIONS_PER_PERSON: u32 = 3;

/// A person's role in a deal in play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DealRoleBrief {
    pub person: Id,
    pub name: String,
    pub role: DealRole,
    /// They will be at the meeting (or are the person prepared for).
    pub here: bool,
    /// A committee member not seen in the weeks before the submission (the red flag's rule).
    pub unseen: bool,
}

/// The people of one deal in play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DealPeopleBrief {
    pub deal: Id,
    pub title: String,
    pub submission: Option<NaiveDate>,
    pub people: Vec<DealRoleBrief>,
}

/// Where a product stands with the account met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductBrief {
    pub product: String,
    pub competitor: bool,
    pub status: ProductStatus,
    pub since: NaiveDate,
}

/// An objection someone in the brief raised about a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectionBrief {
    pub person: Id,
    pub person_name: String,
    pub product: String,
    pub day: NaiveDate,
    pub text: String,
}

/// The people of the deals in play: `deals` (the account's open ones), then the open deals
/// `people` play a part in; deals without people are left out.
pub fn deal_people<Tz: TimeZone>(
    reader: &Reader<'_>,
    deals: &[Id],
    people: &[Id],
    now: &DateTime<Tz>,
) -> Result<Vec<DealPeopleBrief>, StoreError> {
    let mut ids: Vec<Id> = deals.to_vec();
    for p in people {
        for d in reader.open_deals_of_person(*p, DEALS_WITH_PEOPLE)? {
            if !ids.contains(&d.deal) {
                ids.push(d.deal);
            }
        }
    }
    let today = now.date_naive();
    let tz = now.timezone();
    let mut out = Vec::new();
    for id in ids {
        if out.len() >= usize::try_from(DEALS_WITH_PEOPLE).unwrap_or(usize::MAX) {
            break;
        }
        let rows = reader.deal_people(id)?;
        if rows.is_empty() {
            continue;
        }
        let Some((deal, _)) = reader.deal(id)? else {
            continue;
        };
        let submission = submission_day(&deal);
        let open = deal.stage.is_none_or(|s| !s.is_closed());
        let mut listed = Vec::with_capacity(rows.len());
        for r in rows {
            let unseen = match submission {
                Some(s) if open && r.role.role.is_committee() => {
                    unseen_before(s, today, seen_day(reader, r.role.person, &tz)?)
                }
                _ => false,
            };
            listed.push(DealRoleBrief {
                person: r.role.person,
                here: people.contains(&r.role.person),
                name: r.name,
                role: r.role.role,
                unseen,
            });
        }
        out.push(DealPeopleBrief {
            deal: id,
            title: deal.title,
            submission,
            people: listed,
        });
    }
    Ok(out)
}

/// The current status of each product with the account.
pub fn products(reader: &Reader<'_>, account: Option<Id>) -> Result<Vec<ProductBrief>, StoreError> {
    let Some(a) = account else {
        return Ok(Vec::new());
    };
    Ok(reader
        .product_standings_of(a)?
        .into_iter()
        .map(|s| ProductBrief {
            product: s.product_name,
            competitor: s.competitor,
            status: s.change.status,
            since: s.change.day,
        })
        .collect())
}

/// The objections the people in the brief raised, per person, newest first.
pub fn objections(reader: &Reader<'_>, people: &[Id]) -> Result<Vec<ObjectionBrief>, StoreError> {
    let mut out = Vec::new();
    for p in people {
        for o in reader.objections_of(*p, OBJECTIONS_PER_PERSON)? {
            out.push(ObjectionBrief {
                person: o.objection.person,
                person_name: o.person_name,
                product: o.product_name,
                day: o.objection.day,
                text: o.objection.text,
            });
        }
    }
    Ok(out)
}

/// The sections these make, in order; none when there is nothing.
pub fn sections(
    deals: &[DealPeopleBrief],
    objections: &[ObjectionBrief],
    products: &[ProductBrief],
) -> Vec<Section> {
    let mut out = Vec::new();
    if !objections.is_empty() {
        out.push(Section {
            title: "Objections raised".into(),
            items: objections
                .iter()
                .map(|o| Item {
                    person: Some(o.person),
                    ..Item::new(
                        format!("{} on {} ({}): {}", o.person_name, o.product, o.day, o.text),
                        Tone::Plain,
                    )
                })
                .collect(),
        });
    }
    if !deals.is_empty() {
        let mut items = Vec::new();
        for d in deals {
            let due = d
                .submission
                .map(|s| format!(" · submission {}", s.format("%-d %b %Y")))
                .unwrap_or_default();
            items.push(Item::new(
                format!("{} (#d{}){due}", d.title, d.deal),
                Tone::Strong,
            ));
            for p in &d.people {
                let mut line = format!("{}: {}", p.role, p.name);
                if p.here {
                    line.push_str(" (there)");
                }
                let tone = if p.unseen {
                    line.push_str(" — not seen in the weeks before the submission");
                    Tone::Alert
                } else {
                    Tone::Plain
                };
                items.push(Item {
                    person: Some(p.person),
                    ..Item::detail(line, tone)
                });
            }
        }
        out.push(Section {
            title: "People of the deals".into(),
            items,
        });
    }
    if !products.is_empty() {
        out.push(Section {
            title: "Products here".into(),
            items: products
                .iter()
                .map(|p| {
                    let whose = if p.competitor { " (competitor)" } else { "" };
                    Item::new(
                        format!("{}{whose}: {} since {}", p.product, p.status, p.since),
                        Tone::Plain,
                    )
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};

    use super::super::{PrepTarget, build};
    use super::*;
    use crate::cadence::CadenceConfig;
    use crate::domain::{
        Account, Deal, DealKind, DealPerson, Extra, Interaction, InteractionKind,
        InteractionStatus, Milestone, Objection, Person, Product, ProductStatusChange,
    };
    use crate::store::Store;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Monday 2 March 2026: a meeting tomorrow with Iván, who objected to Oncomab; Ana, the
    /// decision maker of a tender due on 20 March, has not been seen; Oncomab is listed.
    #[allow(clippy::too_many_lines)] // one record of each kind the brief reads
    fn notebook() -> (Store, Id, Id, Id) {
        let mut store = Store::open_in_memory().unwrap();
        let ids = store
            .write(at("2026-03-01T09:00:00+01:00"), |w| {
                let account = w.upsert_account(
                    &Account {
                        uid: "a-1".into(),
                        name: "Hospital Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                let person = |uid: &str, name: &str| Person {
                    uid: uid.into(),
                    name: name.into(),
                    account: Some(account),
                    ..Person::default()
                };
                let ana = w.upsert_person(&person("p-1", "Ana Puig"), None, None)?;
                let ivan = w.upsert_person(&person("p-2", "Iván Ruiz"), None, None)?;
                let deal = w.upsert_deal(
                    &Deal {
                        id: 0,
                        uid: "d-1".into(),
                        account,
                        title: "Tender 2026".into(),
                        kind: Some(DealKind::Tender),
                        stage: None,
                        value: None,
                        currency: None,
                        probability: None,
                        close: None,
                        commission_rate: None,
                        milestones: vec![Milestone {
                            name: "submission".into(),
                            date: day("2026-03-20"),
                        }],
                        notes: None,
                        extra: Extra::new(),
                    },
                    None,
                    None,
                )?;
                for (uid, person, role) in [
                    ("dp-1", ana, DealRole::DecisionMaker),
                    ("dp-2", ivan, DealRole::User),
                ] {
                    w.upsert_deal_person(&DealPerson {
                        id: 0,
                        uid: uid.into(),
                        deal,
                        person,
                        role,
                    })?;
                }
                let product = w.upsert_product(&Product {
                    id: 0,
                    uid: "pr-1".into(),
                    name: "Oncomab".into(),
                    competitor_of: None,
                    notes: None,
                })?;
                w.upsert_product_status(&ProductStatusChange {
                    id: 0,
                    uid: "s-1".into(),
                    account,
                    product,
                    status: ProductStatus::Listed,
                    day: day("2026-02-01"),
                    note: None,
                })?;
                w.upsert_objection(&Objection {
                    id: 0,
                    uid: "o-1".into(),
                    person: ivan,
                    product,
                    day: day("2026-02-20"),
                    text: "Too dear for the day hospital".into(),
                })?;
                let meeting = w.upsert_interaction(
                    &Interaction {
                        id: 0,
                        uid: "i-1".into(),
                        kind: InteractionKind::Meeting,
                        at: at("2026-03-03T10:00:00+01:00"),
                        end: None,
                        account: Some(account),
                        people: vec![ivan],
                        mentioned: Vec::new(),
                        title: Some("Prices".into()),
                        body: None,
                        location: None,
                        status: InteractionStatus::Planned,
                        outcome: None,
                        tags: Vec::new(),
                        extra: Extra::new(),
                    },
                    None,
                    None,
                )?;
                Ok((meeting, ana, ivan, deal))
            })
            .unwrap();
        (store, ids.0, ids.1, ids.2)
    }

    #[test]
    fn the_brief_of_a_meeting_has_the_objections_the_deal_people_and_the_products() {
        let (store, meeting, ana, ivan) = notebook();
        let now = at("2026-03-02T09:00:00+01:00");
        let brief = build(
            &store.reader(),
            PrepTarget::Meeting(meeting),
            &now,
            &CadenceConfig::default(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(brief.objections.len(), 1);
        assert_eq!(brief.objections[0].person, ivan);
        assert_eq!(brief.objections[0].product, "Oncomab");
        assert_eq!(brief.deal_people.len(), 1);
        let people = &brief.deal_people[0].people;
        let ana_there = people.iter().find(|p| p.person == ana).unwrap();
        assert!(!ana_there.here);
        assert!(
            ana_there.unseen,
            "the decision maker is not seen before the submission"
        );
        let ivan_there = people.iter().find(|p| p.person == ivan).unwrap();
        assert!(ivan_there.here);
        assert!(!ivan_there.unseen, "a user is not of the committee");
        assert_eq!(brief.products[0].status, ProductStatus::Listed);

        let lines: Vec<String> = brief
            .sections(&now.timezone())
            .into_iter()
            .flat_map(|s| std::iter::once(s.title).chain(s.items.into_iter().map(|i| i.text)))
            .collect();
        for wanted in [
            "Objections raised",
            "Iván Ruiz on Oncomab (2026-02-20): Too dear for the day hospital",
            "People of the deals",
            "decision-maker: Ana Puig — not seen in the weeks before the submission",
            "user: Iván Ruiz (there)",
            "Oncomab: listed since 2026-02-01",
        ] {
            assert!(
                lines.iter().any(|l| l == wanted),
                "{wanted:?} not in {lines:#?}"
            );
        }
    }

    #[test]
    fn a_brief_without_them_has_none_of_their_sections() {
        let (store, meeting, ..) = notebook();
        let now = at("2026-03-02T09:00:00+01:00");
        let mut brief = build(
            &store.reader(),
            PrepTarget::Meeting(meeting),
            &now,
            &CadenceConfig::default(),
        )
        .unwrap()
        .unwrap();
        brief.objections.clear();
        brief.deal_people.clear();
        brief.products.clear();
        let titles: Vec<String> = brief
            .sections(&now.timezone())
            .into_iter()
            .map(|s| s.title)
            .collect();
        assert!(
            !titles
                .iter()
                .any(|t| t == "Objections raised" || t == "Products here")
        );
    }
}
