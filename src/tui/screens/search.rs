//! The search screen (`/` or Ctrl-F): a query line that searches as you type — the word being
//! typed is a prefix — and the best matches, two lines each: what it is (reference, kind,
//! title, account, date) and a snippet with the matched words in the theme's accent.
//!
//! Typing only edits the query and marks it [`View::pending`]: the event loop runs the search
//! once the keys pause ([`crate::tui`]'s debounce), so a fast typist never waits for a search
//! per key on a big notebook. `Enter` opens the selected record: an account or a person its
//! dossier; an interaction (note, call, meeting...) the interaction screen, in full; a
//! follow-up its person (else its account), as on the agenda; a deal its account; a plan its
//! account or person.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::domain::Vocabulary;
use crate::search::HitKind;
use crate::store::{Fragment, SearchHit, TargetKind};
use crate::text::{fit, sanitize_line, truncate, width};
use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key};

/// Matches asked for (the screen shows what fits).
pub const LIMIT: u32 = 50;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "open",
        action: Action::OpenSelected,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "back",
        action: Action::Back,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓",
        help: "next match",
        action: Action::Down,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "previous match",
        action: Action::Up,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown)],
        label: "PgDn",
        help: "page down",
        action: Action::PageDown,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        label: "PgUp",
        help: "page up",
        action: Action::PageUp,
        footer: false,
    },
    Binding {
        keys: &[Key::ctrl('c')],
        label: "Ctrl-C",
        help: "quit",
        action: Action::Quit,
        footer: false,
    },
];

const HINT: &str =
    "words, \"a phrase\", word*, account:NAME person:NAME kind:call after:-30d before:2026-01-01";

/// The state of the search screen.
#[derive(Default)]
pub struct SearchView {
    query: String,
    /// What the shown hits were found for.
    searched: String,
    hits: Vec<SearchHit>,
    /// Why the query could not run (a filter naming nobody, a bad date).
    error: Option<String>,
    /// The selected hit, followed by record (kind, id) while the same query is reloaded.
    cursor: Cursor<(HitKind, i64)>,
    /// The query changed since the last search.
    pending: bool,
}

impl SearchView {
    pub fn new() -> Self {
        Self::default()
    }

    fn edit(&mut self, key: &KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.query.clear(),
            KeyCode::Char('w') if ctrl => {
                let keep = self.query.trim_end().rfind(' ').map_or(0, |i| i + 1);
                self.query.truncate(keep);
            }
            KeyCode::Char(c) if !ctrl => self.query.push(c),
            KeyCode::Backspace => {
                self.query.pop()?;
            }
            _ => return None,
        }
        self.pending = true;
        None
    }

    fn selected(&self) -> Option<&SearchHit> {
        self.hits.get(self.cursor.selected()?)
    }

    fn keys(&self) -> Vec<(HitKind, i64)> {
        self.hits.iter().map(|h| (h.kind, h.id)).collect()
    }

    fn hit_lines(hit: &SearchHit, cells: usize, ctx: &RenderCtx) -> [Line<'static>; 2] {
        let theme = ctx.theme;
        let reference = hit.kind.reference(hit.id);
        let kind = match (hit.kind, hit.interaction_kind) {
            (HitKind::Interaction, Some(k)) => k.as_str(),
            (k, _) => k.noun(),
        };
        let mut rest: Vec<String> = Vec::new();
        if let Some(t) = &hit.title {
            rest.push(t.clone());
        }
        let context = match hit.kind {
            HitKind::Account => None,
            HitKind::Person => hit.account.as_ref(),
            _ => hit.account.as_ref().or(hit.person.as_ref()),
        };
        if let Some(c) = context {
            rest.push(c.name.clone());
        }
        let date = hit
            .date
            .map(|d| d.format(" %Y-%m-%d").to_string())
            .unwrap_or_default();
        let head = format!(" {reference:<8} {kind:<11} ");
        let room = cells.saturating_sub(width(&head) + width(&date));
        let first = Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::styled(fit(&sanitize_line(&rest.join(" · ")), room), theme.text()),
            Span::styled(date, theme.dim()),
        ]);
        let mut spans = vec![Span::raw("   ")];
        let mut left = cells.saturating_sub(3);
        for Fragment { text, hit } in &hit.snippet {
            if left == 0 {
                break;
            }
            let shown = sanitize_line(text);
            let cut = truncate(&shown, left).into_owned();
            left = left.saturating_sub(width(&cut));
            let style = if *hit { theme.accent() } else { theme.dim() };
            spans.push(Span::styled(cut, style));
        }
        [first, Line::from(spans)]
    }
}

impl View for SearchView {
    fn title(&self) -> String {
        "Search".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn typing(&self) -> bool {
        true
    }

    fn pending(&self) -> bool {
        self.pending
    }

    fn need(&self) -> Need {
        Need::Search {
            query: self.query.clone(),
            limit: LIMIT,
        }
    }

    fn accept(&mut self, data: Loaded) {
        let Loaded::Search { query, found } = data else {
            return;
        };
        self.pending = query != self.query;
        match found {
            Ok(hits) => {
                self.hits = hits;
                self.error = None;
            }
            Err(message) => {
                self.hits.clear();
                self.error = Some(message);
            }
        }
        // The same record stays selected when it is still found (a reload of the same query;
        // gone: nothing selected), a new query selects the best.
        let keys = self.keys();
        if query == self.searched {
            self.cursor.follow(&keys);
        } else {
            self.cursor.select(0, &keys);
        }
        self.searched = query;
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        let moves = matches!(
            action,
            Action::Down | Action::Up | Action::PageDown | Action::PageUp
        );
        if moves {
            self.cursor.step(action, 5, &self.keys());
            return None;
        }
        match action {
            Action::Input(key) => return self.edit(&key),
            Action::OpenSelected => {
                // A note, call, meeting... opens in full; anything else its dossier.
                if let Some(hit) = self.selected().filter(|h| h.kind == HitKind::Interaction) {
                    return Some(Action::OpenInteraction(hit.id));
                }
                return self.selection().and_then(Selection::open);
            }
            _ => {}
        }
        None
    }

    fn gone(&self) -> bool {
        self.cursor.gone()
    }

    fn selection(&self) -> Option<Selection> {
        let hit = self.selected()?;
        let account = hit.account.as_ref().map(|a| a.id);
        let person = hit.person.as_ref().map(|p| p.id);
        let target = match hit.kind {
            HitKind::Account => Some((TargetKind::Account, hit.id)),
            HitKind::Person => Some((TargetKind::Person, hit.id)),
            HitKind::FollowUp => person
                .map(|p| (TargetKind::Person, p))
                .or(account.map(|a| (TargetKind::Account, a))),
            HitKind::Interaction | HitKind::Deal | HitKind::Plan => account
                .map(|a| (TargetKind::Account, a))
                .or(person.map(|p| (TargetKind::Person, p))),
        };
        target.map(|(kind, id)| match kind {
            TargetKind::Person => Selection::Person(id),
            _ => Selection::Account(id),
        })
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let cells = usize::from(area.width);
        let theme = ctx.theme;
        let count = if self.query.trim().is_empty() {
            String::new()
        } else if self.pending {
            " … ".to_string()
        } else {
            match self.hits.len() {
                1 => " 1 match ".to_string(),
                n if n >= LIMIT as usize => format!(" best {n} "),
                n => format!(" {n} matches "),
            }
        };
        let room = cells.saturating_sub(width(&count));
        let mut lines = vec![Line::from(vec![
            Span::styled(
                fit(&format!(" Search: {}▏", sanitize_line(&self.query)), room),
                theme.accent(),
            ),
            Span::styled(count, theme.dim()),
        ])];
        if let Some(error) = &self.error {
            lines.push(Line::from(Span::styled(
                fit(&format!(" {}", sanitize_line(error)), cells),
                theme.alert(),
            )));
        } else if self.query.trim().is_empty() {
            lines.push(Line::from(Span::styled(
                fit(&format!(" {HINT}"), cells),
                theme.dim(),
            )));
        } else if self.hits.is_empty() && !self.pending {
            let text = format!(" No matches for “{}”.", self.searched);
            lines.push(Line::from(Span::styled(
                fit(&sanitize_line(&text), cells),
                theme.dim(),
            )));
        } else {
            lines.push(Line::default());
        }
        let rows = usize::from(area.height).saturating_sub(lines.len()) / 2;
        let top = (self.cursor.row() + 1).saturating_sub(rows);
        let highlighted = self.cursor.selected();
        for (at, hit) in self.hits.iter().enumerate().skip(top).take(rows) {
            let [first, second] = Self::hit_lines(hit, cells, ctx);
            if Some(at) == highlighted {
                lines.push(first.style(theme.selected()));
                lines.push(second.style(Style::default().patch(theme.selected())));
            } else {
                lines.push(first);
                lines.push(second);
            }
        }
        Paragraph::new(lines).render(area, buf);
    }
}
