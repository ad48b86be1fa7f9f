//! One record line → one domain record, written: the keys of each record type checked and
//! converted (FORMAT.md's table), references resolved or left for the end of the file.

use crate::domain::{
    Account, AnyStage, Deal, Due, FollowUp, FollowUpStatus, Id, Interaction, InteractionStatus,
    Ladder, Link, Obligation, Person, Plan, PlanSubject, SpendCategory, StageChange, Vocabulary,
};
use crate::domain::{DealPerson, Extra, Objection, Product, ProductStatusChange, Spend, Transfer};
use crate::domain::{MonthSales, month_text, parse_month};
use crate::store::{RefColumn, Shelved, X_PLAN, X_PRODUCTS, X_SPEND};
use serde_json::Value;

use super::fields::{Fields, echo, parse_date, parse_timestamp};
use super::read::{Importer, Later, Patch};
use super::{ImportError, Kind};

impl Importer<'_, '_> {
    pub(super) fn account(&mut self, f: &mut Fields) -> Result<Id, ImportError> {
        let account = Account {
            id: 0,
            uid: f.uid.clone(),
            name: f.required_text("name")?,
            kind: f.text("kind")?,
            tier: f.vocab("tier")?,
            stage: f.vocab("stage")?,
            territory: f.text("territory")?,
            city: f.text("city")?,
            country: f.text("country")?,
            address: f.text("address")?,
            website: f.text("website")?,
            phone: f.text("phone")?,
            revenue: f.number("revenue")?,
            our_sales: f.number("our_sales")?,
            currency: f.currency("currency")?,
            about: f.text("about")?,
            needs: f.text("needs")?,
            plans: f.text("plans")?,
            competitors: f.text("competitors")?,
            tags: f.texts("tags")?,
            archived_at: f.timestamp("archived_at")?,
            travel_minutes: f.minutes("travel_minutes")?,
            extra: f.extra(),
        };
        let created = f.timestamp("created_at")?;
        let updated = f.timestamp("updated_at")?;
        Ok(self.w.upsert_account(&account, created, updated)?)
    }

    pub(super) fn person(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let name = f.required_text("name")?;
        let account =
            self.optional_reference(f, later, RefColumn::PersonAccount, "account", Kind::Account)?;
        let mut person = Person {
            id: 0,
            uid: f.uid.clone(),
            name,
            salutation: f.text("salutation")?,
            family_name: f.text("family_name")?,
            account,
            title: f.text("title")?,
            role: f.vocab("role")?,
            influence: f.small_int("influence", 1, 5, " (1 little, 5 decides)")?,
            attitude: f.vocab("attitude")?,
            stage: f.vocab("stage")?,
            phone: f.text("phone")?,
            email: f.text("email")?,
            birthday: f.birthday("birthday")?,
            personal: f.text("personal")?,
            languages: f.texts("languages")?,
            tags: f.texts("tags")?,
            archived_at: f.timestamp("archived_at")?,
            extra: f.extra(),
        };
        // A file from before salutations (issue 14.7) has them in the name: moved out, as the
        // v21 migration moved them out of the notebook's names.
        person.settle_salutation();
        let created = f.timestamp("created_at")?;
        let updated = f.timestamp("updated_at")?;
        Ok(self.w.upsert_person(&person, created, updated)?)
    }

    pub(super) fn link(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let from_uid = f.required_text("from")?;
        let to_uid = f.required_text("to")?;
        // By uid: two references to a person further down the file get two placeholder ids,
        // which the store's check of the ends cannot see are the same person.
        if from_uid == to_uid {
            if let Err(e) = crate::domain::check_link_ends(0, 0) {
                return Err(f.error(&e.field, e.problem));
            }
        }
        let from = self.reference(
            later,
            Patch::Column(RefColumn::LinkFrom),
            "from",
            Kind::Person,
            from_uid,
        )?;
        let to = self.reference(
            later,
            Patch::Column(RefColumn::LinkTo),
            "to",
            Kind::Person,
            to_uid,
        )?;
        let link = Link {
            id: 0,
            uid: f.uid.clone(),
            from,
            to,
            kind: f.required_vocab("kind")?,
            note: f.text("note")?,
            extra: f.extra(),
        };
        Ok(self.w.upsert_link(&link)?)
    }

    pub(super) fn deal(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let account =
            self.required_reference(f, later, RefColumn::DealAccount, "account", Kind::Account)?;
        let deal = Deal {
            id: 0,
            uid: f.uid.clone(),
            account,
            title: f.required_text("title")?,
            kind: f.vocab("kind")?,
            stage: f.vocab("stage")?,
            value: f.number("value")?,
            currency: f.currency("currency")?,
            probability: f.percent("probability")?,
            close: f.date("close")?,
            commission_rate: f.percent("commission_rate")?,
            milestones: f.milestones("milestones")?,
            notes: f.text("notes")?,
            extra: Extra::new(),
        };
        let archived = f.timestamp("archived_at")?;
        let deal = Deal {
            extra: f.extra(),
            ..deal
        };
        let created = f.timestamp("created_at")?;
        let updated = f.timestamp("updated_at")?;
        let id = self.w.upsert_deal(&deal, created, updated)?;
        self.w
            .import_archived(Shelved::Deal, id, archived.as_ref())?;
        Ok(id)
    }

    pub(super) fn obligation(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let deal =
            self.required_reference(f, later, RefColumn::ObligationDeal, "deal", Kind::Deal)?;
        let obligation = Obligation {
            id: 0,
            uid: f.uid.clone(),
            deal,
            text: f.required_text("text")?,
            due: f.required_date("due")?,
            party: f.vocab("party")?,
            kind: f.vocab("kind")?,
            amount: f.number("amount")?,
            currency: f.currency("currency")?,
            status: f.vocab("status")?,
            done_at: f.timestamp("done_at")?,
            extra: f.extra(),
        };
        Ok(self.w.upsert_obligation(&obligation)?)
    }

    pub(super) fn plan(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let objective = f.required_text("objective")?;
        let account = f.text("account")?;
        let person = f.text("person")?;
        let subject = match (account, person) {
            (Some(uid), None) => PlanSubject::Account(self.reference(
                later,
                Patch::Column(RefColumn::PlanAccount),
                "account",
                Kind::Account,
                uid,
            )?),
            (None, Some(uid)) => PlanSubject::Person(self.reference(
                later,
                Patch::Column(RefColumn::PlanPerson),
                "person",
                Kind::Person,
                uid,
            )?),
            (Some(_), Some(_)) => {
                return Err(f.error(
                    "person",
                    "a plan is for an account or for a person, not both",
                ));
            }
            (None, None) => {
                return Err(f.error(
                    "account",
                    "is missing; a plan is for an account or a person (give account or person)",
                ));
            }
        };
        let plan = Plan {
            id: 0,
            uid: f.uid.clone(),
            objective,
            subject,
            target: f.date("target")?,
            budget: f.number("budget")?,
            spent: f.number("spent")?,
            currency: f.currency("currency")?,
            status: f.vocab("status")?,
            notes: f.text("notes")?,
            extra: Extra::new(),
        };
        let spends = match f.take_extension(X_SPEND) {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => spends(f, v)?,
        };
        let mut resolved = Vec::with_capacity(spends.len());
        for (spend, people) in spends {
            let mut benefited = Vec::with_capacity(people.len());
            for uid in people {
                let Some(id) = self.lookup(Kind::Person, &uid)? else {
                    return Err(f.error(
                        X_SPEND,
                        format!(
                            "\"for\" names person {}, who is not in the notebook or earlier in \
                             the file (people come before plans in an export)",
                            crate::text::sanitize_line(&uid)
                        ),
                    ));
                };
                benefited.push(id);
            }
            resolved.push(Spend { benefited, ..spend });
        }
        let spends = resolved;
        let archived = f.timestamp("archived_at")?;
        let plan = Plan {
            extra: f.extra(),
            ..plan
        };
        let id = self.w.upsert_plan(&plan)?;
        self.w.replace_spends(id, &spends)?;
        self.w
            .import_archived(Shelved::Plan, id, archived.as_ref())?;
        Ok(id)
    }

    pub(super) fn stage_change(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let ladder: Ladder = f.required_vocab("ladder")?;
        let subject_uid = f.required_text("subject")?;
        let (target, column) = match ladder {
            Ladder::Account => (Kind::Account, RefColumn::StageChangeAccount),
            Ladder::Person => (Kind::Person, RefColumn::StageChangePerson),
            Ladder::Deal => (Kind::Deal, RefColumn::StageChangeDeal),
        };
        let subject =
            self.reference(later, Patch::Column(column), "subject", target, subject_uid)?;
        let stage = |f: &mut Fields, key: &str| -> Result<Option<String>, ImportError> {
            let Some(s) = f.text(key)? else {
                return Ok(None);
            };
            AnyStage::parse(ladder, &s)
                .map(|st| Some(st.as_str().to_string()))
                .map_err(|e| {
                    f.error(
                        key,
                        format!(
                            "{} is not on the {} ladder; write one of: {}",
                            echo(&e.value),
                            ladder.as_str(),
                            e.allowed
                        ),
                    )
                })
        };
        let Some(to) = stage(f, "to")? else {
            return Err(f.error("to", "is missing; a stage_change needs one"));
        };
        let from = stage(f, "from")?;
        let change = StageChange {
            id: 0,
            uid: f.uid.clone(),
            ladder,
            subject,
            from,
            to,
            at: f.required_timestamp("at")?,
            note: f.text("note")?,
            extra: f.extra(),
        };
        Ok(self.w.upsert_stage_change(&change)?)
    }

    pub(super) fn interaction(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let kind = f.required_vocab("kind")?;
        let at = f.required_timestamp("at")?;
        let account = self.optional_reference(
            f,
            later,
            RefColumn::InteractionAccount,
            "account",
            Kind::Account,
        )?;
        let uids = f.texts("people")?;
        for (i, uid) in uids.iter().enumerate() {
            if uids[..i].contains(uid) {
                return Err(f.error("people", format!("{} is listed twice", echo(uid))));
            }
        }
        // Only mentioned (FORMAT.md): a person in both lists took part, so is left out of the
        // mentions here, before any reference is taken (a placeholder for each would meet
        // twice in the interaction's people once the person's line is read).
        let mut named = f.texts("mentioned")?;
        for (i, uid) in named.iter().enumerate() {
            if named[..i].contains(uid) {
                return Err(f.error("mentioned", format!("{} is listed twice", echo(uid))));
            }
        }
        named.retain(|uid| !uids.contains(uid));
        let mut people = Vec::with_capacity(uids.len());
        for uid in uids {
            people.push(self.reference(later, Patch::Person, "people", Kind::Person, uid)?);
        }
        let mut mentioned = Vec::with_capacity(named.len());
        for uid in named {
            mentioned.push(self.reference(later, Patch::Person, "mentioned", Kind::Person, uid)?);
        }
        let products = match f.take_extension(X_PRODUCTS) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut uids = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(uid) if !uids.contains(&uid) => uids.push(uid),
                        Value::String(uid) => {
                            return Err(
                                f.error(X_PRODUCTS, format!("{} is listed twice", echo(&uid)))
                            );
                        }
                        _ => return Err(f.error(X_PRODUCTS, "expected a list of product uids")),
                    }
                }
                uids
            }
            Some(_) => return Err(f.error(X_PRODUCTS, "expected a list of product uids")),
        };
        let status = f.vocab("status")?.unwrap_or(if at < self.now {
            InteractionStatus::Done
        } else {
            InteractionStatus::Planned
        });
        let interaction = Interaction {
            id: 0,
            uid: f.uid.clone(),
            kind,
            at,
            end: f.timestamp("end")?,
            account,
            people,
            mentioned,
            title: f.text("title")?,
            body: f.text("body")?,
            location: f.text("location")?,
            status,
            outcome: f.text("outcome")?,
            tags: f.texts("tags")?,
            extra: f.extra(),
        };
        let created = f.timestamp("created_at")?;
        let updated = f.timestamp("updated_at")?;
        let id = self
            .w
            .upsert_interaction_untracked(&interaction, created, updated)?;
        let mut ids = Vec::with_capacity(products.len());
        for uid in products {
            ids.push(self.reference(later, Patch::Product, X_PRODUCTS, Kind::Product, uid)?);
        }
        self.w.set_products_discussed(id, &ids)?;
        Ok(id)
    }

    pub(super) fn product(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let name = f.required_text("name")?;
        let competitor_of = self.optional_reference(
            f,
            later,
            RefColumn::ProductCompetitor,
            "competitor_of",
            Kind::Product,
        )?;
        let product = Product {
            id: 0,
            uid: f.uid.clone(),
            name,
            competitor_of,
            notes: f.text("notes")?,
        };
        f.no_extension()?;
        Ok(self.w.upsert_product(&product)?)
    }

    pub(super) fn product_status(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let account = self.required_reference(
            f,
            later,
            RefColumn::ProductStatusAccount,
            "account",
            Kind::Account,
        )?;
        let product = self.required_reference(
            f,
            later,
            RefColumn::ProductStatusProduct,
            "product",
            Kind::Product,
        )?;
        let change = ProductStatusChange {
            id: 0,
            uid: f.uid.clone(),
            account,
            product,
            status: f.required_vocab("status")?,
            day: f.required_date("day")?,
            note: f.text("note")?,
        };
        f.no_extension()?;
        Ok(self.w.upsert_product_status(&change)?)
    }

    pub(super) fn objection(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let person =
            self.required_reference(f, later, RefColumn::ObjectionPerson, "person", Kind::Person)?;
        let product = self.required_reference(
            f,
            later,
            RefColumn::ObjectionProduct,
            "product",
            Kind::Product,
        )?;
        let objection = Objection {
            id: 0,
            uid: f.uid.clone(),
            person,
            product,
            day: f.required_date("day")?,
            text: f.required_text("text")?,
        };
        f.no_extension()?;
        Ok(self.w.upsert_objection(&objection)?)
    }

    pub(super) fn deal_person(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let deal =
            self.required_reference(f, later, RefColumn::DealPersonDeal, "deal", Kind::Deal)?;
        let person = self.required_reference(
            f,
            later,
            RefColumn::DealPersonPerson,
            "person",
            Kind::Person,
        )?;
        let row = DealPerson {
            id: 0,
            uid: f.uid.clone(),
            deal,
            person,
            role: f.required_vocab("role")?,
        };
        f.no_extension()?;
        Ok(self.w.upsert_deal_person(&row)?)
    }

    /// A month of an account's sales (issue 14.6): `2026-03`, in one currency.
    pub(super) fn sales(&mut self, f: &mut Fields, later: &mut Later) -> Result<Id, ImportError> {
        let account =
            self.required_reference(f, later, RefColumn::SalesAccount, "account", Kind::Account)?;
        let month = f.required_text("month")?;
        let month = match parse_month(&month) {
            Ok(first) => month_text(first),
            Err(_) => {
                return Err(f.error(
                    "month",
                    format!("{} is not a month; write it as 2026-03", echo(&month)),
                ));
            }
        };
        let Some(currency) = f.currency("currency")? else {
            return Err(f.error("currency", "is missing; write the code, e.g. \"EUR\""));
        };
        if !self
            .sales_seen
            .insert((account, month.clone(), currency.clone()))
        {
            return Err(f.error(
                "month",
                format!(
                    "{month} in {} is already given by an earlier sales line of this account; \
                     give each account's month once per currency",
                    echo(&currency)
                ),
            ));
        }
        let sales = MonthSales {
            id: 0,
            account,
            month,
            currency,
            target: f.number("target")?,
            actual: f.number("actual")?,
        };
        f.no_extension()?;
        Ok(self.w.upsert_month_sales(&f.uid, &sales)?)
    }

    pub(super) fn followup(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
    ) -> Result<Id, ImportError> {
        let text = f.required_text("text")?;
        let due = match f.text("due")? {
            None => return Err(f.error("due", "is missing; a followup needs one")),
            Some(s) => match parse_date(&s) {
                Some(day) => Due::Day(day),
                None => match parse_timestamp(&s) {
                    Some(at) => Due::At(at),
                    None => {
                        return Err(f.error(
                            "due",
                            format!(
                                "{} is not a date (2026-11-30) or a timestamp \
                                 (2026-11-30T10:00:00+03:00)",
                                echo(&s)
                            ),
                        ));
                    }
                },
            },
        };
        let account = self.optional_reference(
            f,
            later,
            RefColumn::FollowUpAccount,
            "account",
            Kind::Account,
        )?;
        let person =
            self.optional_reference(f, later, RefColumn::FollowUpPerson, "person", Kind::Person)?;
        let deal =
            self.optional_reference(f, later, RefColumn::FollowUpDeal, "deal", Kind::Deal)?;
        let interaction = self.optional_reference(
            f,
            later,
            RefColumn::FollowUpInteraction,
            "interaction",
            Kind::Interaction,
        )?;
        let plan = match f.take_extension(X_PLAN) {
            None | Some(Value::Null) => None,
            Some(Value::String(uid)) => Some(uid),
            Some(_) => return Err(f.error(X_PLAN, "expected the uid of a plan, as text")),
        };
        let followup = FollowUp {
            id: 0,
            uid: f.uid.clone(),
            text,
            due,
            account,
            person,
            deal,
            interaction,
            repeat: f.repeat("repeat")?,
            status: f.vocab("status")?.unwrap_or(FollowUpStatus::Open),
            done_at: f.timestamp("done_at")?,
            priority: f.small_int("priority", 1, 3, " (1 high, 3 low)")?,
            extra: f.extra(),
        };
        let created = f.timestamp("created_at")?;
        let updated = f.timestamp("updated_at")?;
        let id = self.w.upsert_followup(&followup, created, updated)?;
        let plan = match plan {
            Some(uid) => Some(self.reference(
                later,
                Patch::Column(RefColumn::FollowUpPlan),
                X_PLAN,
                Kind::Plan,
                uid,
            )?),
            None => None,
        };
        self.w.set_followup_plan(id, plan)?;
        Ok(id)
    }
}

/// A plan's `x-spend`: `[{"day":"2026-11-02","category":"hospitality","amount":120,"note":"...",
/// "transfer":"meal","for":["<person uid>"]}]`, each entry with the uids of the people it
/// benefited (resolved by the caller).
fn spends(f: &Fields, value: Value) -> Result<Vec<(Spend, Vec<String>)>, ImportError> {
    const SHAPE: &str = "expected a list of {\"day\":\"2026-11-02\",\"category\":\"hospitality\",\
                         \"amount\":120,\"note\":\"...\"}";
    let Value::Array(items) = value else {
        return Err(f.error(X_SPEND, SHAPE));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let bad = |what: &str| f.error(X_SPEND, format!("entry {}: {what}; {SHAPE}", i + 1));
        let Value::Object(o) = item else {
            return Err(bad("not an object"));
        };
        let day = o
            .get("day")
            .and_then(Value::as_str)
            .and_then(parse_date)
            .ok_or_else(|| bad("day is missing or not a date"))?;
        let category = match o.get("category").and_then(Value::as_str) {
            Some(c) => c
                .parse::<SpendCategory>()
                .map_err(|e| bad(&e.to_string()))?,
            None => SpendCategory::Other,
        };
        let amount = o
            .get("amount")
            .and_then(Value::as_f64)
            .ok_or_else(|| bad("amount is missing or not a number"))?;
        let note = match o.get("note") {
            None | Some(Value::Null) => None,
            Some(Value::String(n)) => Some(n.clone()),
            Some(_) => return Err(bad("note is not text")),
        };
        let transfer = match o.get("transfer") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.parse::<Transfer>().map_err(|e| bad(&e.to_string()))?),
            Some(_) => return Err(bad("transfer is not text")),
        };
        let people = match o.get("for") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(uids)) => uids
                .iter()
                .map(|u| u.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad("for is not a list of person uids"))?,
            Some(_) => return Err(bad("for is not a list of person uids")),
        };
        out.push((
            Spend {
                id: 0,
                plan: 0,
                day,
                category,
                amount,
                note,
                transfer,
                benefited: Vec::new(),
            },
            people,
        ));
    }
    Ok(out)
}
