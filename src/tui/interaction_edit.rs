//! `e` on the interaction screen: a component popup editing an interaction's title, time,
//! people and text — the text in a wrapping multi-line editor (`Ctrl-E` hands it to
//! `$EDITOR`). It never writes: `Ctrl-S` replies [`crate::ops::EditInteraction`] with the
//! fields the user changed and the version shown, which the app runs (a change made elsewhere
//! meanwhile is a conflict, never overwritten). `Esc` on a changed popup asks first.

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::action::Action;
use super::app::StatusKind;
use super::capture::picker::rank;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::Binding;
use super::popup::centered;
use super::screens::RenderCtx;
use super::theme::Theme;
use crate::domain::{Id, RecordKind, RecordRef};
use crate::ops::EditInteraction;
use crate::store::{Candidate, InteractionRecord, TargetKind};
use crate::text::{fit, sanitize_line, truncate, width};
use crate::tui::cells::{defang, tail};

/// Width of the labels column.
const LABEL: usize = 8;
/// Names listed under the people field while a name is typed.
const SHOWN: usize = 4;

/// A field of the popup, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    When,
    People,
    Text,
}

const FIELDS: [Field; 4] = [Field::Title, Field::When, Field::People, Field::Text];

/// The edit popup's state.
pub struct InteractionEdit {
    id: Id,
    version: i64,
    kind: &'static str,
    /// What the popup opened with, to write only what changed.
    opened: Opened,
    title: String,
    when: String,
    /// The people as edited: (id, name).
    people: Vec<(Id, String)>,
    /// The person chip selected (with an empty query: `Del` takes them off).
    chip: usize,
    query: String,
    candidates: Vec<Candidate>,
    pick: usize,
    text: TextArea<'static>,
    focus: Field,
    /// `Esc` was pressed with changes: "discard? y/n".
    confirming: bool,
}

struct Opened {
    title: String,
    when: String,
    people: Vec<Id>,
    text: String,
}

fn text_area(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(text.lines().map(str::to_string).collect());
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.set_cursor_line_style(Style::default());
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

impl InteractionEdit {
    /// Opens on `record` as shown (its version is what the save checks).
    pub fn new(record: &InteractionRecord) -> Self {
        let i = &record.interaction;
        let when =
            i.at.with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string();
        let title = i.title.clone().unwrap_or_default();
        let body = i.body.clone().unwrap_or_default();
        let text = text_area(&body);
        // What the editor holds of it (a final newline dropped), so an untouched text is
        // not a change.
        let body = text.lines().join("\n");
        let mut edit = InteractionEdit {
            id: i.id,
            version: record.version,
            kind: crate::domain::Vocabulary::as_str(i.kind),
            opened: Opened {
                title: title.clone(),
                when: when.clone(),
                people: record.people.iter().map(|(p, _)| *p).collect(),
                text: body,
            },
            title,
            when,
            people: record.people.clone(),
            chip: 0,
            query: String::new(),
            candidates: Vec::new(),
            pick: 0,
            text,
            focus: Field::Text,
            confirming: false,
        };
        edit.show_focus();
        edit
    }

    fn text(&self) -> String {
        self.text.lines().join("\n")
    }

    fn changed(&self) -> bool {
        self.title != self.opened.title
            || self.when.trim() != self.opened.when
            || self.text() != self.opened.text
            || self.people.iter().map(|(p, _)| *p).collect::<Vec<_>>() != self.opened.people
    }

    fn show_focus(&mut self) {
        self.text.set_cursor_style(if self.focus == Field::Text {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        });
    }

    fn move_focus(&mut self, forward: bool) {
        let at = FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = FIELDS.len();
        self.focus = FIELDS[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
        self.show_focus();
    }

    /// The command for what was changed, or why it cannot be saved.
    fn command(&self, now: &DateTime<Local>) -> Result<Option<EditInteraction>, String> {
        let changed = |a: &str, b: &str| (a != b).then(|| a.to_string());
        let at = if self.when.trim() == self.opened.when {
            None
        } else {
            Some(crate::capture::moment_of(self.when.trim(), now).map_err(|e| e.to_string())?)
        };
        let now_people: Vec<Id> = self.people.iter().map(|(p, _)| *p).collect();
        let edit = EditInteraction {
            id: self.id,
            version: Some(self.version),
            title: changed(&self.title, &self.opened.title),
            text: changed(&self.text(), &self.opened.text),
            outcome: None,
            at,
            with: now_people
                .iter()
                .filter(|p| !self.opened.people.contains(p))
                .copied()
                .collect(),
            without: self
                .opened
                .people
                .iter()
                .filter(|p| !now_people.contains(p))
                .copied()
                .collect(),
        };
        let nothing = edit.title.is_none()
            && edit.text.is_none()
            && edit.at.is_none()
            && edit.with.is_empty()
            && edit.without.is_empty();
        Ok((!nothing).then_some(edit))
    }

    /// A key for the people field: a name typed looks people up; `Enter` adds the one
    /// highlighted; with nothing typed, `←`/`→` pick a person and `Del`/`Backspace` take
    /// them off.
    fn people_key(&mut self, key: &KeyEvent, ctx: &PopupCtx<'_, '_>) -> Reply {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.look_up(ctx);
            }
            KeyCode::Backspace if !self.query.is_empty() => {
                self.query.pop();
                self.look_up(ctx);
            }
            KeyCode::Backspace | KeyCode::Delete if self.chip < self.people.len() => {
                self.people.remove(self.chip);
                self.chip = self.chip.min(self.people.len().saturating_sub(1));
            }
            KeyCode::Left => self.chip = self.chip.saturating_sub(1),
            KeyCode::Right => {
                self.chip = (self.chip + 1).min(self.people.len().saturating_sub(1));
            }
            KeyCode::Up => self.pick = self.pick.saturating_sub(1),
            KeyCode::Down => {
                self.pick = (self.pick + 1).min(self.candidates.len().saturating_sub(1));
            }
            KeyCode::Enter => {
                if let Some(c) = self.candidates.get(self.pick) {
                    if !self.people.iter().any(|(p, _)| *p == c.id) {
                        self.people.push((c.id, c.name.clone()));
                    }
                    self.chip = self.people.len().saturating_sub(1);
                    self.query.clear();
                    self.candidates.clear();
                    self.pick = 0;
                }
            }
            _ => {}
        }
        Reply::Stay
    }

    /// The people whose names match what is typed, best first.
    fn look_up(&mut self, ctx: &PopupCtx<'_, '_>) {
        self.pick = 0;
        if self.query.trim().is_empty() {
            self.candidates.clear();
            return;
        }
        match crate::tui::data::candidates(ctx.reader, &self.query) {
            Ok(found) => {
                let people = found
                    .into_iter()
                    .filter(|c| c.kind == TargetKind::Person)
                    .collect();
                self.candidates = rank(&self.query, people);
            }
            Err(_) => self.candidates.clear(),
        }
    }
}

impl Component for InteractionEdit {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::POPUP
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back if self.confirming => {
                self.confirming = false;
                Reply::Stay
            }
            Action::Back if self.changed() => {
                self.confirming = true;
                Reply::Stay
            }
            Action::Back => Reply::Close,
            Action::NextTab => {
                self.move_focus(true);
                Reply::Stay
            }
            Action::PrevTab => {
                self.move_focus(false);
                Reply::Stay
            }
            Action::Save => match self.command(&ctx.now) {
                Ok(Some(edit)) => Reply::Run(Box::new(edit)),
                Ok(None) => Reply::Say(
                    "Nothing to save: nothing was changed (Esc closes)".into(),
                    StatusKind::Info,
                ),
                Err(message) => {
                    self.focus = Field::When;
                    self.show_focus();
                    Reply::Say(format!("Not saved — when: {message}"), StatusKind::Error)
                }
            },
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, ctx: &PopupCtx<'_, '_>) -> Reply {
        if self.confirming {
            return match key.code {
                KeyCode::Char('y' | 'Y') => Reply::Close,
                KeyCode::Char('n' | 'N') => {
                    self.confirming = false;
                    Reply::Stay
                }
                _ => Reply::Stay,
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let line = |s: &mut String| match key.code {
            KeyCode::Char(c) if !ctrl => s.push(c),
            KeyCode::Backspace => {
                s.pop();
            }
            _ => {}
        };
        match self.focus {
            Field::Title => line(&mut self.title),
            Field::When => line(&mut self.when),
            Field::People => return self.people_key(key, ctx),
            Field::Text => {
                self.text.input(*key);
            }
        }
        if key.code == KeyCode::Enter && self.focus != Field::Text {
            self.move_focus(true);
        }
        Reply::Stay
    }

    fn editor_text(&self) -> Option<String> {
        // A text file ends with a newline (taken off again when it comes back).
        Some(format!("{}\n", self.text()))
    }

    fn editor_returned(&mut self, text: String) {
        self.text = text_area(text.trim_end_matches(['\n', '\r']));
        self.focus = Field::Text;
        self.show_focus();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(84),
            area.height.saturating_sub(2).min(24),
        );
        Clear.render(rect, buf);
        let title = format!(
            " Edit {} {} ",
            self.kind,
            RecordRef::of(RecordKind::Interaction, self.id)
        );
        let block = Block::bordered().title(title);
        let inner = block.inner(rect);
        block.render(rect, buf);
        let listing = self.focus == Field::People && !self.query.is_empty();
        let list = if listing {
            u16::try_from(self.candidates.len().clamp(1, SHOWN)).unwrap_or(1)
        } else {
            0
        };
        let [
            title_row,
            when_row,
            preview_row,
            people_row,
            list_rows,
            text_row,
            message_row,
            hint_row,
        ] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(list),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let cells = usize::from(inner.width);
        self.render_lines([title_row, when_row, preview_row], buf, ctx);
        self.render_people(people_row, list_rows, buf, ctx);
        let text_area = {
            let [tag, body] = Layout::horizontal([
                Constraint::Length(u16::try_from(LABEL + 1).unwrap_or(9)),
                Constraint::Min(1),
            ])
            .areas(text_row);
            Paragraph::new(self.label(Field::Text, "Text", ctx.theme)).render(tag, buf);
            body
        };
        (&self.text).render(text_area, buf);
        defang(text_area, buf);
        let message = if self.confirming {
            Span::styled(fit("Discard the changes? y/n", cells), theme.alert())
        } else {
            Span::raw("")
        };
        Paragraph::new(message).render(message_row, buf);
        let hint = match self.focus {
            Field::People => "type a name, Enter adds · ←/→ Del takes off · Tab next · Ctrl-S save",
            Field::Text => "Tab next field · Ctrl-S save · Ctrl-E $EDITOR · Esc cancel",
            _ => "Tab next field · Ctrl-S save · Esc cancel",
        };
        Paragraph::new(Span::styled(fit(hint, cells), theme.dim())).render(hint_row, buf);
    }
}

impl InteractionEdit {
    fn label(&self, f: Field, text: &str, theme: Theme) -> Span<'static> {
        let style = if self.focus == f {
            theme.heading()
        } else {
            theme.dim()
        };
        Span::styled(format!("{text:<LABEL$} "), style)
    }

    /// The title and time fields, and what the time typed reads as.
    fn render_lines(&self, rows: [Rect; 3], buf: &mut Buffer, ctx: &RenderCtx) {
        let [title_row, when_row, preview_row] = rows;
        let theme = ctx.theme;
        let room = usize::from(title_row.width).saturating_sub(LABEL + 2);
        let cursor = |f: Field| {
            if self.focus == f {
                Span::styled("█", theme.dim())
            } else {
                Span::raw("")
            }
        };
        Paragraph::new(Line::from(vec![
            self.label(Field::Title, "Title", theme),
            Span::raw(tail(&sanitize_line(&self.title), room)),
            cursor(Field::Title),
        ]))
        .render(title_row, buf);
        Paragraph::new(Line::from(vec![
            self.label(Field::When, "When", theme),
            Span::raw(tail(&sanitize_line(&self.when), room)),
            cursor(Field::When),
        ]))
        .render(when_row, buf);
        let preview = if self.when.trim() == self.opened.when {
            Span::raw("")
        } else {
            match crate::capture::moment_of(self.when.trim(), &ctx.now) {
                Ok(at) => Span::styled(
                    fit(&format!("→ {}", at.format("%a %-d %b %Y %H:%M")), room),
                    theme.good(),
                ),
                Err(e) => Span::styled(fit(&sanitize_line(&e.to_string()), room), theme.alert()),
            }
        };
        Paragraph::new(Line::from(vec![Span::raw(" ".repeat(LABEL + 1)), preview]))
            .render(preview_row, buf);
    }

    fn render_people(&self, row: Rect, list: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let focused = self.focus == Field::People;
        let style = if focused {
            theme.heading()
        } else {
            theme.dim()
        };
        let mut spans = vec![Span::styled(format!("{:<LABEL$} ", "People"), style)];
        let mut room = usize::from(row.width).saturating_sub(LABEL + 1);
        if self.people.is_empty() {
            spans.push(Span::styled(fit("(nobody)", room), theme.dim()));
            room = room.saturating_sub(8);
        }
        for (n, (_, name)) in self.people.iter().enumerate() {
            let chip = truncate(&sanitize_line(name), room.min(30)).into_owned();
            room = room.saturating_sub(width(&chip) + 1);
            let chip_style = if focused && self.query.is_empty() && n == self.chip {
                theme.selected()
            } else {
                theme.accent()
            };
            spans.push(Span::styled(chip, chip_style));
            spans.push(Span::raw(" "));
            if room == 0 {
                break;
            }
        }
        if focused {
            spans.push(Span::raw(fit(
                &format!(
                    "+ {}█",
                    tail(&sanitize_line(&self.query), room.saturating_sub(3))
                ),
                room,
            )));
        }
        Paragraph::new(Line::from(spans)).render(row, buf);
        if list.height == 0 {
            return;
        }
        let pad = " ".repeat(LABEL + 1);
        let cells = usize::from(list.width).saturating_sub(LABEL + 1);
        let mut lines = Vec::new();
        if self.candidates.is_empty() {
            lines.push(Line::from(vec![
                Span::raw(pad.clone()),
                Span::styled(fit("no person matches", cells), theme.dim()),
            ]));
        }
        let first = self.pick.saturating_sub(SHOWN - 1);
        for (n, c) in self.candidates.iter().enumerate().skip(first).take(SHOWN) {
            let text = match &c.context {
                Some(a) => format!("{} · {a}", c.name),
                None => c.name.clone(),
            };
            let style = if n == self.pick {
                theme.selected()
            } else {
                theme.text()
            };
            lines.push(Line::from(vec![
                Span::raw(pad.clone()),
                Span::styled(fit(&sanitize_line(&text), cells), style),
            ]));
        }
        Paragraph::new(lines).render(list, buf);
    }
}
