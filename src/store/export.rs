//! Reading the whole notebook back out, record by record in the order of the interchange format
//! (accounts, people, links, deals, obligations, plans, stage changes, interactions,
//! follow-ups), with references given as uids. Streams: nothing is held but the current row.

use rusqlite::Row;

use crate::domain::{
    Account, Deal, DealPerson, FollowUp, Id, Interaction, Link, Objection, Obligation, Person,
    Plan, Product, ProductStatusChange, StageChange, Stamp,
};

use super::codec::parse_list;
use super::{
    Reader, StoreError, accounts, deals, followups, interactions, people, plans, shelf, stages,
};

/// The uids a record refers to (only the ones its type has are set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    pub account: Option<String>,
    pub person: Option<String>,
    pub deal: Option<String>,
    pub interaction: Option<String>,
    /// The people who took part in an interaction, in order.
    pub people: Vec<String>,
    /// The people only mentioned in an interaction, in order.
    pub mentioned: Vec<String>,
    /// Link ends.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The subject of a stage change (or of a plan: its account or person).
    pub subject: Option<String>,
    /// A product (of a status, an objection; for a product, the one of ours it competes with).
    pub product: Option<String>,
}

/// One record of the notebook with the uids it refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportRecord {
    Account(Account, Stamp),
    Person(Person, Stamp, Refs),
    Link(Link, Refs),
    Deal(Deal, Stamp, Refs),
    Obligation(Obligation, Refs),
    Plan(Plan, Refs),
    StageChange(StageChange, Refs),
    Interaction(Interaction, Stamp, Refs),
    FollowUp(FollowUp, Stamp, Refs),
    Product(Product, Refs),
    ProductStatus(ProductStatusChange, Refs),
    Objection(Objection, Refs),
    DealPerson(DealPerson, Refs),
    /// A month of an account's sales, with its account (`account`).
    Sales(super::SalesEntry, Refs),
}

/// The records of each table an export is limited to (a subject access: `kam export --about`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportScope {
    pub accounts: Vec<Id>,
    pub people: Vec<Id>,
    pub links: Vec<Id>,
    pub deals: Vec<Id>,
    pub obligations: Vec<Id>,
    pub plans: Vec<Id>,
    pub stage_changes: Vec<Id>,
    pub interactions: Vec<Id>,
    pub followups: Vec<Id>,
    /// The products its objections name (the catalogue entry, no account's status).
    pub products: Vec<Id>,
    pub objections: Vec<Id>,
    pub deal_people: Vec<Id>,
}

/// `WHERE {alias}.id IN (the scope's ids, ?1)`, or nothing for a whole export.
fn within(scope: Option<&Vec<Id>>, alias: &str) -> (String, Option<String>) {
    match scope {
        Some(ids) => (
            format!("WHERE {alias}.id IN (SELECT value FROM json_each(?1))"),
            Some(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())),
        ),
        None => (String::new(), None),
    }
}

impl Reader<'_> {
    /// Calls `f` on every record, in interchange order. Stops at the first error from `f`.
    pub fn export<E: From<StoreError>>(
        &self,
        f: impl FnMut(ExportRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        self.export_scoped(None, f)
    }

    /// As [`Reader::export`], limited to the records of `scope` when given.
    #[allow(clippy::too_many_lines)] // one query per record type, in file order
    pub fn export_scoped<E: From<StoreError>>(
        &self,
        scope: Option<&ExportScope>,
        mut f: impl FnMut(ExportRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let each = |(sql, ids): (String, Option<String>),
                    f: &mut dyn FnMut(&Row<'_>) -> Result<(), E>|
         -> Result<(), E> {
            let mut stmt = self.conn.prepare(&sql).map_err(StoreError::from)?;
            let mut rows = match &ids {
                Some(ids) => stmt.query([ids]),
                None => stmt.query([]),
            }
            .map_err(StoreError::from)?;
            while let Some(row) = rows.next().map_err(StoreError::from)? {
                f(row)?;
            }
            Ok(())
        };
        // References are correlated uid lookups, so the export streams without uid maps.
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.accounts), "accounts");
                (
                    format!("SELECT {} FROM accounts {w} ORDER BY id", accounts::COLUMNS),
                    ids,
                )
            },
            &mut |r| {
                let (a, s) = accounts::read_row(r)?;
                f(ExportRecord::Account(a, s))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.people), "people");
                (
                    format!(
                        "SELECT {}, (SELECT uid FROM accounts WHERE id = people.account_id)
                 FROM people {w} ORDER BY id",
                        people::COLUMNS
                    ),
                    ids,
                )
            },
            &mut |r| {
                let (p, s) = people::read_row(r)?;
                let refs = Refs {
                    account: r.get(people::COLUMN_COUNT).map_err(StoreError::from)?,
                    ..Refs::default()
                };
                f(ExportRecord::Person(p, s, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.links), "l");
                (
                    format!(
                        "SELECT l.id, l.uid, l.from_person, l.to_person, l.kind, l.note, l.extra,
                pf.uid, pt.uid
             FROM links l JOIN people pf ON pf.id = l.from_person
               JOIN people pt ON pt.id = l.to_person {w} ORDER BY l.id"
                    ),
                    ids,
                )
            },
            &mut |r| {
                let link = people::link_row(r)?;
                let refs = Refs {
                    from: Some(r.get(7).map_err(StoreError::from)?),
                    to: Some(r.get(8).map_err(StoreError::from)?),
                    ..Refs::default()
                };
                f(ExportRecord::Link(link, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.deals), "deals");
                (
                    format!(
                        "SELECT {}, (SELECT uid FROM accounts WHERE id = deals.account_id), archived_at
                 FROM deals {w} ORDER BY id",
                        deals::DEAL_COLUMNS
                    ),
                    ids,
                )
            },
            &mut |r| {
                let (mut d, s) = deals::deal_from_row(r)?;
                d.milestones = self.milestones(d.id)?;
                shelf::put_archived_in_extra(&mut d.extra, r.get(17).map_err(StoreError::from)?);
                let refs = Refs {
                    account: r.get(16).map_err(StoreError::from)?,
                    ..Refs::default()
                };
                f(ExportRecord::Deal(d, s, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.obligations), "obligations");
                (
                    format!(
                        "SELECT {}, (SELECT uid FROM deals WHERE id = obligations.deal_id)
                 FROM obligations {w} ORDER BY id",
                        deals::OBLIGATION_COLUMNS
                    ),
                    ids,
                )
            },
            &mut |r| {
                let o = deals::obligation_from_row(r)?;
                let refs = Refs {
                    deal: r.get(12).map_err(StoreError::from)?,
                    ..Refs::default()
                };
                f(ExportRecord::Obligation(o, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.plans), "plans");
                (
                    format!(
                "SELECT {}, coalesce((SELECT uid FROM accounts WHERE id = plans.account_id),
                    (SELECT uid FROM people WHERE id = plans.person_id)), archived_at
                 FROM plans {w} ORDER BY id",
                plans::PLAN_SELECT
            ),
                    ids,
                )
            },
            &mut |r| {
                let mut p = plans::plan_row(r)?;
                self.put_spends_in_extra(&mut p)?;
                shelf::put_archived_in_extra(&mut p.extra, r.get(13).map_err(StoreError::from)?);
                let refs = Refs {
                    subject: r.get(12).map_err(StoreError::from)?,
                    ..Refs::default()
                };
                f(ExportRecord::Plan(p, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.stage_changes), "stage_changes");
                (
                    format!(
                "SELECT {}, coalesce((SELECT uid FROM accounts WHERE id = stage_changes.account_id),
                    (SELECT uid FROM people WHERE id = stage_changes.person_id),
                    (SELECT uid FROM deals WHERE id = stage_changes.deal_id))
                 FROM stage_changes {w} ORDER BY id",
                stages::STAGE_COLUMNS
            ),
                    ids,
                )
            },
            &mut |r| {
                let c = stages::stage_change_row(r)?;
                let refs = Refs {
                    subject: r.get(10).map_err(StoreError::from)?,
                    ..Refs::default()
                };
                f(ExportRecord::StageChange(c, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.interactions), "i");
                (
                    format!(
                        "SELECT {}, (SELECT uid FROM accounts WHERE id = i.account_id),
                    (SELECT json_group_array(p.uid ORDER BY ip.position)
                     FROM interaction_people ip JOIN people p ON p.id = ip.person_id
                     WHERE ip.interaction_id = i.id AND ip.part = 'participant'),
                    (SELECT json_group_array(p.uid ORDER BY ip.position)
                     FROM interaction_people ip JOIN people p ON p.id = ip.person_id
                     WHERE ip.interaction_id = i.id AND ip.part = 'mentioned')
                 FROM interactions i {w} ORDER BY i.id",
                        interactions::COLUMNS
                    ),
                    ids,
                )
            },
            &mut |r| {
                let (mut i, s) = interactions::read_row(r)?;
                if scope.is_none() {
                    self.put_products_in_extra(&mut i)?;
                }
                let people: String = r.get(19).map_err(StoreError::from)?;
                let mentioned: String = r.get(20).map_err(StoreError::from)?;
                let refs = Refs {
                    account: r.get(18).map_err(StoreError::from)?,
                    people: parse_list(&people)?,
                    mentioned: parse_list(&mentioned)?,
                    ..Refs::default()
                };
                i.people.clear();
                i.mentioned.clear();
                f(ExportRecord::Interaction(i, s, refs))
            },
        )?;
        each(
            {
                let (w, ids) = within(scope.map(|s| &s.followups), "f");
                (
                    format!(
                        "SELECT {}, (SELECT uid FROM accounts WHERE id = f.account_id),
                    (SELECT uid FROM people WHERE id = f.person_id),
                    (SELECT uid FROM deals WHERE id = f.deal_id),
                    (SELECT uid FROM interactions WHERE id = f.interaction_id),
                    (SELECT uid FROM plans WHERE id = f.plan_id)
                 FROM followups f {w} ORDER BY f.id",
                        followups::COLUMNS
                    ),
                    ids,
                )
            },
            &mut |r| {
                let (mut fu, s) = followups::read_row(r)?;
                let g = |i| r.get::<_, Option<String>>(i).map_err(StoreError::from);
                if let Some(plan) = g(22)? {
                    fu.extra
                        .insert(plans::X_PLAN.into(), serde_json::Value::String(plan));
                }
                let refs = Refs {
                    account: g(18)?,
                    person: g(19)?,
                    deal: g(20)?,
                    interaction: g(21)?,
                    ..Refs::default()
                };
                f(ExportRecord::FollowUp(fu, s, refs))
            },
        )?;
        self.export_catalogue(scope, &mut f)?;
        Ok(())
    }
}

/// An interaction's products discussed, as the uids of its `x-products` (issue 14.4).
pub const X_PRODUCTS: &str = "x-products";

impl Reader<'_> {
    fn put_products_in_extra(&self, i: &mut Interaction) -> Result<(), StoreError> {
        let uids: Vec<serde_json::Value> = self
            .products_discussed(i.id)?
            .into_iter()
            .map(|p| serde_json::Value::String(p.uid))
            .collect();
        if !uids.is_empty() {
            i.extra
                .insert(X_PRODUCTS.into(), serde_json::Value::Array(uids));
        }
        Ok(())
    }

    /// The catalogue and the deal people (issue 14.3-4), after every other record: products
    /// (ours before the competitors' that name them), statuses, objections, deal people; those
    /// of `scope` only when given (no account's product status then); then,
    /// in a whole export, the monthly sales (issue 14.6).
    fn export_catalogue<E: From<StoreError>>(
        &self,
        scope: Option<&ExportScope>,
        f: &mut impl FnMut(ExportRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let within =
            |ids: fn(&ExportScope) -> &Vec<Id>, id: Id| scope.is_none_or(|s| ids(s).contains(&id));
        let mut products = self.products()?;
        products.retain(|p| within(|s| &s.products, p.id));
        products.sort_by_key(|p| (p.competitor_of.is_some(), p.id));
        for p in products {
            let refs = Refs {
                product: match p.competitor_of {
                    Some(id) => self.uid_of(super::UidTable::Products, id)?,
                    None => None,
                },
                ..Refs::default()
            };
            f(ExportRecord::Product(p, refs))?;
        }
        let statuses = if scope.is_some() {
            Vec::new()
        } else {
            self.all_product_statuses()?
        };
        for s in statuses {
            let refs = Refs {
                account: self.uid_of(super::UidTable::Accounts, s.account)?,
                product: self.uid_of(super::UidTable::Products, s.product)?,
                ..Refs::default()
            };
            f(ExportRecord::ProductStatus(s, refs))?;
        }
        for o in self.all_objections()? {
            if !within(|s| &s.objections, o.id) {
                continue;
            }
            let refs = Refs {
                person: self.uid_of(super::UidTable::People, o.person)?,
                product: self.uid_of(super::UidTable::Products, o.product)?,
                ..Refs::default()
            };
            f(ExportRecord::Objection(o, refs))?;
        }
        for d in self.all_deal_people()? {
            if !within(|s| &s.deal_people, d.id) {
                continue;
            }
            let refs = Refs {
                deal: self.uid_of(super::UidTable::Deals, d.deal)?,
                person: self.uid_of(super::UidTable::People, d.person)?,
                ..Refs::default()
            };
            f(ExportRecord::DealPerson(d, refs))?;
        }
        // Sales are an account's business, not a person's: a subject access leaves them out.
        let sales = if scope.is_none() {
            self.all_month_sales()?
        } else {
            Vec::new()
        };
        for s in sales {
            let refs = Refs {
                account: self.uid_of(super::UidTable::Accounts, s.sales.account)?,
                ..Refs::default()
            };
            f(ExportRecord::Sales(s, refs))?;
        }
        Ok(())
    }
}
