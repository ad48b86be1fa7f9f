//! The prep screen: the pre-meeting brief of one meeting ([`crate::prep`]), as headed sections
//! that scroll. `Enter` on a person opens their dossier, on the account line the account's;
//! `Esc` goes back to the agenda. The same sections as `kam prep` and its Markdown.

use chrono::Local;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::prep::{Brief, Item, Tone};
use crate::store::TargetKind;
use crate::text::{sanitize_line, truncate, width};
use crate::tui::action::Action;
use crate::tui::keymap::Binding;
use crate::tui::theme::Theme;

/// Items a page key moves over (an item takes one to three lines at 80 columns).
const PAGE: isize = 5;

/// One logical line of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Row {
    Heading(String),
    Item(Item),
    Blank,
}

/// The prep screen's state.
pub struct PrepView {
    meeting: i64,
    brief: Option<Brief>,
    rows: Vec<Row>,
    /// The selected row (headings and blanks are skipped over).
    cursor: usize,
}

impl PrepView {
    pub fn new(meeting: i64) -> Self {
        PrepView {
            meeting,
            brief: None,
            rows: Vec::new(),
            cursor: 0,
        }
    }

    fn selectable(&self, i: usize) -> bool {
        matches!(self.rows.get(i), Some(Row::Item(_)))
    }

    /// Moves the cursor by `step` selectable rows (negative: up).
    fn step(&mut self, step: isize) {
        let mut i = self.cursor;
        for _ in 0..step.unsigned_abs() {
            let next = if step < 0 {
                (0..i).rev().find(|&j| self.selectable(j))
            } else {
                (i + 1..self.rows.len()).find(|&j| self.selectable(j))
            };
            match next {
                Some(j) => i = j,
                None => break,
            }
        }
        self.cursor = i;
    }

    fn first(&self) -> usize {
        (0..self.rows.len())
            .find(|&j| self.selectable(j))
            .unwrap_or(0)
    }

    fn last(&self) -> usize {
        (0..self.rows.len())
            .rev()
            .find(|&j| self.selectable(j))
            .unwrap_or(0)
    }

    fn item(&self) -> Option<&Item> {
        match self.rows.get(self.cursor) {
            Some(Row::Item(item)) => Some(item),
            _ => None,
        }
    }
}

/// Sanitized `text` word-wrapped into lines of at most `cells`.
fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(8);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in sanitize_line(text).split(' ') {
        let w = width(word);
        if used > 0 && used + 1 + w > cells {
            out.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        let word = truncate(word, cells);
        used += width(&word);
        line.push_str(&word);
    }
    out.push(line);
    out
}

fn style(tone: Tone, theme: Theme) -> Style {
    match tone {
        Tone::Plain => theme.text(),
        Tone::Alert => theme.alert(),
        Tone::Strong => theme.accent(),
        Tone::Dim => theme.dim(),
    }
}

impl View for PrepView {
    fn title(&self) -> String {
        "Prep".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        crate::tui::keymap::MEETING
    }

    fn need(&self) -> Need {
        Need::Prep {
            meeting: self.meeting,
        }
    }

    fn accept(&mut self, data: Loaded) {
        let Loaded::Prep(brief) = data else {
            return;
        };
        let mut rows = Vec::new();
        for (n, section) in brief.sections(&Local).into_iter().enumerate() {
            if n > 0 {
                rows.push(Row::Blank);
            }
            rows.push(Row::Heading(section.title));
            rows.extend(section.items.into_iter().map(Row::Item));
        }
        let keep = self.brief.is_some();
        self.rows = rows;
        self.brief = Some(*brief);
        if !keep || !self.selectable(self.cursor) {
            self.cursor = self.first();
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::Down => self.step(1),
            Action::Up => self.step(-1),
            // Half a screen of items or so: a page never jumps over a line unseen.
            Action::PageDown => self.step(PAGE),
            Action::PageUp => self.step(-PAGE),
            Action::Top => self.cursor = self.first(),
            Action::Bottom => self.cursor = self.last(),
            Action::OpenSelected => {
                let item = self.item()?;
                return match (item.person, item.account) {
                    (Some(p), _) => Some(Action::Open(TargetKind::Person, p)),
                    (None, Some(a)) => Some(Action::Open(TargetKind::Account, a)),
                    (None, None) => None,
                };
            }
            _ => {}
        }
        None
    }

    fn selection(&self) -> Option<Selection> {
        if let Some(item) = self.item() {
            if let Some(p) = item.person {
                return Some(Selection::Person(p));
            }
            if let Some(a) = item.account {
                return Some(Selection::Account(a));
            }
        }
        self.meeting()
    }

    /// The meeting being prepared, whatever line is selected.
    fn meeting(&self) -> Option<Selection> {
        let brief = self.brief.as_ref()?;
        let m = brief.meeting.as_ref()?;
        Some(Selection::Meeting {
            id: m.id,
            version: m.version,
            account: brief.account.as_ref().map(|a| a.id),
            person: brief.people.first().map(|p| p.id),
        })
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        if self.brief.is_none() {
            Paragraph::new("Loading…").render(area, buf);
            return;
        }
        let cells = usize::from(area.width);
        let theme = ctx.theme;
        // Each row as its wrapped screen lines; the selected row is highlighted whole.
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut selected = (0, 0);
        for (i, row) in self.rows.iter().enumerate() {
            let start = lines.len();
            match row {
                Row::Blank => lines.push(Line::default()),
                Row::Heading(title) => lines.push(Line::from(Span::styled(
                    truncate(&sanitize_line(title), cells).into_owned(),
                    theme.heading(),
                ))),
                Row::Item(item) => {
                    let indent = if item.detail { 4 } else { 2 };
                    let style = if i == self.cursor {
                        theme.selected()
                    } else {
                        style(item.tone, theme)
                    };
                    for text in wrap(&item.text, cells.saturating_sub(indent)) {
                        lines.push(Line::from(vec![
                            Span::raw(" ".repeat(indent)),
                            Span::styled(text, style),
                        ]));
                    }
                }
            }
            if i == self.cursor {
                selected = (start, lines.len());
            }
        }
        let height = usize::from(area.height);
        // Keep the selected lines in view, two lines of context below when scrolling; at the
        // first item, show from the top (the headings above it).
        let top = if selected.1 + 2 > height {
            (selected.1 + 2 - height).min(selected.0)
        } else {
            0
        };
        let top = top.min(lines.len().saturating_sub(height));
        let shown: Vec<Line<'static>> = lines.into_iter().skip(top).take(height).collect();
        Paragraph::new(shown).render(area, buf);
    }
}
