//! Power-map links from a person dossier: `L` chooses a kind, then a person (nucleo-ranked
//! names, as in the capture picker), and `Enter` adds the link; `x`/`Del` on the Links tab
//! asks, then removes the selected link. The popups are components replying with
//! [`crate::ops::AddLink`] / [`crate::ops::RemoveLink`]: a link that already exists is not added
//! twice, one already removed elsewhere is reported — by `ops`, as the CLI says it.

use super::{App, Popup};
use crate::domain::{LinkKind, Vocabulary};
use crate::tui::linking::{Unlink, label};
use crate::tui::popup::{Chooser, Pick};
use crate::tui::screens::Selection;
use crate::tui::screens::dossier::Dossier;

impl App {
    /// The person `L` links from: the person dossier's, or the one selected on an account's
    /// People or Map tab.
    fn link_from(&self) -> Option<(i64, String)> {
        match (self.top().dossier(), self.top().selection()) {
            (Some(Dossier::Person(p)), _) => Some((p.person.id, p.person.name.clone())),
            (Some(Dossier::Account(a)), Some(Selection::Person(id))) => {
                let inside = a.map.people.iter().find(|p| p.id == id).map(|p| &p.name);
                let outside = a.map.outside.iter().find(|o| o.id == id).map(|o| &o.name);
                inside.or(outside).map(|name| (id, name.clone()))
            }
            _ => None,
        }
    }

    /// `L`: the chooser of a link kind, for the person of the dossier or the one selected.
    pub(super) fn start_link(&mut self) {
        let Some((from, name)) = self.link_from() else {
            self.nothing_selected(
                "Select a person (People or Map tab) to link them, or open their dossier",
            );
            return;
        };
        let title = format!("{name} —?→ someone");
        let kinds = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
        let pick = Pick::LinkKind {
            from,
            from_name: name,
        };
        self.popup = Some(Popup::Component(Box::new(Chooser::new(
            pick, title, kinds, None,
        ))));
    }

    /// `x`: asks before removing the link selected on the Links tab.
    pub(super) fn ask_unlink(&mut self) {
        let (Some(Selection::Link { id, .. }), Some(Dossier::Person(p))) =
            (self.top().selection(), self.top().dossier())
        else {
            self.nothing_selected("Select a link on the Links tab to remove it");
            return;
        };
        let Some((l, other)) = p.links.iter().find(|(l, _)| l.id == id) else {
            return;
        };
        let me = &p.person.name;
        let (from_name, to_name) = if l.from == p.person.id {
            (me, other)
        } else {
            (other, me)
        };
        let unlink = Unlink {
            from: l.from,
            to: l.to,
            kind: l.kind,
            labels: (label(l.from, from_name), label(l.to, to_name)),
            text: format!("{from_name} —{}→ {to_name}", l.kind.as_str()),
        };
        self.popup = Some(Popup::Component(Box::new(unlink)));
    }
}
