//! Dossier actions: opening an account's or a person's dossier, and the choosers that change a
//! stage (then an optional reason, recorded in the stage history), a buying role or an attitude
//! from one, and accepting a suggested move to `cooling`.
//!
//! Nothing is written here: a pick becomes an `ops` command ([`crate::ops::MoveStage`],
//! [`crate::ops::EditPerson`]) carrying the version read when the dossier was loaded; if
//! someone else (another `kam`, another terminal) changed the record since, nothing is written,
//! the status line says so and the dossier is reloaded.

use super::{App, Popup, StatusKind};
use crate::domain::{AccountStage, PersonStage};
use crate::domain::{Attitude, BuyingRole, Ladder, RecordKind, RecordRef, Vocabulary};
use crate::ops::MoveStage;
use crate::store::TargetKind;
use crate::tui::action::Action;
use crate::tui::popup::{Chooser, Pick};
use crate::tui::screens::dossier::{Dossier, DossierView};

fn names<V: Vocabulary>() -> Vec<&'static str> {
    V::ALL.iter().map(|v| v.as_str()).collect()
}

/// Which of a dossier's ladders a chooser changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Stage,
    Role,
    Attitude,
}

/// What a dossier is about, as the commands name it.
struct Subject {
    ladder: Ladder,
    id: i64,
    version: i64,
    /// "#a1 Hospital del Sur", as the CLI names it in a stage move.
    label: String,
}

fn subject(d: &Dossier) -> Subject {
    match d {
        Dossier::Account(a) => Subject {
            ladder: Ladder::Account,
            id: a.account.id,
            version: a.version,
            label: format!(
                "{} {}",
                RecordRef::of(RecordKind::Account, a.account.id),
                a.account.name
            ),
        },
        Dossier::Person(p) => Subject {
            ladder: Ladder::Person,
            id: p.person.id,
            version: p.version,
            label: format!(
                "{} {}",
                RecordRef::of(RecordKind::Person, p.person.id),
                p.person.name
            ),
        },
    }
}

impl App {
    /// Pushes the dossier of an account or a person (deals have no screen yet).
    pub(super) fn open(&mut self, kind: TargetKind, id: i64) -> Option<Action> {
        if kind == TargetKind::Deal {
            self.status = Some((
                "Deals have no screen of their own yet; they are on their account's Deals tab"
                    .into(),
                StatusKind::Info,
            ));
            return None;
        }
        let same = self.top().dossier().map(subject).is_some_and(|s| {
            s.id == id && (s.ladder == Ladder::Person) == (kind == TargetKind::Person)
        });
        if !same {
            self.stack.push(Box::new(DossierView::new(kind, id)));
            self.reload();
        }
        None
    }

    /// Opens the chooser of a stage, role or attitude for the dossier shown.
    pub(super) fn choose(&mut self, field: Field) {
        let Some(dossier) = self.top().dossier() else {
            return;
        };
        let s = subject(dossier);
        let stage = Pick::Stage {
            ladder: s.ladder,
            id: s.id,
            version: s.version,
            label: s.label,
        };
        let chooser = match (field, dossier) {
            (Field::Stage, Dossier::Account(a)) => Chooser::new(
                stage,
                "Account stage",
                names::<AccountStage>(),
                a.account.stage.map(Vocabulary::as_str),
            ),
            (Field::Stage, Dossier::Person(p)) => Chooser::new(
                stage,
                "Relationship stage",
                names::<PersonStage>(),
                p.person.stage.map(Vocabulary::as_str),
            ),
            (Field::Role, Dossier::Person(p)) => Chooser::new(
                Pick::Role {
                    person: Box::new(p.person.clone()),
                    version: p.version,
                },
                "Buying role",
                names::<BuyingRole>(),
                p.person.role.map(Vocabulary::as_str),
            ),
            (Field::Attitude, Dossier::Person(p)) => Chooser::new(
                Pick::Attitude {
                    person: Box::new(p.person.clone()),
                    version: p.version,
                },
                "Attitude toward us",
                names::<Attitude>(),
                p.person.attitude.map(Vocabulary::as_str),
            ),
            (_, Dossier::Account(_)) => {
                self.status = Some((
                    "Role and attitude are a person's: open one from the People tab".into(),
                    StatusKind::Info,
                ));
                return;
            }
        };
        self.popup = Some(Popup::Component(Box::new(chooser)));
    }

    /// Moves the person shown to `cooling` when the dossier suggests it, with the reason "no
    /// contact for N days"; otherwise says there is no suggestion and moves nothing.
    pub(super) fn accept_cooling(&mut self) -> Option<Action> {
        let Some(d @ Dossier::Person(p)) = self.top().dossier() else {
            return None;
        };
        if let (true, Some(days)) = (p.standing.suggest_cooling, p.standing.days_silent) {
            let s = subject(d);
            let cooling = MoveStage {
                id: s.id,
                to: crate::domain::AnyStage::Person(PersonStage::Cooling),
                note: Some(crate::cadence::cooling_reason(days)),
                label: s.label,
                version: Some(s.version),
            };
            // Success or not, the status line says it; the dossier shows what is now there.
            let _ = self.run_command(&cooling);
            return Some(Action::Refresh);
        }
        let name = crate::text::sanitize_line(&p.person.name).into_owned();
        self.status = Some((format!("No cooling suggested for {name}"), StatusKind::Info));
        None
    }
}

impl App {
    /// `p` in a dossier: the popup of its plans (each with its progress and spends), where
    /// `e` edits one and `$` records money spent on it.
    pub(super) fn open_plans(&mut self) -> Result<(), crate::store::StoreError> {
        use crate::domain::{PlanProgress, PlanSubject};
        use crate::tui::plan_panel::{PlanCard, PlanPanel};
        let (subject, name) = match self.top().dossier() {
            Some(Dossier::Account(a)) => {
                (PlanSubject::Account(a.account.id), a.account.name.clone())
            }
            Some(Dossier::Person(p)) => (PlanSubject::Person(p.person.id), p.person.name.clone()),
            None => {
                self.status = Some((
                    "Plans are kept in an account's or a person's dossier".into(),
                    StatusKind::Info,
                ));
                return Ok(());
            }
        };
        let today = self.clock.today();
        let reader = self.store.reader();
        let mut cards = Vec::new();
        for plan in reader.plans_of(subject)? {
            let Some((plan, version)) = reader.plan(plan.id)? else {
                continue;
            };
            let progress = PlanProgress::of(&plan, reader.plan_steps(plan.id)?, today);
            let spends = reader.plan_spends(plan.id)?;
            let mut benefited = Vec::new();
            for id in spends.iter().flat_map(|s| s.benefited.iter()) {
                if !benefited.iter().any(|(b, _)| b == id) {
                    if let Some((p, _)) = reader.person(*id)? {
                        benefited.push((*id, p.name));
                    }
                }
            }
            cards.push(PlanCard {
                plan,
                version,
                progress,
                spends,
                benefited,
            });
        }
        if cards.is_empty() {
            self.status = Some((
                format!(
                    "No plan for {} yet: P adds one",
                    crate::text::sanitize_line(&name)
                ),
                StatusKind::Info,
            ));
            return Ok(());
        }
        self.popup = Some(Popup::Component(Box::new(PlanPanel::new(name, cards))));
        Ok(())
    }
}
