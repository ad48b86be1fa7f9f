//! Subject access (issue 15, GDPR art. 15): everything the notebook holds about one person, as
//! the records of an export ([`ExportScope`]) and the journal entries that changed them.
//!
//! About a person: their record, their links, the interactions they took part in (and those
//! their follow-ups came from), their follow-ups, plans (with the spends, the transfers of value)
//! and stage history, and the deals they take part in (tied to one of their follow-ups, or
//! naming them in their title or notes) with those deals' obligations. The other people and
//! the accounts those records refer to come along as bare references — uid and name, nothing
//! else — so the file imports on its own and tells nothing more about anyone else.

use std::collections::BTreeSet;

use crate::domain::{Account, Id, Person};

use super::export::{ExportRecord, ExportScope, Refs};
use super::{JournalEntry, Reader, StoreError, X_PLAN};

/// What the notebook holds about one person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    pub person: Id,
    pub uid: String,
    pub scope: ExportScope,
    /// The uids of the plans in scope (a follow-up's `x-plan` outside it is left out).
    plan_uids: BTreeSet<String>,
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
        let plans = self.about_ids("SELECT id FROM plans WHERE person_id = ?1", &[&person])?;
        let stage_changes = self.about_ids(
            "SELECT id FROM stage_changes WHERE person_id = ?1",
            &[&person],
        )?;
        let deals = self.about_ids(
            "SELECT deal_id FROM followups
               WHERE id IN (SELECT value FROM json_each(?1)) AND deal_id IS NOT NULL
             UNION SELECT id FROM deals
               WHERE instr(lower(title || ' ' || coalesce(notes, '')), lower(?2)) > 0",
            &[&followup_ids, &record.name],
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
             UNION SELECT to_person FROM links WHERE id IN (SELECT value FROM json_each(?3))",
            &[&person, &interaction_ids, &link_ids],
        )?;
        let accounts = self.about_ids(
            "SELECT account_id FROM people WHERE id = ?1 AND account_id IS NOT NULL
             UNION SELECT account_id FROM interactions
               WHERE id IN (SELECT value FROM json_each(?2)) AND account_id IS NOT NULL
             UNION SELECT account_id FROM deals WHERE id IN (SELECT value FROM json_each(?3))
             UNION SELECT account_id FROM followups
               WHERE id IN (SELECT value FROM json_each(?4)) AND account_id IS NOT NULL",
            &[&person, &interaction_ids, &deal_ids, &followup_ids],
        )?;
        let plan_uids = {
            let mut stmt = self
                .conn
                .prepare("SELECT uid FROM plans WHERE id IN (SELECT value FROM json_each(?1))")?;
            stmt.query_map([list(&plans)], |r| r.get::<_, String>(0))?
                .collect::<Result<BTreeSet<_>, _>>()?
        };
        let entries = self.about_ids(
            "SELECT entry_id FROM journal_changes WHERE shape = 'row' AND (
                (tbl = 'people' AND row_id = ?1)
             OR (tbl = 'interactions' AND row_id IN (SELECT value FROM json_each(?2)))
             OR (tbl = 'followups' AND row_id IN (SELECT value FROM json_each(?3)))
             OR (tbl = 'links' AND row_id IN (SELECT value FROM json_each(?4)))
             OR (tbl = 'plans' AND row_id IN (SELECT value FROM json_each(?5)))
             OR (tbl = 'stage_changes' AND row_id IN (SELECT value FROM json_each(?6))))",
            &[
                &person,
                &interaction_ids,
                &followup_ids,
                &link_ids,
                &list(&plans),
                &list(&stage_changes),
            ],
        )?;
        let mut history = Vec::with_capacity(entries.len());
        for id in entries {
            history.extend(self.journal_entry(id)?);
        }
        Ok(Some(About {
            person,
            uid: record.uid,
            scope: ExportScope {
                accounts,
                people,
                links,
                deals,
                obligations,
                plans,
                stage_changes,
                interactions,
                followups,
            },
            plan_uids,
            history,
        }))
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
