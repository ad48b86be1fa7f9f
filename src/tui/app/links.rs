//! Power-map links from a person dossier: `L` chooses a kind, then a person (nucleo-ranked
//! names, as in the capture picker), and `Enter` writes the link; `x`/`Del` on the Links tab
//! asks, then removes the selected link. A link that already exists is not added twice (checked
//! in the write transaction); one already removed elsewhere is reported, not an error.

use super::{App, Popup, StatusKind};
use crate::domain::{Extra, Link, LinkKind, Vocabulary};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::data;
use crate::tui::linking::{LinkPicker, Unlink};
use crate::tui::popup::{Chooser, Field};
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
        let Some((_, name)) = self.link_from() else {
            self.nothing_selected(
                "Select a person (People or Map tab) to link them, or open their dossier",
            );
            return;
        };
        let title = format!("{} —?→ someone", crate::text::truncate(&name, 20));
        let kinds = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
        self.popup = Some(Popup::Choose(Chooser::new(
            Field::LinkKind,
            title,
            kinds,
            None,
        )));
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
        let text = if l.from == p.person.id {
            format!("{} —{}→ {other}", p.person.name, l.kind.as_str())
        } else {
            format!("{other} —{}→ {}", l.kind.as_str(), p.person.name)
        };
        self.popup = Some(Popup::Unlink(Unlink { link: id, text }));
    }

    /// The actions of the link popups while one is open; `None` for the others.
    pub(super) fn link_action(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        match (&mut self.popup, action) {
            (Some(Popup::Choose(c)), Action::Save) if c.field == Field::LinkKind => {
                let kind = c.picked().and_then(|k| k.parse::<LinkKind>().ok());
                // The selection cannot move while the chooser is open.
                let from = self.link_from();
                self.popup = match (kind, from) {
                    (Some(kind), Some((id, name))) => {
                        Some(Popup::LinkPerson(Box::new(LinkPicker::new(id, name, kind))))
                    }
                    _ => None,
                };
            }
            (Some(Popup::LinkPerson(p)), Action::Up) => p.picker.up(),
            (Some(Popup::LinkPerson(p)), Action::Down) => p.picker.down(),
            (Some(Popup::LinkPerson(p)), Action::Input(key)) => {
                if let Some(query) = p.key(&key) {
                    match data::candidates(&self.store.reader(), &query) {
                        Ok(found) => {
                            if let Some(Popup::LinkPerson(p)) = &mut self.popup {
                                p.set_candidates(found);
                            }
                        }
                        Err(e) => return Some(Err(e)),
                    }
                }
            }
            (Some(Popup::LinkPerson(_)), Action::Save) => return Some(self.save_link()),
            (Some(Popup::Unlink(_)), Action::Save) => return Some(self.unlink()),
            (Some(Popup::LinkPerson(_) | Popup::Unlink(_)), Action::Back) => self.popup = None,
            (Some(Popup::LinkPerson(_) | Popup::Unlink(_)), Action::Quit) => {
                return None;
            }
            (Some(Popup::LinkPerson(_) | Popup::Unlink(_)), _) => {}
            _ => return None,
        }
        Some(Ok(None))
    }

    fn save_link(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Popup::LinkPerson(p)) = &self.popup else {
            return Ok(None);
        };
        let Some(to) = p.chosen().cloned() else {
            self.status = Some(("Type a name and pick a person".into(), StatusKind::Info));
            return Ok(None);
        };
        let (from, from_name, kind) = (p.from, p.from_name.clone(), p.kind);
        if let Err(e) = crate::domain::check_link_ends(from, to.id) {
            self.status = Some((format!("Not linked — {e}"), StatusKind::Error));
            return Ok(None);
        }
        let link = Link {
            id: 0,
            uid: uuid::Uuid::new_v4().to_string(),
            from,
            to: to.id,
            kind,
            note: None,
            extra: Extra::new(),
        };
        let now = self.clock.now().fixed_offset();
        let added = self.store.write(now, |w| {
            if w.link_exists(from, to.id, kind)? {
                return Ok(false);
            }
            w.upsert_link(&link)?;
            Ok(true)
        })?;
        self.popup = None;
        let words = format!("{from_name} —{}→ {}", kind.as_str(), to.name);
        self.status = Some(if added {
            (format!("Linked: {words}"), StatusKind::Info)
        } else {
            (format!("Already there: {words}"), StatusKind::Info)
        });
        Ok(Some(Action::Refresh))
    }

    fn unlink(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Popup::Unlink(u)) = self.popup.take() else {
            return Ok(None);
        };
        let now = self.clock.now().fixed_offset();
        let removed = self.store.write(now, |w| w.delete_link(u.link))?;
        self.top_mut().release();
        self.status = Some(if removed {
            (format!("Removed: {}", u.text), StatusKind::Info)
        } else {
            (
                "That link was already removed elsewhere".into(),
                StatusKind::Info,
            )
        });
        Ok(Some(Action::Refresh))
    }
}
