//! Editing a dossier's record with the form (`e`): opened from the version the dossier loaded,
//! saved with that version checked, so another writer's change is reported, never overwritten;
//! saving anyway writes only the fields the user changed (see `form.rs`).

use super::{App, Popup, StatusKind};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::form::{EditForm, FormRecord};
use crate::tui::screens::dossier::Dossier;

impl App {
    /// Opens the edit form of the dossier shown.
    pub(super) fn open_edit(&mut self) {
        let record = match self.top().dossier() {
            Some(Dossier::Account(a)) => FormRecord::Account(a.account.clone(), a.version),
            Some(Dossier::Person(p)) => FormRecord::Person(p.person.clone(), p.version),
            None => {
                self.status = Some(("Open a dossier to edit it".into(), StatusKind::Info));
                return;
            }
        };
        self.popup = Some(Popup::Edit(Box::new(EditForm::new(record))));
    }

    /// The edit form's share of the actions, when it is open.
    pub(super) fn edit_popup(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        let Some(Popup::Edit(form)) = &mut self.popup else {
            return None;
        };
        match action {
            Action::Back if form.confirming => form.confirming = false,
            Action::Back if form.is_dirty() => form.confirming = true,
            Action::Back => self.popup = None,
            Action::Input(key) if form.confirming => match key.code {
                crossterm::event::KeyCode::Char('y' | 'Y') => {
                    self.popup = None;
                    self.status = Some(("Changes discarded".into(), StatusKind::Info));
                }
                crossterm::event::KeyCode::Char('n' | 'N') => form.confirming = false,
                _ => {}
            },
            Action::Input(key) => form.key(&key),
            Action::NextTab => form.next(),
            Action::PrevTab => form.prev(),
            Action::Save => return Some(self.save_edit()),
            _ => {}
        }
        Some(Ok(None))
    }

    fn save_edit(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Popup::Edit(form)) = &mut self.popup else {
            return Ok(None);
        };
        let record = match form.result() {
            Ok(r) => r,
            Err(message) => {
                self.status = Some((format!("Not saved — {message}"), StatusKind::Error));
                return Ok(None);
            }
        };
        let now = self.clock.now().fixed_offset();
        let result = match &record {
            FormRecord::Account(a, version) => {
                self.store.write(now, |w| w.update_account(a, *version))
            }
            FormRecord::Person(p, version) => {
                self.store.write(now, |w| w.update_person(p, *version))
            }
        };
        match result {
            Ok(changed) => {
                self.popup = None;
                let said = if changed {
                    "Saved"
                } else {
                    "Nothing changed; nothing saved"
                };
                self.status = Some((said.into(), StatusKind::Info));
            }
            Err(StoreError::Conflict { what }) => {
                // Keep what was typed: the form now stands on the record as it is, and a second
                // Ctrl-S saves the typed values over the other change, knowingly.
                let latest = match &record {
                    FormRecord::Account(a, _) => self
                        .store
                        .reader()
                        .account(a.id)?
                        .map(|(a, st)| FormRecord::Account(a, st.version)),
                    FormRecord::Person(p, _) => self
                        .store
                        .reader()
                        .person(p.id)?
                        .map(|(p, st)| FormRecord::Person(p, st.version)),
                };
                let mut clashes = String::new();
                match (latest, &mut self.popup) {
                    (Some(latest), Some(Popup::Edit(form))) => {
                        form.rebase(latest);
                        for (label, theirs) in form.clashes() {
                            let theirs = crate::text::truncate(theirs, 30);
                            clashes.push_str(&[" ", label, " “", &theirs, "”;"].concat());
                        }
                    }
                    _ => self.popup = None,
                }
                let theirs = if clashes.is_empty() {
                    " their changes are in the form;".to_string()
                } else {
                    format!(" theirs:{clashes}")
                };
                self.status = Some((
                    format!(
                        "Conflict: {what} was changed elsewhere; nothing overwritten —{theirs} Ctrl-S saves only the fields you changed, Esc drops yours"
                    ),
                    StatusKind::Error,
                ));
                return Ok(Some(Action::Refresh));
            }
            Err(e) => return Err(e),
        }
        Ok(Some(Action::Refresh))
    }
}
