//! Dossier actions: opening an account's or a person's dossier, and changing a stage (with an
//! optional reason, recorded in the stage history), a buying role or an attitude from one.
//!
//! Every change checks the version read when the dossier was loaded: if someone else (another
//! `kam`, another terminal) changed the record since, nothing is written, the status line says
//! so and the dossier is reloaded.

use super::{App, Popup, StatusKind};
use crate::domain::{AccountStage, PersonStage};
use crate::domain::{AnyStage, Attitude, BuyingRole, Ladder, Vocabulary};
use crate::store::{StoreError, TargetKind};
use crate::tui::action::Action;
use crate::tui::popup::{Chooser, Field, LinePrompt};
use crate::tui::screens::dossier::{Dossier, DossierView};

fn names<V: Vocabulary>() -> Vec<&'static str> {
    V::ALL.iter().map(|v| v.as_str()).collect()
}

/// What a dossier is about, as the writes need it.
struct Subject {
    ladder: Ladder,
    id: i64,
    version: i64,
    name: String,
    stage: Option<&'static str>,
}

fn subject(d: &Dossier) -> Subject {
    match d {
        Dossier::Account(a) => Subject {
            ladder: Ladder::Account,
            id: a.account.id,
            version: a.version,
            name: a.account.name.clone(),
            stage: a.account.stage.map(Vocabulary::as_str),
        },
        Dossier::Person(p) => Subject {
            ladder: Ladder::Person,
            id: p.person.id,
            version: p.version,
            name: p.person.name.clone(),
            stage: p.person.stage.map(Vocabulary::as_str),
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
        let chooser = match (field, self.top().dossier()) {
            (Field::Stage, Some(Dossier::Account(a))) => Chooser::new(
                field,
                "Account stage",
                names::<AccountStage>(),
                a.account.stage.map(Vocabulary::as_str),
            ),
            (Field::Stage, Some(Dossier::Person(p))) => Chooser::new(
                field,
                "Relationship stage",
                names::<PersonStage>(),
                p.person.stage.map(Vocabulary::as_str),
            ),
            (Field::Role, Some(Dossier::Person(p))) => Chooser::new(
                field,
                "Buying role",
                names::<BuyingRole>(),
                p.person.role.map(Vocabulary::as_str),
            ),
            (Field::Attitude, Some(Dossier::Person(p))) => Chooser::new(
                field,
                "Attitude toward us",
                names::<Attitude>(),
                p.person.attitude.map(Vocabulary::as_str),
            ),
            (_, Some(Dossier::Account(_))) => {
                self.status = Some((
                    "Role and attitude are a person's: open one from the People tab".into(),
                    StatusKind::Info,
                ));
                return;
            }
            (_, None) | (Field::LinkKind, Some(Dossier::Person(_))) => return,
        };
        self.popup = Some(Popup::Choose(chooser));
    }

    /// The keys and saves of the chooser and reason popups; `None` when neither is open or
    /// the action is not theirs.
    pub(super) fn dossier_popup(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        match (&mut self.popup, action) {
            (Some(Popup::Choose(c)), Action::Up) => c.up(),
            (Some(Popup::Choose(c)), Action::Down) => c.down(),
            (Some(Popup::Choose(c)), Action::Save) => {
                let (field, picked) = (c.field, c.picked());
                return picked.map(|value| self.picked(field, value));
            }
            (Some(Popup::Reason(p)), Action::Input(key)) => {
                p.key(&key);
            }
            (Some(Popup::Reason(p)), Action::Save) => {
                let (value, reason) = (p.value, p.input.clone());
                self.popup = None;
                return Some(self.save_stage(value, reason.trim()));
            }
            _ => return None,
        }
        Some(Ok(None))
    }

    fn picked(&mut self, field: Field, value: &'static str) -> Result<Option<Action>, StoreError> {
        let Some(s) = self.top().dossier().map(subject) else {
            self.popup = None;
            return Ok(None);
        };
        if field == Field::Stage {
            if s.stage == Some(value) {
                self.popup = None;
                self.status = Some((format!("Already {value}"), StatusKind::Info));
                return Ok(None);
            }
            let from = s.stage.unwrap_or("no stage");
            self.popup = Some(Popup::Reason(LinePrompt::new(
                format!("{from} → {value}"),
                "Why? (optional)",
                value,
            )));
            return Ok(None);
        }
        self.popup = None;
        self.save_person(field, value)
    }

    /// Moves the person shown to `cooling` when the dossier suggests it, with the reason "no
    /// contact for N days"; otherwise says there is no suggestion and moves nothing.
    pub(super) fn accept_cooling(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Dossier::Person(p)) = self.top().dossier() else {
            return Ok(None);
        };
        if let (true, Some(days)) = (p.standing.suggest_cooling, p.standing.days_silent) {
            let reason = crate::cadence::cooling_reason(days);
            return self.save_stage(PersonStage::Cooling.as_str(), &reason);
        }
        let name = crate::text::sanitize_line(&p.person.name).into_owned();
        self.status = Some((format!("No cooling suggested for {name}"), StatusKind::Info));
        Ok(None)
    }

    fn save_stage(&mut self, value: &str, reason: &str) -> Result<Option<Action>, StoreError> {
        let Some(s) = self.top().dossier().map(subject) else {
            return Ok(None);
        };
        let stage = AnyStage::parse(s.ladder, value)?;
        let note = Some(reason).filter(|r| !r.is_empty());
        let now = self.clock.now().fixed_offset();
        let result = self.store.write(now, |w| {
            w.move_stage_at_version(s.id, s.version, stage, note)
        });
        match result {
            Ok(change) => {
                let from = change
                    .and_then(|c| c.from)
                    .unwrap_or_else(|| "no stage".into());
                self.status = Some((format!("Stage: {from} → {value}"), StatusKind::Info));
                Ok(Some(Action::Refresh))
            }
            Err(StoreError::Conflict { .. }) => {
                self.conflict(&s.name);
                Ok(Some(Action::Refresh))
            }
            Err(e) => Err(e),
        }
    }

    fn save_person(&mut self, field: Field, value: &str) -> Result<Option<Action>, StoreError> {
        let Some(Dossier::Person(p)) = self.top().dossier() else {
            return Ok(None);
        };
        let (mut person, version) = (p.person.clone(), p.version);
        let before = person.clone();
        let label = match field {
            Field::Role => {
                person.role = Some(value.parse()?);
                "Buying role"
            }
            Field::Attitude => {
                person.attitude = Some(value.parse()?);
                "Attitude"
            }
            Field::Stage | Field::LinkKind => return Ok(None),
        };
        if person == before {
            self.status = Some((format!("Already {value}"), StatusKind::Info));
            return Ok(None);
        }
        let now = self.clock.now().fixed_offset();
        match self.store.write(now, |w| w.update_person(&person, version)) {
            Ok(_) => {
                self.status = Some((format!("{label}: {value}"), StatusKind::Info));
                Ok(Some(Action::Refresh))
            }
            Err(StoreError::Conflict { .. }) => {
                self.conflict(&person.name);
                Ok(Some(Action::Refresh))
            }
            Err(e) => Err(e),
        }
    }

    /// Someone else wrote first: say so, keep their write, show it (the caller reloads).
    fn conflict(&mut self, name: &str) {
        self.status = Some((
            format!("Conflict: {name} was changed elsewhere; nothing overwritten — try again"),
            StatusKind::Error,
        ));
    }
}
