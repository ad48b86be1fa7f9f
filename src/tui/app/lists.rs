//! Going to a main screen: the stack is always the agenda, then at most one list, then what
//! was opened from it. Going back to a list that is already open keeps its filter, sort and
//! selection; any other list starts fresh.

use super::App;
use crate::tui::action::ScreenKind;
use crate::tui::screens::View;
use crate::tui::screens::coverage::CoverageView;
use crate::tui::screens::insights::InsightsView;
use crate::tui::screens::list::{Accounts, ListView, People};
use crate::tui::screens::pipeline::PipelineView;

impl App {
    /// Shows `screen` right above the agenda (or the agenda alone).
    pub(super) fn go(&mut self, screen: ScreenKind) {
        if screen == ScreenKind::Agenda {
            self.stack.truncate(1);
        } else if self.stack.get(1).and_then(|v| v.screen()) == Some(screen) {
            self.stack.truncate(2);
        } else {
            let view: Box<dyn View> = match screen {
                ScreenKind::People => Box::new(ListView::<People>::new()),
                ScreenKind::Deals => Box::new(PipelineView::new()),
                ScreenKind::Insights => Box::new(InsightsView::new()),
                ScreenKind::Coverage => Box::new(CoverageView::new()),
                _ => Box::new(ListView::<Accounts>::new()),
            };
            self.stack.truncate(1);
            self.stack.push(view);
        }
        self.reload();
    }
}
