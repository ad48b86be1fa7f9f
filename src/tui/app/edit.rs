//! Keeping the records from the TUI: `e` opens the edit form of the dossier shown (from the
//! version the dossier loaded, so another writer's change is reported, never overwritten); `a`
//! opens an empty one that adds an account or a person (inside an account's dossier, a person
//! of it); `X` archives or restores the dossier's record and `M` merges a duplicate into it.
//! Every one of them is a component replying a command for `ops` (see `form` and `records`).

use super::{App, Popup, StatusKind};
use crate::domain::RecordKind;
use crate::store::{MergeKind, TargetKind};
use crate::tui::form::{EditForm, FormRecord};
use crate::tui::records::{ArchiveConfirm, MergePicker};
use crate::tui::screens::dossier::Dossier;

impl App {
    /// Opens the edit form of the dossier shown.
    pub(super) fn open_edit(&mut self) {
        let form = match self.top().dossier() {
            Some(Dossier::Account(a)) => {
                EditForm::new(FormRecord::Account(a.account.clone(), a.version))
            }
            Some(Dossier::Person(p)) => {
                EditForm::person(p.person.clone(), p.version, p.account_name.clone())
            }
            None => {
                self.status = Some(("Open a dossier to edit it".into(), StatusKind::Info));
                return;
            }
        };
        self.popup = Some(Popup::Component(Box::new(form)));
    }

    /// Opens the empty form of a new account or person (of `account`, when given).
    pub(super) fn open_add(&mut self, kind: TargetKind, account: Option<i64>) {
        let form = match kind {
            TargetKind::Account => EditForm::add_account(),
            TargetKind::Person => {
                let named = account.and_then(|id| {
                    self.store
                        .reader()
                        .name_of(TargetKind::Account, id)
                        .ok()
                        .flatten()
                        .map(|name| (id, name))
                });
                EditForm::add_person(named)
            }
            TargetKind::Deal => return,
        };
        self.popup = Some(Popup::Component(Box::new(form)));
    }

    /// The record of the dossier shown: its kind, id, name, version and whether archived.
    fn dossier_record(&self) -> Option<(RecordKind, i64, String, i64, bool)> {
        match self.top().dossier()? {
            Dossier::Account(a) => Some((
                RecordKind::Account,
                a.account.id,
                a.account.name.clone(),
                a.version,
                a.account.archived_at.is_some(),
            )),
            Dossier::Person(p) => Some((
                RecordKind::Person,
                p.person.id,
                p.person.name.clone(),
                p.version,
                p.person.archived_at.is_some(),
            )),
        }
    }

    /// `X`: asks before archiving the dossier's record, or restoring it when archived.
    pub(super) fn ask_archive(&mut self) {
        let Some((kind, id, name, version, archived)) = self.dossier_record() else {
            self.nothing_selected("Open a dossier to archive or restore it");
            return;
        };
        self.popup = Some(Popup::Component(Box::new(ArchiveConfirm::new(
            kind, id, name, version, archived,
        ))));
    }

    /// `M`: the picker of the duplicate to merge into the dossier's record.
    pub(super) fn start_merge(&mut self) {
        let Some((kind, id, name, _, _)) = self.dossier_record() else {
            self.nothing_selected("Open a dossier to merge a duplicate into it");
            return;
        };
        let kind = if kind == RecordKind::Account {
            MergeKind::Account
        } else {
            MergeKind::Person
        };
        self.popup = Some(Popup::Component(Box::new(MergePicker::new(kind, id, name))));
    }
}
