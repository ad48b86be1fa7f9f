//! The people of a deal on the deal screen (issue 14.3), as a component: `p` opens it over the
//! deal; type a name and pick the role with Tab to add someone (`Enter`), or select a person
//! listed and press `Delete` to take that role away. It never writes: it replies the `ops`
//! command ([`ops::AddDealPerson`], [`ops::RemoveDealPerson`]) the app runs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::RenderCtx;
use crate::domain::{DealRole, Id, Vocabulary};
use crate::ops;
use crate::store::{DealPersonRow, Reader, StoreError, TargetKind};
use crate::text::{sanitize_line, truncate};
use crate::tui::action::Action;
use crate::tui::app::StatusKind;
use crate::tui::component::{Component, PopupCtx, Reply};
use crate::tui::keymap::{Binding, Key};
use crate::tui::popup::centered;

/// Names offered when a typed name matches several people.
const SHOWN: u32 = 5;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "add the person typed in the role",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "next role",
        action: Action::NextTab,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        label: "S-Tab",
        help: "previous role",
        action: Action::PrevTab,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓",
        help: "next person listed",
        action: Action::Down,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "previous person listed",
        action: Action::Up,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Delete)],
        label: "Del",
        help: "take the selected role away",
        action: Action::RemoveDealPerson,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "close",
        action: Action::Back,
        footer: true,
    },
];

/// The people of one deal, and the person being added.
pub struct DealPeoplePopup {
    deal: Id,
    /// "#d3 Tender 2027".
    label: String,
    people: Vec<DealPersonRow>,
    /// The selected person listed.
    cursor: usize,
    /// The role the person typed is added in (an index into [`DealRole::ALL`]).
    role: usize,
    name: String,
}

impl DealPeoplePopup {
    /// Reads the deal's people.
    pub fn open(reader: &Reader<'_>, deal: Id, label: String) -> Result<Self, StoreError> {
        Ok(DealPeoplePopup {
            deal,
            label,
            people: reader.deal_people(deal)?,
            cursor: 0,
            role: 0,
            name: String::new(),
        })
    }

    fn role(&self) -> DealRole {
        DealRole::ALL[self.role % DealRole::ALL.len()]
    }

    /// The one person the typed name means, or what to say instead.
    fn person(&self, reader: &Reader<'_>) -> Result<Id, String> {
        let typed = self.name.trim();
        let found = reader
            .match_names(&[TargetKind::Person], typed, SHOWN)
            .map_err(|e| e.to_string())?;
        let exact: Vec<_> = found.iter().filter(|c| c.exact).collect();
        match (exact.as_slice(), found.as_slice()) {
            ([one], _) => Ok(one.id),
            ([], [one]) => Ok(one.id),
            (_, []) => Err(format!("Nobody is called \"{}\"", sanitize_line(typed))),
            _ => Err(format!(
                "\"{}\" matches {}: type more of the name",
                sanitize_line(typed),
                found
                    .iter()
                    .map(|c| sanitize_line(&c.name).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

impl Component for DealPeoplePopup {
    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        let roles = DealRole::ALL.len();
        match action {
            Action::Back => Reply::Close,
            Action::NextTab => {
                self.role = (self.role + 1) % roles;
                Reply::Stay
            }
            Action::PrevTab => {
                self.role = (self.role + roles - 1) % roles;
                Reply::Stay
            }
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.people.len().saturating_sub(1));
                Reply::Stay
            }
            Action::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Reply::Stay
            }
            Action::Save if self.name.trim().is_empty() => Reply::Say(
                "Type the name of the person to add (Tab picks the role)".into(),
                StatusKind::Error,
            ),
            Action::Save => match self.person(ctx.reader) {
                Ok(person) => Reply::Run(Box::new(ops::AddDealPerson {
                    deal: self.deal,
                    person,
                    role: self.role(),
                    uid: crate::capture::new_uid(),
                })),
                Err(said) => Reply::Say(said, StatusKind::Error),
            },
            Action::RemoveDealPerson => match self.people.get(self.cursor) {
                Some(row) => Reply::Run(Box::new(ops::RemoveDealPerson {
                    deal: self.deal,
                    person: row.role.person,
                    role: Some(row.role.role),
                })),
                None => Reply::Say("Nobody to take away yet".into(), StatusKind::Error),
            },
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.name.push(c);
            }
            KeyCode::Backspace => {
                self.name.pop();
            }
            _ => {}
        }
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        if self.people.is_empty() {
            lines.push(Line::from(Span::styled(" Nobody named yet.", theme.dim())));
        }
        for (i, p) in self.people.iter().enumerate() {
            let line = Line::from(format!(
                " {:<21} {}",
                p.role.role.as_str(),
                truncate(&sanitize_line(&p.name), 36)
            ));
            lines.push(if i == self.cursor {
                line.style(theme.selected())
            } else {
                line
            });
        }
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::raw(" Add "),
            Span::raw(sanitize_line(&self.name).into_owned()),
            Span::styled("█", theme.dim()),
            Span::raw(format!(" as {}", self.role().as_str())),
        ]));
        lines.push(Line::from(Span::styled(
            " Enter: add · Tab: role · ↑↓ Del: take away · Esc: close",
            theme.dim(),
        )));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, 72, height);
        Clear.render(rect, buf);
        let title = truncate(&sanitize_line(&self.label), 50).into_owned();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" People of {title} ")))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Account, Deal, DealPerson, Extra, Person};
    use crate::store::Store;

    fn now() -> chrono::DateTime<chrono::Local> {
        chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00")
            .unwrap()
            .with_timezone(&chrono::Local)
    }

    /// A deal with Ana as its decision maker; Ana Puig, Ana Soler and Iván in the notebook.
    fn notebook() -> (Store, Id) {
        let mut store = Store::open_in_memory().unwrap();
        let deal = store
            .write(now().fixed_offset(), |w| {
                let account = w.upsert_account(
                    &Account {
                        uid: "a".into(),
                        name: "Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                let mut ids = Vec::new();
                for (uid, name) in [("p1", "Ana Puig"), ("p2", "Ana Soler"), ("p3", "Iván Ruiz")] {
                    ids.push(w.upsert_person(
                        &Person {
                            uid: uid.into(),
                            name: name.into(),
                            ..Person::default()
                        },
                        None,
                        None,
                    )?);
                }
                let deal = w.upsert_deal(
                    &Deal {
                        id: 0,
                        uid: "d".into(),
                        account,
                        title: "Tender".into(),
                        kind: None,
                        stage: None,
                        value: None,
                        currency: None,
                        probability: None,
                        close: None,
                        commission_rate: None,
                        milestones: Vec::new(),
                        notes: None,
                        extra: Extra::new(),
                    },
                    None,
                    None,
                )?;
                w.upsert_deal_person(&DealPerson {
                    id: 0,
                    uid: "dp".into(),
                    deal,
                    person: ids[0],
                    role: DealRole::DecisionMaker,
                })?;
                Ok(deal)
            })
            .unwrap();
        (store, deal)
    }

    fn typed(popup: &mut DealPeoplePopup, text: &str, ctx: &PopupCtx<'_, '_>) {
        for c in text.chars() {
            popup.input(&KeyEvent::from(KeyCode::Char(c)), ctx);
        }
    }

    #[test]
    fn enter_adds_the_person_typed_in_the_role_picked_and_del_takes_one_away() {
        let (mut store, deal) = notebook();
        let mut popup = DealPeoplePopup::open(&store.reader(), deal, "#d1 Tender".into()).unwrap();
        let reader = store.reader();
        let ctx = PopupCtx {
            now: now(),
            reader: &reader,
            compliance: &crate::config::ComplianceConfig::default(),
        };
        // An ambiguous name is said, not guessed.
        typed(&mut popup, "ana", &ctx);
        match popup.handle(Action::Save, &ctx) {
            Reply::Say(said, StatusKind::Error) => assert!(said.contains("Ana Soler"), "{said}"),
            _ => panic!("an ambiguous name must be said"),
        }
        popup.name.clear();
        typed(&mut popup, "ivan", &ctx);
        popup.handle(Action::NextTab, &ctx);
        assert_eq!(popup.role(), DealRole::EvaluationCommittee);
        let Reply::Run(add) = popup.handle(Action::Save, &ctx) else {
            panic!("Enter on a name runs the add");
        };
        let outcome = crate::ops::run(&mut store, now().fixed_offset(), add.as_ref()).unwrap();
        assert_eq!(
            outcome.message,
            "Added Iván Ruiz to #d1 Tender as evaluation-committee"
        );

        let mut popup = DealPeoplePopup::open(&store.reader(), deal, "#d1 Tender".into()).unwrap();
        let reader = store.reader();
        let ctx = PopupCtx {
            now: now(),
            reader: &reader,
            compliance: &crate::config::ComplianceConfig::default(),
        };
        popup.handle(Action::Down, &ctx);
        let Reply::Run(remove) = popup.handle(Action::RemoveDealPerson, &ctx) else {
            panic!("Del on a person runs the removal");
        };
        assert_eq!(remove.name(), "deal person remove");
        let outcome = crate::ops::run(&mut store, now().fixed_offset(), remove.as_ref()).unwrap();
        assert_eq!(
            outcome.message,
            "Removed Ana Puig (decision-maker) from #d1 Tender"
        );
    }
}
