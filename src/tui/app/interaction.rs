//! The interaction screen's share of the actions: `Enter` on a timeline entry or a search hit
//! opens it ([`Action::OpenInteraction`]); `e` on it opens its edit popup (a component that
//! replies an `ops` command, run by `components.rs`).

use super::{App, Popup};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::interaction_edit::InteractionEdit;
use crate::tui::screens::interaction::InteractionView;

impl App {
    /// Opening an interaction, and `e` on the interaction screen.
    pub(super) fn interaction_action(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        if self.popup.is_some() {
            return None;
        }
        match action {
            Action::OpenInteraction(id) => {
                self.stack.push(Box::new(InteractionView::new(id)));
                self.reload();
                Some(Ok(None))
            }
            Action::Edit => {
                let edit = InteractionEdit::new(self.top().interaction()?);
                self.popup = Some(Popup::Component(Box::new(edit)));
                Some(Ok(None))
            }
            _ => None,
        }
    }
}
