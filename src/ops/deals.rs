//! Deal commands: add (at its first stage), edit, archive and restore, obligations added and
//! marked done. The
//! rules: a deal starts open (a loss goes through a stage move, with its reason); a value or an
//! amount comes with its currency.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{
    AnyStage, Deal, DealStage, Id, Obligation, ObligationStatus, RecordKind, RecordRef,
};
use crate::store::Shelved;

fn dref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Deal, id)
}

fn needs_currency(amount: Option<f64>, currency: Option<&str>, flag: &str) -> Result<(), OpsError> {
    if amount.is_some() && currency.is_none() {
        return Err(OpsError::invalid(format!(
            "{flag} needs its --currency (ISO 4217, e.g. --currency EUR)"
        )));
    }
    Ok(())
}

/// A new deal at `stage` (open).
#[derive(Debug, Clone)]
pub struct AddDeal {
    pub deal: Deal,
    pub stage: DealStage,
    /// The account's name, for the message.
    pub account_name: String,
}

impl Command for AddDeal {
    fn name(&self) -> &'static str {
        "deal add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.stage == DealStage::Lost {
            return Err(OpsError::invalid(
                "a deal starts open; record a loss with `kam stage #dN lost --note REASON`",
            ));
        }
        needs_currency(self.deal.value, self.deal.currency.as_deref(), "--value")?;
        let id = tx.w().upsert_deal(&self.deal, None, None)?;
        tx.created("deals", id)?;
        tx.created_set("deal_milestones", id)?;
        if let Some(c) = tx.w().move_stage(id, AnyStage::Deal(self.stage), None)? {
            tx.created("stage_changes", c.id)?;
        }
        Ok(Outcome::new(format!(
            "Added deal {} {} · {}",
            dref(id),
            self.deal.title,
            self.account_name
        ))
        .with_record(dref(id)))
    }
}

/// A deal's fields as edited (read at `version`).
#[derive(Debug, Clone)]
pub struct EditDeal {
    pub deal: Deal,
    pub version: i64,
}

impl Command for EditDeal {
    fn name(&self) -> &'static str {
        "deal edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        needs_currency(self.deal.value, self.deal.currency.as_deref(), "--value")?;
        let id = self.deal.id;
        tx.touch("deals", id)?;
        tx.touch_set("deal_milestones", id)?;
        let changed = tx.w().update_deal(&self.deal, self.version)?;
        Ok(Outcome::new(super::saved_or_unchanged(
            changed,
            "deal",
            &dref(id),
            &self.deal.title,
        ))
        .with_record(dref(id)))
    }
}

/// A new obligation of a deal.
#[derive(Debug, Clone)]
pub struct AddObligation {
    pub obligation: Obligation,
    /// The deal as the message names it ("#d2 Tender").
    pub deal_label: String,
}

impl Command for AddObligation {
    fn name(&self) -> &'static str {
        "obligation add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let o = &self.obligation;
        needs_currency(o.amount, o.currency.as_deref(), "--amount")?;
        let id = tx.w().upsert_obligation(o)?;
        tx.created("obligations", id)?;
        let mut outcome = Outcome::new(format!(
            "Added obligation [{id}] to {}: {}",
            self.deal_label, o.text
        ));
        outcome.row = Some(id);
        Ok(outcome.with_record(dref(o.deal)))
    }
}

/// Marks an obligation done (delivered, paid).
#[derive(Debug, Clone)]
pub struct CompleteObligation {
    pub id: Id,
}

impl Command for CompleteObligation {
    fn name(&self) -> &'static str {
        "obligation done"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let n = self.id;
        let (o, version) = tx
            .w()
            .obligation(n)?
            .ok_or_else(|| OpsError::NotFound(format!("no obligation {n}")))?;
        if o.status == Some(ObligationStatus::Done) {
            return Ok(Outcome::new(format!("[{n}] {} was already done", o.text)));
        }
        tx.touch("obligations", n)?;
        tx.w().complete_obligation(n, version)?;
        Ok(Outcome::new(format!("Done: [{n}] {}", o.text)).with_record(dref(o.deal)))
    }
}

/// Archives a deal (out of the pipeline, the agenda, the insights and the lists; kept with its
/// history, restorable), or restores one.
#[derive(Debug, Clone)]
pub struct ArchiveDeal {
    pub id: Id,
    /// The version shown (the TUI checks it); `None` from the command line.
    pub version: Option<i64>,
    /// Restore instead of archive.
    pub restore: bool,
}

impl Command for ArchiveDeal {
    fn name(&self) -> &'static str {
        if self.restore {
            "deal restore"
        } else {
            "deal archive"
        }
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = dref(self.id);
        let title = tx
            .w()
            .deal(self.id)?
            .map(|(d, _)| d.title)
            .ok_or_else(|| OpsError::NotFound(format!("no deal {r}")))?;
        shelve(
            tx,
            Shelved::Deal,
            self.id,
            self.version,
            self.restore,
            &format!("{r} {title}"),
            &format!("kam deal restore {r}"),
        )?;
        let verb = if self.restore { "Restored" } else { "Archived" };
        Ok(Outcome::new(format!("{verb} deal {r} {title}")).with_record(r))
    }
}

/// Sets or clears the archive stamp of a deal or plan (`label` names it in messages, `back`
/// is the command that restores it), checking the version shown and that it is not already
/// where it is asked to go.
pub(super) fn shelve(
    tx: &mut Tx<'_, '_>,
    what: Shelved,
    id: Id,
    version: Option<i64>,
    restore: bool,
    label: &str,
    back: &str,
) -> Result<(), OpsError> {
    let (at, read) = tx
        .w()
        .archived_at(what, id)?
        .ok_or_else(|| OpsError::NotFound(format!("no {label}")))?;
    if version.is_some_and(|v| v != read) {
        return Err(OpsError::Conflict {
            what: label.to_string(),
        });
    }
    match (at.is_some(), restore) {
        (false, true) => return Err(OpsError::invalid(format!("{label} is not archived"))),
        (true, false) => {
            return Err(OpsError::invalid(format!(
                "{label} is already archived; `{back}` brings it back"
            )));
        }
        _ => {}
    }
    let table = match what {
        Shelved::Deal => "deals",
        Shelved::Plan => "plans",
    };
    tx.touch(table, id)?;
    let now = tx.now();
    tx.w()
        .set_archived(what, id, (!restore).then_some(&now), read)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, TimeDelta};
    use proptest::prelude::*;

    use super::*;
    use crate::domain::{
        Account, Extra, ObligationKind, Party, Plan, PlanStatus, PlanSubject, Timestamp, Vocabulary,
    };
    use crate::ops::{AddPlan, ArchivePlan, MoveStage, run, undo};
    use crate::store::Store;

    fn now() -> Timestamp {
        DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A notebook with an account, a deal with a tender date, a receivable and a plan.
    fn book() -> (Store, Id, Id, Id) {
        let mut store = Store::open_in_memory().unwrap();
        let account = store
            .write(now(), |w| {
                w.upsert_account(
                    &Account {
                        uid: "a-1".into(),
                        name: "Hospital Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )
            })
            .unwrap();
        let deal = Deal {
            id: 0,
            uid: "d-1".into(),
            account,
            title: "Tender 2027".into(),
            kind: None,
            stage: None,
            value: Some(250_000.0),
            currency: Some("EUR".into()),
            probability: Some(40.0),
            close: Some(day("2026-06-30")),
            commission_rate: None,
            milestones: vec![crate::domain::Milestone {
                name: "submission".into(),
                date: day("2026-04-01"),
            }],
            notes: None,
            extra: Extra::new(),
        };
        let d = run(
            &mut store,
            now(),
            &AddDeal {
                deal,
                stage: DealStage::Proposal,
                account_name: "Hospital Clínic".into(),
            },
        )
        .unwrap()
        .record
        .unwrap()
        .id;
        let o = run(&mut store, now(), &obligation(d, "Invoice 118"))
            .unwrap()
            .row
            .unwrap();
        let p = run(
            &mut store,
            now(),
            &AddPlan {
                plan: Plan {
                    id: 0,
                    uid: "pl-1".into(),
                    objective: "Advisory board".into(),
                    subject: PlanSubject::Account(account),
                    target: None,
                    budget: Some(1000.0),
                    spent: None,
                    currency: Some("EUR".into()),
                    status: Some(PlanStatus::Active),
                    notes: None,
                    extra: Extra::new(),
                },
            },
        )
        .unwrap()
        .row
        .unwrap();
        (store, d, o, p)
    }

    fn obligation(deal: Id, text: &str) -> AddObligation {
        AddObligation {
            obligation: Obligation {
                id: 0,
                uid: crate::capture::new_uid(),
                deal,
                text: text.into(),
                due: day("2026-03-15"),
                party: Some(Party::Client),
                kind: Some(ObligationKind::Payment),
                amount: Some(1000.0),
                currency: Some("EUR".into()),
                status: Some(ObligationStatus::Open),
                done_at: None,
                extra: Extra::new(),
            },
            deal_label: "#d1 Tender 2027".into(),
        }
    }

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_lost_deal_needs_its_reason_here_for_every_front() {
        let (mut store, d, ..) = book();
        let lost = |note: Option<&str>| MoveStage {
            id: d,
            to: AnyStage::Deal(DealStage::Lost),
            note: note.map(str::to_string),
            label: "#d1 Tender 2027".into(),
            version: None,
        };
        for empty in [None, Some(""), Some("  ")] {
            let refused = run(&mut store, now(), &lost(empty));
            assert!(matches!(refused, Err(OpsError::Invalid(_))), "{refused:?}");
        }
        let moved = run(&mut store, now(), &lost(Some("price"))).unwrap();
        assert_eq!(moved.message, "#d1 Tender 2027: proposal → lost");
    }

    #[test]
    fn archiving_checks_the_version_shown() {
        let (mut store, d, ..) = book();
        let (_, v) = store
            .reader()
            .archived_at(Shelved::Deal, d)
            .unwrap()
            .unwrap();
        let stale = run(
            &mut store,
            now(),
            &ArchiveDeal {
                id: d,
                version: Some(v - 1),
                restore: false,
            },
        );
        assert!(matches!(stale, Err(OpsError::Conflict { .. })), "{stale:?}");
        let done = run(
            &mut store,
            now(),
            &ArchiveDeal {
                id: d,
                version: Some(v),
                restore: false,
            },
        )
        .unwrap();
        assert_eq!(done.message, "Archived deal #d1 Tender 2027");
        assert!(export(&store).contains("\"archived_at\""));
    }

    /// One deal or plan command of the property test.
    #[derive(Debug, Clone)]
    enum Step {
        ArchiveDeal(bool),
        ArchivePlan(bool),
        Paid,
        Stage(usize, bool),
        Edit(u8, i64),
        Owe(String),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            any::<bool>().prop_map(Step::ArchiveDeal),
            any::<bool>().prop_map(Step::ArchivePlan),
            Just(Step::Paid),
            (0..DealStage::ALL.len(), any::<bool>()).prop_map(|(s, n)| Step::Stage(s, n)),
            (0..=100u8, -30..90i64).prop_map(|(p, d)| Step::Edit(p, d)),
            "[a-z ]{1,10}".prop_map(Step::Owe),
        ]
    }

    fn command(store: &Store, (d, o, p): (Id, Id, Id), step: &Step) -> Box<dyn Command> {
        match step.clone() {
            Step::ArchiveDeal(restore) => Box::new(ArchiveDeal {
                id: d,
                version: None,
                restore,
            }),
            Step::ArchivePlan(restore) => Box::new(ArchivePlan {
                id: p,
                version: None,
                restore,
            }),
            Step::Paid => Box::new(CompleteObligation { id: o }),
            Step::Stage(s, note) => Box::new(MoveStage {
                id: d,
                to: AnyStage::Deal(DealStage::ALL[s]),
                note: note.then(|| "why".to_string()),
                label: "#d1".into(),
                version: None,
            }),
            Step::Edit(probability, days) => {
                let row = store.reader().deal_row(d).unwrap().unwrap();
                Box::new(EditDeal {
                    deal: Deal {
                        probability: Some(f64::from(probability)),
                        close: Some(day("2026-06-30") + TimeDelta::days(days)),
                        ..row.deal
                    },
                    version: row.version,
                })
            }
            Step::Owe(text) => Box::new(obligation(d, &text)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Any sequence of deal and plan commands, then as many undos as entries written:
        /// the notebook exports exactly as before (archive stamps included).
        #[test]
        fn deal_commands_then_as_many_undos_leave_the_notebook_as_it_was(
            steps in proptest::collection::vec(step(), 1..10)
        ) {
            let (mut store, d, o, p) = book();
            let before = export(&store);
            let mut entries = 0;
            for (n, s) in steps.iter().enumerate() {
                let c = command(&store, (d, o, p), s);
                let when = now() + TimeDelta::minutes(i64::try_from(n).unwrap() + 1);
                if let Ok(outcome) = run(&mut store, when, c.as_ref()) {
                    entries += usize::from(outcome.entry.is_some());
                }
            }
            for _ in 0..entries {
                let undone = undo(&mut store, now());
                prop_assert!(undone.is_ok(), "{:?}", undone);
            }
            prop_assert_eq!(export(&store), before);
        }
    }
}
