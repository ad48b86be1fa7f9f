//! Merging two duplicate people or accounts into the one kept: everything that refers to the
//! other (meetings and notes, follow-ups, links, plans, deals, people, stage history, a person's
//! roles in deals, objections and transfers of value) moves to the kept one; the preview names
//! each deal role and objection that moves; an empty field of the kept record takes the other's value; where both hold a
//! different value the kept one stays and the difference is listed, except long texts
//! (personal notes, about, needs...), which are joined so no text is lost. Then the other is
//! deleted. All of it is one journal entry: `kam undo` separates them again.

use std::fmt::Display;

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Account, Extra, Id, Person, RecordKind, RecordRef};
use crate::store::{MergeKind, References};

/// Merge `other` into `keep`; with `dry_run`, only say what would happen.
#[derive(Debug, Clone)]
pub struct Merge {
    pub kind: MergeKind,
    pub keep: Id,
    pub other: Id,
    pub dry_run: bool,
}

/// Field by field, what merging did.
#[derive(Default)]
struct MergedFields {
    differences: Vec<String>,
    filled: Vec<String>,
}

impl MergedFields {
    fn fill<T: Clone + PartialEq + Display>(
        &mut self,
        name: &str,
        keep: &mut Option<T>,
        other: Option<&T>,
    ) {
        match (keep.as_ref(), other) {
            (None, Some(o)) => {
                *keep = Some(o.clone());
                self.filled.push(format!("{name}: {o}"));
            }
            (Some(k), Some(o)) if k != o => self
                .differences
                .push(format!("{name}: kept \"{k}\", the other had \"{o}\"")),
            _ => {}
        }
    }

    /// A long text: joined when both differ, so neither is lost.
    fn join(&mut self, name: &str, keep: &mut Option<String>, other: Option<&String>) {
        match (keep.as_deref(), other.map(String::as_str)) {
            (Some(k), Some(o)) if k.trim() != o.trim() && !k.contains(o.trim()) => {
                *keep = Some(format!("{}\n{}", k.trim_end(), o.trim()));
                self.differences.push(format!(
                    "{name}: both had text; the other's was added below"
                ));
            }
            _ => self.fill(name, keep, other),
        }
    }

    fn union(&mut self, name: &str, keep: &mut Vec<String>, other: &[String]) {
        let before = keep.len();
        for v in other {
            if !keep.contains(v) {
                keep.push(v.clone());
            }
        }
        if keep.len() > before {
            self.filled
                .push(format!("{name}: {}", keep[before..].join(", ")));
        }
    }

    fn extra(&mut self, keep: &mut Extra, other: &Extra) {
        for (k, v) in other {
            match keep.get(k) {
                None => {
                    keep.insert(k.clone(), v.clone());
                    self.filled.push(format!("{k}: {v}"));
                }
                Some(mine) if mine != v => self
                    .differences
                    .push(format!("{k}: kept {mine}, the other had {v}")),
                _ => {}
            }
        }
    }
}

fn merge_people(keep: &mut Person, other: &Person) -> MergedFields {
    let mut f = MergedFields::default();
    if keep.name != other.name {
        f.differences.push(format!(
            "name: kept \"{}\", the other was \"{}\"",
            keep.name, other.name
        ));
    }
    f.fill("account", &mut keep.account, other.account.as_ref());
    // One salutation and one family name: the kept person's, else the other's.
    f.fill(
        "salutation",
        &mut keep.salutation,
        other.salutation.as_ref(),
    );
    f.fill(
        "family name",
        &mut keep.family_name,
        other.family_name.as_ref(),
    );
    f.fill("title", &mut keep.title, other.title.as_ref());
    f.fill("role", &mut keep.role, other.role.as_ref());
    f.fill("influence", &mut keep.influence, other.influence.as_ref());
    f.fill("attitude", &mut keep.attitude, other.attitude.as_ref());
    f.fill("stage", &mut keep.stage, other.stage.as_ref());
    f.fill("phone", &mut keep.phone, other.phone.as_ref());
    f.fill("email", &mut keep.email, other.email.as_ref());
    f.fill("birthday", &mut keep.birthday, other.birthday.as_ref());
    f.join("personal", &mut keep.personal, other.personal.as_ref());
    f.union("languages", &mut keep.languages, &other.languages);
    f.union("tags", &mut keep.tags, &other.tags);
    f.extra(&mut keep.extra, &other.extra);
    f
}

fn merge_accounts(keep: &mut Account, other: &Account) -> MergedFields {
    let mut f = MergedFields::default();
    if keep.name != other.name {
        f.differences.push(format!(
            "name: kept \"{}\", the other was \"{}\"",
            keep.name, other.name
        ));
    }
    f.fill("kind", &mut keep.kind, other.kind.as_ref());
    f.fill("tier", &mut keep.tier, other.tier.as_ref());
    f.fill("stage", &mut keep.stage, other.stage.as_ref());
    f.fill("territory", &mut keep.territory, other.territory.as_ref());
    f.fill("city", &mut keep.city, other.city.as_ref());
    f.fill("country", &mut keep.country, other.country.as_ref());
    f.fill("address", &mut keep.address, other.address.as_ref());
    f.fill("website", &mut keep.website, other.website.as_ref());
    f.fill("phone", &mut keep.phone, other.phone.as_ref());
    f.fill("revenue", &mut keep.revenue, other.revenue.as_ref());
    f.fill("sales", &mut keep.our_sales, other.our_sales.as_ref());
    f.fill("currency", &mut keep.currency, other.currency.as_ref());
    f.fill(
        "travel",
        &mut keep.travel_minutes,
        other.travel_minutes.as_ref(),
    );
    f.join("about", &mut keep.about, other.about.as_ref());
    f.join("needs", &mut keep.needs, other.needs.as_ref());
    f.join("plans", &mut keep.plans, other.plans.as_ref());
    f.join(
        "competitors",
        &mut keep.competitors,
        other.competitors.as_ref(),
    );
    f.union("tags", &mut keep.tags, &other.tags);
    f.extra(&mut keep.extra, &other.extra);
    f
}

fn moved(refs: &References, kind: MergeKind) -> String {
    let mut parts = Vec::new();
    let mut add = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(crate::text::count(n, one, many));
        }
    };
    add(refs.count("interactions"), "interaction", "interactions");
    add(refs.count("followups"), "follow-up", "follow-ups");
    if kind == MergeKind::Person {
        add(refs.count("links"), "link", "links");
    } else {
        add(refs.count("people"), "person", "people");
        add(refs.count("deals"), "deal", "deals");
    }
    add(refs.count("plans"), "plan", "plans");
    add(refs.count("stage_changes"), "stage change", "stage changes");
    if kind == MergeKind::Person {
        add(refs.count("deal_people"), "deal role", "deal roles");
        add(refs.count("objections"), "objection", "objections");
        add(
            refs.benefited.len(),
            "transfer of value",
            "transfers of value",
        );
    }
    if parts.is_empty() {
        "nothing refers to it".into()
    } else {
        parts.join(", ")
    }
}

/// One line for each role in a deal and each objection of `person` (the duplicate), as they
/// move to the person kept.
fn moving_parts(tx: &Tx<'_, '_>, person: Id) -> Result<Vec<String>, OpsError> {
    let mut out = Vec::new();
    for r in tx.w().deal_roles_held(person)? {
        out.push(format!(
            "  deal role: {} {} — {}",
            RecordRef::of(RecordKind::Deal, r.deal),
            r.title,
            r.role
        ));
    }
    for o in tx.w().objections_of(person, u32::MAX)? {
        out.push(format!(
            "  objection: {} ({}): {}",
            o.product_name, o.objection.day, o.objection.text
        ));
    }
    Ok(out)
}

impl Command for Merge {
    fn name(&self) -> &'static str {
        match self.kind {
            MergeKind::Person => "person merge",
            MergeKind::Account => "account merge",
        }
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let (record, table) = match self.kind {
            MergeKind::Person => (RecordKind::Person, "people"),
            MergeKind::Account => (RecordKind::Account, "accounts"),
        };
        let (keep_ref, other_ref) = (
            RecordRef::of(record, self.keep),
            RecordRef::of(record, self.other),
        );
        if self.keep == self.other {
            return Err(OpsError::invalid(format!(
                "{keep_ref} cannot be merged into itself; give the duplicate second, e.g. merge {keep_ref} #{}{}",
                record.letter(),
                self.keep + 1
            )));
        }
        let missing = |r: RecordRef| OpsError::NotFound(format!("no {} {r}", record.noun()));
        // The merged record, the other's name, and the field report.
        let (names, fields, write): ((String, String), MergedFields, MergedRecord) = match self.kind
        {
            MergeKind::Person => {
                let (mut keep, _) = tx.w().person(self.keep)?.ok_or_else(|| missing(keep_ref))?;
                let (other, _) = tx
                    .w()
                    .person(self.other)?
                    .ok_or_else(|| missing(other_ref))?;
                let fields = merge_people(&mut keep, &other);
                (
                    (keep.name.clone(), other.name),
                    fields,
                    MergedRecord::Person(keep),
                )
            }
            MergeKind::Account => {
                let (mut keep, _) = tx
                    .w()
                    .account(self.keep)?
                    .ok_or_else(|| missing(keep_ref))?;
                let (other, _) = tx
                    .w()
                    .account(self.other)?
                    .ok_or_else(|| missing(other_ref))?;
                let fields = merge_accounts(&mut keep, &other);
                (
                    (keep.name.clone(), other.name),
                    fields,
                    MergedRecord::Account(keep),
                )
            }
        };
        let refs = tx.w().references(self.kind, self.other)?;
        let verb = if self.dry_run {
            "Would merge"
        } else {
            "Merged"
        };
        let mut outcome = Outcome::new(format!(
            "{verb} {other_ref} {} into {keep_ref} {}",
            names.1, names.0
        ))
        .with_record(keep_ref);
        outcome
            .details
            .push(format!("  moves: {}", moved(&refs, self.kind)));
        if self.kind == MergeKind::Person {
            outcome.details.extend(moving_parts(tx, self.other)?);
        }
        for f in &fields.filled {
            outcome.details.push(format!("  takes {f}"));
        }
        for d in &fields.differences {
            outcome.details.push(format!("  differs {d}"));
        }
        if self.dry_run {
            outcome
                .details
                .push("  (dry run: nothing was written)".into());
            return Ok(outcome);
        }
        self.write(tx, table, &refs, write)?;
        Ok(outcome)
    }
}

impl Merge {
    /// Moves the references, merges the fields and deletes the other record.
    fn write(
        &self,
        tx: &mut Tx<'_, '_>,
        table: &str,
        refs: &References,
        merged: MergedRecord,
    ) -> Result<(), OpsError> {
        // Named in the order undo restores backwards: the other record last, so it is back
        // before anything is pointed at it again.
        for i in &refs.attended {
            tx.touch_set("interaction_people", *i)?;
        }
        for s in &refs.benefited {
            tx.touch_set("plan_spend_people", *s)?;
        }
        for (t, id) in &refs.rows {
            tx.touch(t, *id)?;
        }
        let keep_links = if self.kind == MergeKind::Person {
            let (links, _) = tx.w().links_of(self.keep, u32::MAX)?;
            for (l, _) in &links {
                tx.touch("links", l.id)?;
            }
            true
        } else {
            false
        };
        tx.touch(table, self.keep)?;
        tx.touch(table, self.other)?;

        tx.w().move_references(self.kind, self.other, self.keep)?;
        tx.w()
            .merge_last_contact(self.kind, self.keep, self.other)?;
        if keep_links {
            // Links between the two become self-links; two alike become one.
            let (links, _) = tx.w().links_of(self.keep, u32::MAX)?;
            let mut seen = Vec::new();
            let mut sorted: Vec<_> = links.into_iter().map(|(l, _)| l).collect();
            sorted.sort_by_key(|l| l.id);
            for l in sorted {
                let key = (l.from, l.to, l.kind);
                if l.from == l.to || seen.contains(&key) {
                    tx.w().delete_link(l.id)?;
                } else {
                    seen.push(key);
                }
            }
        }
        match merged {
            MergedRecord::Person(p) => {
                let version = tx.w().person(p.id)?.map_or(0, |(_, s)| s.version);
                tx.w().update_person(&p, version)?;
            }
            MergedRecord::Account(a) => {
                let version = tx.w().account(a.id)?.map_or(0, |(_, s)| s.version);
                tx.w().update_account(&a, version)?;
            }
        }
        tx.w().delete_merged(self.kind, self.other)?;
        Ok(())
    }
}

enum MergedRecord {
    Person(Person),
    Account(Account),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        DealPerson, DealRole, InteractionStatus, Objection, Plan, PlanSubject, Product, Spend,
        SpendCategory,
    };
    use crate::store::Store;
    use crate::store::testing::{self, account, add_account, add_person, day, person};

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Ana (#1, kept) and her duplicate (#2): a meeting the duplicate attended where Ana was
    /// only mentioned, the same committee seat on a deal plus a role of the duplicate's own,
    /// an objection and a transfer of value of the duplicate's.
    fn duplicates() -> (Store, Id, Id, Id) {
        let mut store = testing::store();
        let a = add_account(&mut store, &account("a", "Hospital Clínic"));
        let keep = add_person(&mut store, &person("p1", "Ana López", Some(a)));
        let other = add_person(&mut store, &person("p2", "Dra. Ana Lopez", Some(a)));
        let deal = testing::add_deal(&mut store, &testing::deal("d", a, "Tender 2027", None));
        store
            .write(testing::now(), |w| {
                let mut i =
                    testing::interaction("i", "2026-02-20T10:00:00+01:00", InteractionStatus::Done);
                i.account = Some(a);
                i.people = vec![other];
                i.mentioned = vec![keep];
                w.upsert_interaction(&i, None, None)?;
                for (uid, who, role) in [
                    ("r1", keep, DealRole::EvaluationCommittee),
                    ("r2", other, DealRole::EvaluationCommittee),
                    ("r3", other, DealRole::DecisionMaker),
                ] {
                    w.upsert_deal_person(&DealPerson {
                        id: 0,
                        uid: uid.into(),
                        deal,
                        person: who,
                        role,
                    })?;
                }
                let product = w.upsert_product(&Product {
                    id: 0,
                    uid: "pr".into(),
                    name: "Oncomab".into(),
                    competitor_of: None,
                    notes: None,
                })?;
                w.upsert_objection(&Objection {
                    id: 0,
                    uid: "o".into(),
                    person: other,
                    product,
                    day: day("2026-02-20"),
                    text: "Too dear for the day hospital".into(),
                })?;
                let plan = w.upsert_plan(&Plan {
                    id: 0,
                    uid: "pl".into(),
                    objective: "Advisory board".into(),
                    subject: PlanSubject::Account(a),
                    target: None,
                    budget: None,
                    spent: None,
                    currency: Some("EUR".into()),
                    status: None,
                    notes: None,
                    extra: Extra::new(),
                })?;
                w.add_spend(&Spend {
                    id: 0,
                    plan,
                    day: day("2026-02-20"),
                    category: SpendCategory::Hospitality,
                    amount: 50.0,
                    note: None,
                    transfer: Some(crate::domain::Transfer::Meal),
                    benefited: vec![other],
                })?;
                Ok(())
            })
            .unwrap();
        (store, keep, other, deal)
    }

    #[test]
    fn the_preview_names_the_deal_roles_and_objections_that_move() {
        let (mut store, keep, other, _) = duplicates();
        let before = export(&store);
        let preview = crate::ops::run(
            &mut store,
            testing::now(),
            &Merge {
                kind: MergeKind::Person,
                keep,
                other,
                dry_run: true,
            },
        )
        .unwrap();
        let text = preview.details.join("\n");
        assert!(
            text.contains("moves: 1 interaction, 2 deal roles, 1 objection, 1 transfer of value"),
            "{text}"
        );
        assert!(
            text.contains("deal role: #d1 Tender 2027 — evaluation-committee"),
            "{text}"
        );
        assert!(
            text.contains("deal role: #d1 Tender 2027 — decision-maker"),
            "{text}"
        );
        assert!(
            text.contains("objection: Oncomab (2026-02-20): Too dear for the day hospital"),
            "{text}"
        );
        assert_eq!(export(&store), before, "a preview writes nothing");
    }

    #[test]
    fn a_merge_moves_roles_objections_transfers_and_taking_part_and_undo_parts_them() {
        let (mut store, keep, other, deal) = duplicates();
        let before = export(&store);
        let merge = Merge {
            kind: MergeKind::Person,
            keep,
            other,
            dry_run: false,
        };
        crate::ops::run(&mut store, testing::now(), &merge).unwrap();
        {
            let r = store.reader();
            let mut roles: Vec<DealRole> = r
                .deal_roles_of(deal, keep)
                .unwrap()
                .into_iter()
                .map(|d| d.role)
                .collect();
            roles.sort_by_key(|role| crate::domain::Vocabulary::as_str(*role));
            assert_eq!(
                roles,
                [DealRole::DecisionMaker, DealRole::EvaluationCommittee],
                "one seat on the committee, not two"
            );
            assert_eq!(r.objections_of(keep, 10).unwrap().len(), 1);
            let (i, _) = r.interaction(1).unwrap().unwrap();
            assert_eq!(i.people, [keep], "she took part: taking part wins");
            assert!(i.mentioned.is_empty(), "{:?}", i.mentioned);
            let spends = r.plan_spends(1).unwrap();
            assert_eq!(spends[0].benefited, [keep]);
        }
        crate::ops::undo(&mut store, testing::now()).unwrap();
        assert_eq!(export(&store), before);
    }
}
