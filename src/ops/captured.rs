//! A command typed in the TUI's capture popup, whose draft (the text kept while typing) goes
//! with it: the draft is removed in the command's own transaction, so a saved capture is never
//! offered back and a failed one keeps its draft. Drafts are not journaled ([`super::drafts`]):
//! undoing the command does not bring its draft back.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::Id;

/// `command`, then the draft `draft` thrown away (0: none was kept yet).
pub struct WithDraft {
    pub command: Box<dyn Command>,
    pub draft: Id,
}

impl Command for WithDraft {
    fn name(&self) -> &'static str {
        self.command.name()
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let outcome = self.command.apply(tx)?;
        if self.draft != 0 {
            tx.w().discard_draft(self.draft)?;
        }
        Ok(outcome)
    }
}
