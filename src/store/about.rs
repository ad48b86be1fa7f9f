//! Subject access (issue 15, GDPR art. 15): everything the notebook holds about one person, as
//! the records of an export ([`ExportScope`]) and the journal entries that changed them.
//!
//! About a person: their record, their links, the interactions they took part in (and those
//! their follow-ups came from), their follow-ups, plans (with the spends, the transfers of value)
//! and stage history, the objections they raised (with the products named), their roles in
//! deals, the transfers of value they received from plans not their own (each such plan with
//! only the spends that benefited them), and the deals they take part in (holding a role,
//! tied to one of their follow-ups, or naming them in their title or notes) with those deals'
//! obligations. A test holds the tables it reads to the tables of the schema that refer to a
//! person, so a table added later cannot be left out unseen. The other people and
//! the accounts those records refer to come along as bare references — uid and name, nothing
//! else — so the file imports on its own and tells nothing more about anyone else.

use std::collections::BTreeSet;

use crate::domain::{Account, Extra, Id, Person, Plan};

use super::export::{ExportRecord, ExportScope, Refs};
use super::{JournalEntry, Reader, StoreError, X_PLAN, X_SPEND};

/// What the notebook holds about one person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    pub person: Id,
    pub uid: String,
    pub scope: ExportScope,
    /// The uids of the plans in scope (a follow-up's `x-plan` outside it is left out).
    plan_uids: BTreeSet<String>,
    /// The plans in scope only for the transfers of value the person received from them: they
    /// come with those spends alone, and none of the plan's budget, spent or notes.
    transfer_plans: BTreeSet<Id>,
    /// The journal entries that changed any of it, oldest first.
    pub history: Vec<JournalEntry>,
}

fn list(ids: &[Id]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl Reader<'_> {
    fn about_ids(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Id>, StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        let ids = stmt
            .query_map(args, |r| r.get(0))?
            .collect::<Result<BTreeSet<Id>, _>>()?;
        Ok(ids.into_iter().collect())
    }

    /// The spends that benefited `person`, and the plans not in `own` they were spent on.
    fn about_transfers(
        &self,
        person: Id,
        own: &[Id],
    ) -> Result<(Vec<Id>, BTreeSet<Id>), StoreError> {
        let spends = self.about_ids(
            "SELECT spend_id FROM plan_spend_people WHERE person_id = ?1",
            &[&person],
        )?;
        let plans = self
            .about_ids(
                "SELECT plan_id FROM plan_spends WHERE id IN (SELECT value FROM json_each(?1))",
                &[&list(&spends)],
            )?
            .into_iter()
            .filter(|p| !own.contains(p))
            .collect();
        Ok((spends, plans))
    }

    /// The objections `person` raised, the products they name (and those the products compete
    /// with), and the person's roles in deals.
    fn about_catalogue(&self, person: Id) -> Result<[Vec<Id>; 3], StoreError> {
        let objections =
            self.about_ids("SELECT id FROM objections WHERE person_id = ?1", &[&person])?;
        let products = self.about_ids(
            "SELECT product_id FROM objections WHERE person_id = ?1
             UNION SELECT competitor_of FROM products WHERE competitor_of IS NOT NULL
               AND id IN (SELECT product_id FROM objections WHERE person_id = ?1)",
            &[&person],
        )?;
        let deal_people = self.about_ids(
            "SELECT id FROM deal_people WHERE person_id = ?1",
            &[&person],
        )?;
        Ok([objections, products, deal_people])
    }

    /// Everything held about `person` (not found: `None`).
    pub fn about_person(&self, person: Id) -> Result<Option<About>, StoreError> {
        let Some((record, _)) = self.person(person)? else {
            return Ok(None);
        };
        let followups =
            self.about_ids("SELECT id FROM followups WHERE person_id = ?1", &[&person])?;
        let followup_ids = list(&followups);
        let interactions = self.about_ids(
            "SELECT interaction_id FROM interaction_people WHERE person_id = ?1
             UNION SELECT interaction_id FROM followups
               WHERE id IN (SELECT value FROM json_each(?2)) AND interaction_id IS NOT NULL",
            &[&person, &followup_ids],
        )?;
        let interaction_ids = list(&interactions);
        let links = self.about_ids(
            "SELECT id FROM links WHERE from_person = ?1 OR to_person = ?1",
            &[&person],
        )?;
        let own_plans = self.about_ids("SELECT id FROM plans WHERE person_id = ?1", &[&person])?;
        let (spends, transfer_plans) = self.about_transfers(person, &own_plans)?;
        let spend_ids = list(&spends);
        let mut plans = own_plans;
        plans.extend(transfer_plans.iter().copied());
        plans.sort_unstable();
        let [objections, products, deal_people] = self.about_catalogue(person)?;
        let stage_changes = self.about_ids(
            "SELECT id FROM stage_changes WHERE person_id = ?1",
            &[&person],
        )?;
        let deals = self.about_ids(
            "SELECT deal_id FROM followups
               WHERE id IN (SELECT value FROM json_each(?1)) AND deal_id IS NOT NULL
             UNION SELECT id FROM deals
               WHERE instr(lower(title || ' ' || coalesce(notes, '')), lower(?2)) > 0
             UNION SELECT deal_id FROM deal_people WHERE person_id = ?3",
            &[&followup_ids, &record.name, &person],
        )?;
        let deal_ids = list(&deals);
        let obligations = self.about_ids(
            "SELECT id FROM obligations WHERE deal_id IN (SELECT value FROM json_each(?1))",
            &[&deal_ids],
        )?;
        let link_ids = list(&links);
        let people = self.about_ids(
            "SELECT ?1 UNION SELECT person_id FROM interaction_people
               WHERE interaction_id IN (SELECT value FROM json_each(?2))
             UNION SELECT from_person FROM links WHERE id IN (SELECT value FROM json_each(?3))
             UNION SELECT to_person FROM links WHERE id IN (SELECT value FROM json_each(?3))
             UNION SELECT person_id FROM plan_spend_people
               WHERE spend_id IN (SELECT value FROM json_each(?4))",
            &[&person, &interaction_ids, &link_ids, &spend_ids],
        )?;
        let accounts = self.about_ids(
            "SELECT account_id FROM people WHERE id = ?1 AND account_id IS NOT NULL
             UNION SELECT account_id FROM interactions
               WHERE id IN (SELECT value FROM json_each(?2)) AND account_id IS NOT NULL
             UNION SELECT account_id FROM deals WHERE id IN (SELECT value FROM json_each(?3))
             UNION SELECT account_id FROM followups
               WHERE id IN (SELECT value FROM json_each(?4)) AND account_id IS NOT NULL
             UNION SELECT account_id FROM plans
               WHERE id IN (SELECT value FROM json_each(?5)) AND account_id IS NOT NULL",
            &[
                &person,
                &interaction_ids,
                &deal_ids,
                &followup_ids,
                &list(&plans),
            ],
        )?;
        let plan_uids = {
            let mut stmt = self
                .conn
                .prepare("SELECT uid FROM plans WHERE id IN (SELECT value FROM json_each(?1))")?;
            stmt.query_map([list(&plans)], |r| r.get::<_, String>(0))?
                .collect::<Result<BTreeSet<_>, _>>()?
        };
        let scope = ExportScope {
            accounts,
            people,
            links,
            deals,
            obligations,
            plans,
            stage_changes,
            interactions,
            followups,
            products,
            objections,
            deal_people,
        };
        let history = self.about_history(person, &scope, &spends, &transfer_plans)?;
        Ok(Some(About {
            person,
            uid: record.uid,
            scope,
            plan_uids,
            transfer_plans,
            history,
        }))
    }

    /// The journal entries that changed any record of `scope` about `person` (or `spends`,
    /// the transfers of value they received), oldest first; not those of `transfer_plans`,
    /// which are in scope only for those spends.
    fn about_history(
        &self,
        person: Id,
        scope: &ExportScope,
        spends: &[Id],
        transfer_plans: &BTreeSet<Id>,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let own_plans: Vec<Id> = scope
            .plans
            .iter()
            .copied()
            .filter(|p| !transfer_plans.contains(p))
            .collect();
        let entries = self.about_ids(
            "SELECT entry_id FROM journal_changes WHERE shape = 'row' AND (
                (tbl = 'people' AND row_id = ?1)
             OR (tbl = 'interactions' AND row_id IN (SELECT value FROM json_each(?2)))
             OR (tbl = 'followups' AND row_id IN (SELECT value FROM json_each(?3)))
             OR (tbl = 'links' AND row_id IN (SELECT value FROM json_each(?4)))
             OR (tbl = 'plans' AND row_id IN (SELECT value FROM json_each(?5)))
             OR (tbl = 'stage_changes' AND row_id IN (SELECT value FROM json_each(?6)))
             OR (tbl = 'objections' AND row_id IN (SELECT value FROM json_each(?7)))
             OR (tbl = 'deal_people' AND row_id IN (SELECT value FROM json_each(?8)))
             OR (tbl = 'plan_spends' AND row_id IN (SELECT value FROM json_each(?9))))",
            &[
                &person,
                &list(&scope.interactions),
                &list(&scope.followups),
                &list(&scope.links),
                &list(&own_plans),
                &list(&scope.stage_changes),
                &list(&scope.objections),
                &list(&scope.deal_people),
                &list(spends),
            ],
        )?;
        let mut history = Vec::with_capacity(entries.len());
        for id in entries {
            history.extend(self.journal_entry(id)?);
        }
        Ok(history)
    }

    /// Calls `f` on every record about the person, in interchange order: other people and the
    /// accounts as bare references (uid and name).
    pub fn export_about<E: From<StoreError>>(
        &self,
        about: &About,
        mut f: impl FnMut(ExportRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        self.export_scoped(Some(&about.scope), |record| {
            f(match record {
                ExportRecord::Account(a, s) => ExportRecord::Account(
                    Account {
                        id: a.id,
                        uid: a.uid,
                        name: a.name,
                        ..Account::default()
                    },
                    s,
                ),
                ExportRecord::Person(p, s, _) if p.id != about.person => ExportRecord::Person(
                    Person {
                        id: p.id,
                        uid: p.uid,
                        name: p.name,
                        ..Person::default()
                    },
                    s,
                    Refs::default(),
                ),
                ExportRecord::Plan(p, refs) if about.transfer_plans.contains(&p.id) => {
                    ExportRecord::Plan(transfers_only(p, &about.uid), refs)
                }
                ExportRecord::FollowUp(mut fu, s, refs) => {
                    if fu
                        .extra
                        .get(X_PLAN)
                        .and_then(|v| v.as_str())
                        .is_some_and(|uid| !about.plan_uids.contains(uid))
                    {
                        fu.extra.remove(X_PLAN);
                    }
                    ExportRecord::FollowUp(fu, s, refs)
                }
                other => other,
            })
        })
    }
}

/// A plan the person is no subject of, as a subject access shows it: its objective and the
/// spends that benefited `uid` (a transfer of value names everyone it was shared among).
fn transfers_only(plan: Plan, uid: &str) -> Plan {
    let mut extra = Extra::new();
    if let Some(serde_json::Value::Array(spends)) = plan.extra.get(X_SPEND) {
        let theirs: Vec<serde_json::Value> = spends
            .iter()
            .filter(|s| {
                s.get("for")
                    .and_then(serde_json::Value::as_array)
                    .is_some_and(|f| f.iter().any(|p| p.as_str() == Some(uid)))
            })
            .cloned()
            .collect();
        extra.insert(X_SPEND.into(), serde_json::Value::Array(theirs));
    }
    Plan {
        id: plan.id,
        uid: plan.uid,
        objective: plan.objective,
        subject: plan.subject,
        target: None,
        budget: None,
        spent: None,
        currency: plan.currency,
        status: plan.status,
        notes: None,
        extra,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::domain::{
        DealPerson, DealRole, Extra, Id, InteractionStatus, Ladder, Link, LinkKind, Objection,
        Plan, PlanSubject, Product, Spend, SpendCategory, StageChange, Transfer,
    };
    use crate::store::testing::{self, account, add_account, add_person, day, person};
    use crate::store::{ExportRecord, Store, X_SPEND};

    /// Every table with a column that refers to a person, and what [`Reader::about_person`] takes
    /// from it (`people` itself is the record).
    const PERSON_TABLES: &[&str] = &[
        "links",
        "interaction_people",
        "followups",
        "plans",
        "stage_changes",
        "plan_spend_people",
        "deal_people",
        "objections",
    ];

    /// The tables with a foreign key to `people`, as the schema has them now.
    fn referring_tables(store: &Store) -> BTreeSet<String> {
        let r = store.reader();
        let mut stmt = r
            .conn
            .prepare(
                "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND f.\"table\" = 'people'",
            )
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn every_table_that_refers_to_a_person_is_one_a_subject_access_reads() {
        let store = testing::store();
        let schema = referring_tables(&store);
        let known: BTreeSet<String> = PERSON_TABLES.iter().map(|t| (*t).to_string()).collect();
        assert_eq!(
            schema, known,
            "a table refers to people that `about_person` does not read (or one is gone): \
             take it into the subject access, add it to PERSON_TABLES and to \
             `a_subject_access_holds_a_row_of_every_table_about_the_person`"
        );
    }

    /// Ana, with a row of her own in every table of [`PERSON_TABLES`], and Luis, with rows that
    /// are his alone; one spend of the account's plan benefited Ana, another only Luis.
    #[allow(clippy::too_many_lines)] // one row a table
    fn notebook() -> (Store, Id) {
        let mut store = testing::store();
        let a = add_account(&mut store, &account("a", "Hospital Clínic"));
        let ana = add_person(&mut store, &person("p-ana", "Ana López", Some(a)));
        let luis = add_person(&mut store, &person("p-luis", "Luis Pérez", Some(a)));
        let deal = testing::add_deal(&mut store, &testing::deal("d", a, "Tender 2027", None));
        let lone = testing::add_deal(&mut store, &testing::deal("d2", a, "Lot 4", None));
        store
            .write(testing::now(), |w| {
                w.upsert_link(&Link {
                    id: 0,
                    uid: "l".into(),
                    from: ana,
                    to: luis,
                    kind: LinkKind::ReportsTo,
                    note: None,
                    extra: Extra::new(),
                })?;
                let mut i =
                    testing::interaction("i", "2026-02-20T10:00:00+01:00", InteractionStatus::Done);
                i.people = vec![ana];
                w.upsert_interaction(&i, None, None)?;
                let mut f = testing::followup("f", "send the dossier", "2026-03-09");
                f.person = Some(ana);
                w.upsert_followup(&f, None, None)?;
                w.upsert_stage_change(&StageChange {
                    id: 0,
                    uid: "s".into(),
                    ladder: Ladder::Person,
                    subject: ana,
                    from: None,
                    to: "identified".into(),
                    at: testing::now(),
                    note: None,
                    extra: Extra::new(),
                })?;
                let plan = |uid: &str, subject| Plan {
                    id: 0,
                    uid: uid.into(),
                    objective: format!("Plan {uid}"),
                    subject,
                    target: None,
                    budget: Some(9000.0),
                    spent: None,
                    currency: Some("EUR".into()),
                    status: None,
                    notes: Some("the account's own strategy".into()),
                    extra: Extra::new(),
                };
                w.upsert_plan(&plan("own", PlanSubject::Person(ana)))?;
                let board = w.upsert_plan(&plan("board", PlanSubject::Account(a)))?;
                for (amount, who) in [(80.0, ana), (95.0, luis)] {
                    w.add_spend(&Spend {
                        id: 0,
                        plan: board,
                        day: day("2026-02-20"),
                        category: SpendCategory::Hospitality,
                        amount,
                        note: None,
                        transfer: Some(Transfer::Meal),
                        benefited: vec![who],
                    })?;
                }
                for (uid, d, who) in [("r-ana", deal, ana), ("r-luis", lone, luis)] {
                    w.upsert_deal_person(&DealPerson {
                        id: 0,
                        uid: uid.into(),
                        deal: d,
                        person: who,
                        role: DealRole::EvaluationCommittee,
                    })?;
                }
                let product = w.upsert_product(&Product {
                    id: 0,
                    uid: "pr".into(),
                    name: "Oncomab".into(),
                    competitor_of: None,
                    notes: None,
                })?;
                for (uid, who, text) in [("o-ana", ana, "Too dear"), ("o-luis", luis, "Too slow")] {
                    w.upsert_objection(&Objection {
                        id: 0,
                        uid: uid.into(),
                        person: who,
                        product,
                        day: day("2026-02-20"),
                        text: text.into(),
                    })?;
                }
                Ok(())
            })
            .unwrap();
        (store, ana)
    }

    #[test]
    fn a_subject_access_holds_a_row_of_every_table_about_the_person() {
        let (store, ana) = notebook();
        let r = store.reader();
        let about = r.about_person(ana).unwrap().unwrap();
        let mut records = Vec::new();
        r.export_about(&about, |rec| -> Result<(), crate::store::StoreError> {
            records.push(rec);
            Ok(())
        })
        .unwrap();
        let has = |f: &dyn Fn(&ExportRecord) -> bool| records.iter().any(f);
        for table in PERSON_TABLES {
            let held = match *table {
                "links" => has(&|r| matches!(r, ExportRecord::Link(..))),
                "interaction_people" => has(&|r| matches!(r, ExportRecord::Interaction(..))),
                "followups" => has(&|r| matches!(r, ExportRecord::FollowUp(..))),
                "plans" => has(&|r| matches!(r, ExportRecord::Plan(p, _) if p.uid == "own")),
                "stage_changes" => has(&|r| matches!(r, ExportRecord::StageChange(..))),
                "plan_spend_people" => has(&|r| match r {
                    ExportRecord::Plan(p, _) if p.uid == "board" => {
                        let spends = p.extra[X_SPEND].as_array().unwrap();
                        // Hers only, and nothing else of the account's plan.
                        spends.len() == 1
                            && spends[0]["amount"] == 80.0
                            && p.budget.is_none()
                            && p.notes.is_none()
                    }
                    _ => false,
                }),
                "deal_people" => {
                    has(&|r| matches!(r, ExportRecord::DealPerson(d, _) if d.uid == "r-ana"))
                        && has(&|r| matches!(r, ExportRecord::Deal(d, ..) if d.uid == "d"))
                }
                "objections" => {
                    has(&|r| matches!(r, ExportRecord::Objection(o, _) if o.uid == "o-ana"))
                        && has(&|r| matches!(r, ExportRecord::Product(..)))
                }
                other => panic!("{other}: say here what a subject access holds of it"),
            };
            assert!(held, "nothing of {table} about Ana: {records:#?}");
        }
        // Luis's own rows stay out.
        assert!(!has(
            &|r| matches!(r, ExportRecord::DealPerson(d, _) if d.uid == "r-luis")
        ));
        assert!(!has(
            &|r| matches!(r, ExportRecord::Objection(o, _) if o.uid == "o-luis")
        ));
        assert!(!has(
            &|r| matches!(r, ExportRecord::Deal(d, ..) if d.uid == "d2")
        ));
    }

    #[test]
    fn the_scope_takes_her_roles_objections_products_and_the_plans_that_paid_her() {
        let (store, ana) = notebook();
        let about = store.reader().about_person(ana).unwrap().unwrap();
        // Written outside the journal here: the scope is what counts.
        assert_eq!(about.scope.objections.len(), 1);
        assert_eq!(about.scope.deal_people.len(), 1);
        assert_eq!(about.scope.products.len(), 1);
        assert_eq!(
            about.scope.plans.len(),
            2,
            "her own plan and the one that paid her meal"
        );
    }
}
