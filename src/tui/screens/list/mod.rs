//! The accounts and people lists: one screen shape over two kinds of row ([`ListKind`]).
//!
//! A list holds one window of at most [`WINDOW`] rows around the cursor, never the whole
//! table: when the cursor comes within [`MARGIN`] rows of an edge of what is loaded (and there
//! is more that way), the window is moved to centre on it and reloaded; `G` jumps straight to
//! the last window. The header says where the cursor is ("12 of 2000").
//!
//! `/` focuses the filter: each keystroke reloads the first window (accent- and
//! case-insensitive word prefixes, done by the store); `Enter` keeps the filter and returns to
//! the list, `Esc` clears it. `o` moves to the next sort key, `O` flips the direction; both go
//! back to the top. A reload (another writer, a capture) keeps the same record selected while it
//! is in the window.

mod accounts;
mod cells;
mod people;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::store::{ListQuery, TargetKind};
use crate::text::{fit, sanitize_line, width};
use crate::tui::action::{Action, ScreenKind};
use crate::tui::keymap::{Binding, Key};

pub use accounts::Accounts;
pub use people::People;

/// Rows loaded at a time.
pub const WINDOW: u32 = 100;
/// How close to an edge of the loaded rows the cursor may come before the window moves.
pub const MARGIN: usize = 20;
/// Rows moved by `PgUp`/`PgDn`.
const PAGE: usize = 20;

/// One loaded window of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Window<R> {
    /// Position of the first row in the whole (filtered, sorted) list.
    pub offset: u32,
    /// How many rows the whole list holds (`None`: not counted, unchanged).
    pub total: Option<u64>,
    pub rows: Vec<R>,
}

/// A column of a list.
#[derive(Debug, Clone, Copy)]
pub struct Column<S: 'static> {
    pub label: &'static str,
    /// Cells at least (more when the column grows).
    pub width: usize,
    /// Share of the spare width it takes (0: fixed).
    pub grow: usize,
    /// When the terminal is too narrow, columns are dropped highest first (0: never).
    pub drop: u8,
    /// The sort key this column shows, if any.
    pub sort: Option<S>,
}

/// A sort key as the user cycles through them.
#[derive(Debug, Clone, Copy)]
pub struct SortKey<S: 'static> {
    pub key: S,
    pub name: &'static str,
    /// Starts descending (the biggest value first) when picked.
    pub descending: bool,
}

/// A cell: text from data (sanitized and fitted when drawn) and its style.
pub type Cell = (String, Style);

/// What differs between the accounts and the people list.
pub trait ListKind: 'static {
    type Sort: Copy + Eq + Default + 'static;
    type Row;
    const SCREEN: ScreenKind;
    const TITLE: &'static str;
    /// "accounts", "people": for "No people match".
    const NOUN: &'static str;
    const SORTS: &'static [SortKey<Self::Sort>];
    const COLUMNS: &'static [Column<Self::Sort>];
    fn need(query: ListQuery<Self::Sort>, count: bool) -> Need;
    fn take(data: Loaded) -> Option<Window<Self::Row>>;
    fn id(row: &Self::Row) -> i64;
    fn selection(id: i64) -> Selection;
    /// How a record is named to the user (`#p12`).
    fn reference(id: i64) -> String;
    /// One cell per column of [`Self::COLUMNS`].
    fn cells(row: &Self::Row, ctx: &RenderCtx) -> Vec<Cell>;
}

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::ch('a')],
        label: "a",
        help: "add",
        action: Action::Add,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('/')],
        label: "/",
        help: "filter; Esc clears",
        action: Action::Filter,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('o')],
        label: "o",
        help: "next sort",
        action: Action::Sort,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('O')],
        label: "O",
        help: "reverse sort",
        action: Action::ReverseSort,
        footer: true,
    },
];

/// While the filter has the focus: every other key is typed into it.
const FILTER_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "keep the filter",
        action: Action::Filter,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "clear the filter",
        action: Action::ClearFilter,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓",
        help: "down",
        action: Action::Down,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "up",
        action: Action::Up,
        footer: true,
    },
    Binding {
        keys: &[Key::ctrl('c')],
        label: "Ctrl-C",
        help: "quit",
        action: Action::Quit,
        footer: false,
    },
];

/// The state of a list screen.
pub struct ListView<K: ListKind> {
    filter: String,
    typing: bool,
    /// Index into [`ListKind::SORTS`].
    sort: usize,
    descending: bool,
    /// Position of `rows[0]` in the whole list.
    start: usize,
    rows: Vec<K::Row>,
    total: usize,
    /// Position of the selected row in the whole list.
    cursor: usize,
    /// The record selected, kept across reloads while it is in the window.
    selected: Option<i64>,
    /// The record that was selected when a reload no longer found it (changed or removed by
    /// another writer): nothing is selected, so that no key acts on the row that took its
    /// place, and the screen says so until the cursor moves (issue 11.2).
    gone: Option<i64>,
    /// Only the window moves: the count is not asked again (it scans the table).
    paging: bool,
}

impl<K: ListKind> Default for ListView<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: ListKind> ListView<K> {
    pub fn new() -> Self {
        ListView {
            filter: String::new(),
            typing: false,
            sort: 0,
            descending: K::SORTS.first().is_some_and(|s| s.descending),
            start: 0,
            rows: Vec::new(),
            total: 0,
            cursor: 0,
            selected: None,
            gone: None,
            paging: false,
        }
    }

    fn sort_key(&self) -> Option<&SortKey<K::Sort>> {
        K::SORTS.get(self.sort)
    }

    fn row(&self, at: usize) -> Option<&K::Row> {
        at.checked_sub(self.start).and_then(|i| self.rows.get(i))
    }

    /// Back to the top of the first window (a new filter or sort).
    fn restart(&mut self) -> Action {
        self.start = 0;
        self.cursor = 0;
        self.selected = None;
        self.gone = None;
        Action::Refresh
    }

    /// Moves the cursor; moves the window (and asks for it) when the cursor nears its edge.
    fn go(&mut self, action: Action) -> Option<Action> {
        let last = self.total.saturating_sub(1);
        self.cursor = match action {
            Action::Down => (self.cursor + 1).min(last),
            Action::Up => self.cursor.saturating_sub(1),
            Action::PageDown => (self.cursor + PAGE).min(last),
            Action::PageUp => self.cursor.saturating_sub(PAGE),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return None,
        };
        self.gone = None;
        self.selected = self.row(self.cursor).map(K::id);
        let end = self.start + self.rows.len();
        let outside = self.cursor < self.start || self.cursor >= end;
        let near_end = end < self.total && self.cursor + MARGIN >= end;
        let near_start = self.start > 0 && self.cursor < self.start + MARGIN;
        if outside || near_end || near_start {
            let window = WINDOW as usize;
            let start = self
                .cursor
                .saturating_sub(window / 2)
                .min(self.total.saturating_sub(window));
            if start != self.start || outside {
                self.start = start;
                self.paging = true;
                return Some(Action::Refresh);
            }
        }
        None
    }

    fn edit(&mut self, key: &crossterm::event::KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.filter.clear(),
            KeyCode::Char(c) if !ctrl => self.filter.push(c),
            KeyCode::Backspace => {
                self.filter.pop()?;
            }
            _ => return None,
        }
        Some(self.restart())
    }

    /// The top line: the filter, where the cursor is, the sort.
    fn status_line(&self, cells: usize, ctx: &RenderCtx) -> Line<'static> {
        let theme = ctx.theme;
        let position = if self.total == 0 { 0 } else { self.cursor + 1 };
        let arrow = if self.descending { "▼" } else { "▲" };
        let sort = self.sort_key().map_or("", |s| s.name);
        let right = format!(" {position} of {} · by {sort} {arrow}", self.total);
        let room = cells.saturating_sub(width(&right));
        let left = if let Some(id) = self.gone.filter(|_| !self.typing) {
            Span::styled(
                fit(
                    &format!(
                        "{} was changed or removed elsewhere: nothing is selected",
                        K::reference(id)
                    ),
                    room,
                ),
                theme.alert(),
            )
        } else if self.typing {
            Span::styled(
                fit(&format!("/{}▏", sanitize_line(&self.filter)), room),
                theme.accent(),
            )
        } else if self.filter.is_empty() {
            Span::styled(fit("/ to filter", room), theme.dim())
        } else {
            Span::styled(
                fit(&format!("/{}", sanitize_line(&self.filter)), room),
                theme.heading(),
            )
        };
        Line::from(vec![left, Span::styled(right, theme.dim())])
    }
}

/// The columns that fit in `cells` and their widths (one leading space, one between).
fn layout<S: Copy>(columns: &[Column<S>], cells: usize) -> Vec<(usize, usize)> {
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    let need = |shown: &[usize]| shown.iter().map(|&i| columns[i].width + 1).sum::<usize>();
    while need(&shown) > cells {
        let Some(at) = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop > 0)
            .max_by_key(|(_, i)| columns[**i].drop)
            .map(|(at, _)| at)
        else {
            break;
        };
        shown.remove(at);
    }
    let spare = cells.saturating_sub(need(&shown));
    let shares: usize = shown.iter().map(|&i| columns[i].grow).sum();
    let mut given = 0;
    let mut out: Vec<(usize, usize)> = shown
        .iter()
        .map(|&i| {
            let extra = (spare * columns[i].grow).checked_div(shares).unwrap_or(0);
            given += extra;
            (i, columns[i].width + extra)
        })
        .collect();
    if let Some(first) = out.iter_mut().find(|(i, _)| columns[*i].grow > 0) {
        first.1 += spare.saturating_sub(given);
    }
    out
}

fn table_line(cells: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for cell in cells {
        spans.push(Span::raw(" "));
        spans.push(cell);
    }
    Line::from(spans)
}

impl<K: ListKind> View for ListView<K> {
    fn title(&self) -> String {
        K::TITLE.into()
    }

    fn bindings(&self) -> &'static [Binding] {
        if self.typing { FILTER_KEYS } else { KEYS }
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn screen(&self) -> Option<ScreenKind> {
        Some(K::SCREEN)
    }

    fn need(&self) -> Need {
        K::need(
            ListQuery {
                filter: self.filter.clone(),
                sort: self.sort_key().map(|s| s.key).unwrap_or_default(),
                descending: self.descending,
                limit: WINDOW,
                offset: u32::try_from(self.start).unwrap_or(u32::MAX),
                // Past the middle, read from the end: `OFFSET` walks what it skips.
                from_end: (self.paging && self.start > self.total / 2)
                    .then(|| u32::try_from(self.total).unwrap_or(u32::MAX)),
            },
            !self.paging,
        )
    }

    fn accept(&mut self, data: Loaded) {
        let Some(window) = K::take(data) else { return };
        self.paging = false;
        self.start = window.offset as usize;
        if let Some(total) = window.total {
            self.total = usize::try_from(total).unwrap_or(usize::MAX);
        }
        self.rows = window.rows;
        let wanted = self.gone.or(self.selected);
        let found = wanted.and_then(|id| self.rows.iter().position(|r| K::id(r) == id));
        // The record is kept by its key: found elsewhere in the window, the cursor follows it;
        // not found, nothing is selected until the user moves.
        self.gone = if found.is_none() { wanted } else { None };
        self.cursor = if let Some(i) = found {
            self.start + i
        } else {
            let end = (self.start + self.rows.len()).saturating_sub(1);
            self.cursor.clamp(self.start, end.max(self.start))
        };
        self.cursor = self.cursor.min(self.total.saturating_sub(1));
        self.selected = if self.gone.is_some() {
            None
        } else {
            self.row(self.cursor).map(K::id)
        };
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::Filter => self.typing = !self.typing,
            Action::ClearFilter => {
                self.typing = false;
                if !self.filter.is_empty() {
                    self.filter.clear();
                    return Some(self.restart());
                }
            }
            Action::Input(key) if self.typing => return self.edit(&key),
            Action::Sort => {
                self.sort = (self.sort + 1) % K::SORTS.len().max(1);
                self.descending = self.sort_key().is_some_and(|s| s.descending);
                return Some(self.restart());
            }
            Action::ReverseSort => {
                self.descending = !self.descending;
                return Some(self.restart());
            }
            Action::OpenSelected => return self.selection().and_then(Selection::open),
            Action::Add => {
                let kind = match K::SCREEN {
                    ScreenKind::People => TargetKind::Person,
                    _ => TargetKind::Account,
                };
                return Some(Action::AddRecord(kind, None));
            }
            _ => return self.go(action),
        }
        None
    }

    fn selection(&self) -> Option<Selection> {
        if self.gone.is_some() {
            return None;
        }
        self.row(self.cursor).map(|r| K::selection(K::id(r)))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let cells = usize::from(area.width);
        let theme = ctx.theme;
        let mut lines = vec![self.status_line(cells, ctx)];
        let columns = layout(K::COLUMNS, cells);
        let sort = self.sort_key().map(|s| s.key);
        let arrow = if self.descending { "▼" } else { "▲" };
        lines.push(table_line(
            columns
                .iter()
                .map(|&(i, w)| {
                    let c = &K::COLUMNS[i];
                    // The arrow always shows: after a space when there is room, else
                    // right after the (cut) label.
                    let label = if c.sort.is_none() || c.sort != sort {
                        c.label.to_string()
                    } else if width(c.label) + 2 <= w {
                        format!("{} {arrow}", c.label)
                    } else {
                        format!("{}{arrow}", fit(c.label, w.saturating_sub(1)))
                    };
                    Span::styled(fit(&label, w), theme.heading())
                })
                .collect(),
        ));
        // (A list is loaded as soon as it is pushed: no frame shows it empty before.)
        if self.total == 0 {
            let text = if !self.filter.is_empty() {
                format!("No {} match “{}”.", K::NOUN, self.filter)
            } else if K::SCREEN == ScreenKind::Accounts {
                super::agenda::FIRST_STEPS.to_string()
            } else {
                format!(
                    "No {} yet — press a to add one, or kam import FILE / kam demo",
                    K::NOUN
                )
            };
            for l in crate::tui::wrap::wrap(&text, cells.saturating_sub(1)) {
                lines.push(Line::from(Span::styled(format!(" {l}"), theme.dim())));
            }
        }
        let height = usize::from(area.height).saturating_sub(lines.len());
        // Keep the selection in view, a few lines from the bottom edge when scrolling.
        let top = if self.cursor + 3 > height {
            (self.cursor + 3 - height).min(self.total.saturating_sub(height))
        } else {
            0
        };
        for at in top..(top + height).min(self.total) {
            let Some(row) = self.row(at) else {
                lines.push(Line::default());
                continue;
            };
            let data = K::cells(row, ctx);
            let selected = at == self.cursor && self.gone.is_none();
            let line = table_line(
                columns
                    .iter()
                    .map(|&(i, w)| {
                        let (text, style) = data.get(i).cloned().unwrap_or_default();
                        Span::styled(fit(&sanitize_line(&text), w), style)
                    })
                    .collect(),
            );
            lines.push(if selected {
                line.style(theme.selected())
            } else {
                line
            });
        }
        Paragraph::new(lines).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{GLOBAL, MOVE};

    #[test]
    fn list_keys_collide_with_no_global_or_move_key() {
        for b in KEYS {
            for k in b.keys {
                let clash = GLOBAL.iter().chain(MOVE).any(|g| g.keys.contains(k));
                assert!(!clash, "{k:?} is already bound");
            }
        }
    }

    #[test]
    fn narrow_terminals_drop_columns_and_never_overflow() {
        for cells in [30, 40, 60, 80, 120, 200] {
            for columns in [
                layout(Accounts::COLUMNS, cells),
                layout(People::COLUMNS, cells),
            ] {
                let used: usize = columns.iter().map(|(_, w)| w + 1).sum();
                assert!(used <= cells.max(40), "{cells}: {used}");
                assert!(columns.iter().any(|(i, _)| *i == 1 || *i == 0));
            }
        }
        let at_80 = layout(People::COLUMNS, 80);
        assert_eq!(at_80.len(), People::COLUMNS.len());
        let used: usize = at_80.iter().map(|(_, w)| w + 1).sum();
        assert_eq!(used, 80);
    }

    fn person(id: i64) -> crate::store::PersonRow {
        crate::store::PersonRow {
            id,
            name: format!("Person {id}"),
            account: None,
            title: None,
            role: None,
            influence: None,
            attitude: None,
            stage: None,
            last_contact: None,
            next_followup: None,
        }
    }

    fn window(ids: &[i64]) -> Loaded {
        Loaded::People(Window {
            offset: 0,
            total: Some(ids.len() as u64),
            rows: ids.iter().copied().map(person).collect(),
        })
    }

    #[test]
    fn a_refresh_keeps_the_selected_record_by_key_and_acts_on_nothing_once_it_is_gone() {
        let mut list = ListView::<People>::new();
        list.accept(window(&[1, 2, 3]));
        list.apply(Action::Down);
        assert_eq!(list.selection(), Some(Selection::Person(2)));
        // Another writer adds a record above it: the selection follows the record.
        list.accept(window(&[4, 1, 2, 3]));
        assert_eq!(list.selection(), Some(Selection::Person(2)));
        // Another writer removes it: the row that took its place is not acted on.
        list.accept(window(&[4, 1, 3]));
        assert_eq!(list.selection(), None);
        assert_eq!(list.apply(Action::OpenSelected), None);
        let theme = crate::tui::theme::Theme::plain();
        let ctx = RenderCtx {
            now: chrono::TimeZone::with_ymd_and_hms(&chrono::Local, 2026, 11, 27, 8, 0, 0).unwrap(),
            theme,
        };
        let area = Rect::new(0, 0, 100, 8);
        let mut buf = Buffer::empty(area);
        list.render(area, &mut buf, &ctx);
        let top: String = (0..100).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(
            top.contains("#p2 was changed or removed elsewhere"),
            "{top}"
        );
        // Moving picks a row again.
        list.apply(Action::Down);
        assert!(list.selection().is_some());
    }
}
