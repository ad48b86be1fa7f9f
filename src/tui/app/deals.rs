//! Deal and plan actions (issue 12.4): opening a deal's screen (from the pipeline, the tender
//! calendar, an account's Deals tab, an agenda deadline), moving a deal's stage, editing its
//! probability and close date, marking an obligation done, adding an obligation, a deal or a
//! plan, archiving and restoring a deal. Every change is an `ops` command, run here or replied
//! by the popup component that asked for it.

use super::{App, Popup, StatusKind};
use crate::domain::{PlanSubject, RecordKind, RecordRef};
use crate::ops;
use crate::store::{Shelved, StoreError, TargetKind};
use crate::tui::action::Action;
use crate::tui::screens::Selection;
use crate::tui::screens::deal::DealScreen;
use crate::tui::screens::deal_people::DealPeoplePopup;
use crate::tui::screens::deal_popups::{DealStageChooser, FieldsForm};
use crate::tui::screens::dossier::Dossier;

type Handled = Option<Result<Option<Action>, StoreError>>;

impl App {
    /// The deal and plan share of the actions, when no popup is open.
    pub(super) fn deal_action(&mut self, action: Action) -> Handled {
        if self.popup.is_some() {
            return None;
        }
        let done = match action {
            Action::Open(TargetKind::Deal, id) => {
                self.open_deal(DealScreen::new(id));
                Ok(None)
            }
            Action::OpenObligation { deal, obligation } => self.open_obligation(deal, obligation),
            Action::DealStage => match self.selected_deal() {
                Some(id) => self.choose_deal_stage(id),
                None => Ok(self.no_deal("move")),
            },
            Action::EditDeal => match self.selected_deal() {
                Some(id) => self.edit_deal(id),
                None => Ok(self.no_deal("edit")),
            },
            Action::ObligationDone => Ok(self.obligation_done()),
            Action::AddObligation => self.add_obligation(),
            Action::ArchiveDeal => self.archive_deal(),
            Action::AddDeal => self.add_deal(),
            Action::AddPlan => Ok(self.add_plan()),
            Action::DealPeople => self.deal_people(),
            _ => return None,
        };
        Some(done)
    }

    /// Pushes a deal's screen (or, when it is the one shown, selects the obligation asked).
    fn open_deal(&mut self, view: DealScreen) {
        self.stack.push(Box::new(view));
        self.reload();
    }

    /// The screen of the deal of `obligation`, with it selected.
    fn open_obligation(
        &mut self,
        deal: Option<i64>,
        obligation: i64,
    ) -> Result<Option<Action>, StoreError> {
        let deal = match deal {
            Some(d) => Some(d),
            None => self
                .store
                .reader()
                .obligation(obligation)?
                .map(|(o, _)| o.deal),
        };
        match deal {
            Some(d) => self.open_deal(DealScreen::at_obligation(d, obligation)),
            None => {
                self.status = Some((
                    format!("Obligation [{obligation}] is gone (removed in another window)"),
                    StatusKind::Error,
                ));
            }
        }
        Ok(None)
    }

    /// The deal selected on the top screen (a deal, or an obligation of one).
    fn selected_deal(&self) -> Option<i64> {
        match self.top().selection()? {
            Selection::Deal { id, .. } | Selection::Obligation { deal: Some(id), .. } => Some(id),
            _ => None,
        }
    }

    /// No deal is selected to `verb`: says so (an empty Deals tab, a deal gone).
    fn no_deal(&mut self, verb: &str) -> Option<Action> {
        self.nothing_selected(&format!("Select a deal to {verb} (a adds one)"));
        None
    }

    /// "#d3 Tender 2027".
    fn deal_label(id: i64, title: &str) -> String {
        format!("{} {title}", RecordRef::of(RecordKind::Deal, id))
    }

    fn choose_deal_stage(&mut self, id: i64) -> Result<Option<Action>, StoreError> {
        if self.top().gone() {
            self.nothing_selected("");
            return Ok(None);
        }
        let Some(row) = self.store.reader().deal_row(id)? else {
            return Ok(Some(Action::Refresh));
        };
        self.popup = Some(Popup::Component(Box::new(DealStageChooser::new(
            id,
            row.version,
            Self::deal_label(id, &row.deal.title),
            row.deal.stage,
        ))));
        Ok(None)
    }

    fn edit_deal(&mut self, id: i64) -> Result<Option<Action>, StoreError> {
        if self.top().gone() {
            self.nothing_selected("");
            return Ok(None);
        }
        let Some(row) = self.store.reader().deal_row(id)? else {
            return Ok(Some(Action::Refresh));
        };
        let label = Self::deal_label(id, &row.deal.title);
        self.popup = Some(Popup::Component(Box::new(FieldsForm::edit_deal(
            row.deal,
            row.version,
            &label,
        ))));
        Ok(None)
    }

    /// `x` on the deal screen: the selected obligation done (delivered, paid).
    fn obligation_done(&mut self) -> Option<Action> {
        match self.top().selection() {
            Some(Selection::Obligation { id, .. }) if !self.top().gone() => {
                // The outcome, or the error, is on the status line either way.
                let _ = self.run_command(&ops::CompleteObligation { id });
                Some(Action::Refresh)
            }
            _ => {
                self.nothing_selected("Select an obligation (↓/j) to mark it done or paid");
                None
            }
        }
    }

    /// `p` on the deal screen: the deal's people, to add one in a role or take one away.
    fn deal_people(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(id) = self.selected_deal() else {
            return Ok(self.no_deal("act on"));
        };
        let Some(row) = self.store.reader().deal_row(id)? else {
            return Ok(Some(Action::Refresh));
        };
        let label = Self::deal_label(id, &row.deal.title);
        let popup = DealPeoplePopup::open(&self.store.reader(), id, label)?;
        self.popup = Some(Popup::Component(Box::new(popup)));
        Ok(None)
    }

    fn add_obligation(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(id) = self.selected_deal() else {
            return Ok(self.no_deal("act on"));
        };
        let Some(row) = self.store.reader().deal_row(id)? else {
            return Ok(Some(Action::Refresh));
        };
        self.popup = Some(Popup::Component(Box::new(FieldsForm::add_obligation(
            id,
            &Self::deal_label(id, &row.deal.title),
            row.deal.currency.as_deref(),
        ))));
        Ok(None)
    }

    /// `A` on the deal screen: archives the deal, or restores it when it is archived.
    fn archive_deal(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(id) = self.selected_deal() else {
            return Ok(self.no_deal("act on"));
        };
        let Some((at, version)) = self.store.reader().archived_at(Shelved::Deal, id)? else {
            return Ok(Some(Action::Refresh));
        };
        let _ = self.run_command(&ops::ArchiveDeal {
            id,
            version: Some(version),
            restore: at.is_some(),
        });
        Ok(Some(Action::Refresh))
    }

    /// `a` on the deals screen, the deal screen or an account's Deals tab: a new deal, for
    /// the account shown or selected.
    fn add_deal(&mut self) -> Result<Option<Action>, StoreError> {
        let account = match (self.top().dossier(), self.top().selection()) {
            (Some(Dossier::Account(a)), _) => Some(a.account.id),
            (
                _,
                Some(Selection::Deal {
                    account: Some(a), ..
                }),
            ) => Some(a),
            _ => None,
        };
        let name = match account {
            Some(a) => self
                .store
                .reader()
                .name_of(TargetKind::Account, a)?
                .unwrap_or_default(),
            None => String::new(),
        };
        self.popup = Some(Popup::Component(Box::new(FieldsForm::add_deal(&name))));
        Ok(None)
    }

    /// `P` in a dossier: a new plan for its account or person.
    fn add_plan(&mut self) -> Option<Action> {
        let (subject, name) = match self.top().dossier() {
            Some(Dossier::Account(a)) => (PlanSubject::Account(a.account.id), &a.account.name),
            Some(Dossier::Person(p)) => (PlanSubject::Person(p.person.id), &p.person.name),
            None => {
                self.status = Some((
                    "Plans are added from an account's or a person's dossier".into(),
                    StatusKind::Info,
                ));
                return None;
            }
        };
        let form = FieldsForm::add_plan(subject, name);
        self.popup = Some(Popup::Component(Box::new(form)));
        None
    }
}
