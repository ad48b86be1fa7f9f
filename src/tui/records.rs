//! The popups that keep a dossier's record whole: `X` asks before archiving it (or restoring
//! it), `M` picks the duplicate to merge into it — names as you type, ranked like the capture
//! picker — then shows what the merge would move and how the fields differ (the `--dry-run` of
//! `kam person merge`) and merges on `y`. Components: each replies a command for `ops`
//! (`Archive`, `Merge`), so `kam undo` reverts what they did.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::action::Action;
use super::capture::picker::rank;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::{Binding, CONFIRM, Key};
use super::popup::centered;
use super::screens::RenderCtx;
use super::wrap::wrap;
use crate::domain::{Id, RecordKind, RecordRef};
use crate::ops::{self, Outcome};
use crate::store::{Candidate, MergeKind, TargetKind};

/// The widest these popups grow.
const WIDTH: u16 = 72;
/// Names shown under the query.
const SHOWN: usize = 8;

/// Lines of `text` wrapped to `cells`, each in `style`.
fn wrapped(text: &str, cells: usize, style: ratatui::style::Style) -> Vec<Line<'static>> {
    wrap(text, cells)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// Draws `lines` in a bordered box titled `title`, as tall as they need (at most the terminal);
/// `keep` lines at the end stay visible however short the terminal (the keys).
fn boxed(area: Rect, buf: &mut Buffer, title: &str, mut lines: Vec<Line<'static>>, keep: usize) {
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, WIDTH, height);
    Clear.render(rect, buf);
    let block = Block::bordered().title(format!(" {title} "));
    let body = block.inner(rect);
    block.render(rect, buf);
    let room = usize::from(body.height);
    if lines.len() > room {
        let tail = lines.split_off(lines.len().saturating_sub(keep));
        lines.truncate(room.saturating_sub(tail.len()));
        lines.extend(tail);
    }
    Paragraph::new(lines).render(body, buf);
}

fn inner_width(area: Rect) -> usize {
    usize::from(area.width.min(WIDTH).saturating_sub(2)).max(1)
}

/// "Archive #p3 Carmen?" / "Restore …?" — answered with y or n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveConfirm {
    kind: RecordKind,
    record: RecordRef,
    name: String,
    version: i64,
    /// Archived now: the question is whether to restore it.
    restore: bool,
}

impl ArchiveConfirm {
    pub fn new(kind: RecordKind, id: Id, name: String, version: i64, archived: bool) -> Self {
        ArchiveConfirm {
            kind,
            record: RecordRef::of(kind, id),
            name,
            version,
            restore: archived,
        }
    }
}

impl Component for ArchiveConfirm {
    fn bindings(&self) -> &'static [Binding] {
        CONFIRM
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Save => Reply::Run(Box::new(ops::Archive {
                kind: self.kind,
                id: self.record.id,
                version: Some(self.version),
                restore: self.restore,
            })),
            Action::Back => Reply::Close,
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let cells = inner_width(area);
        let (title, question, after) = if self.restore {
            (
                "Restore?",
                format!("Restore {} {}?", self.record, self.name),
                "Back in the lists, the agenda and the flags.",
            )
        } else {
            (
                "Archive?",
                format!("Archive {} {}?", self.record, self.name),
                "Out of the lists, the agenda and the flags; kept with all its history, \
                 restored with X from its dossier (or kam restore).",
            )
        };
        let mut lines = wrapped(&question, cells, theme.text());
        lines.extend(wrapped(after, cells, theme.dim()));
        lines.push(Line::default());
        let verb = if self.restore { "restore" } else { "archive" };
        lines.extend(wrapped(
            &format!("y / Enter: {verb} · n / Esc: keep as it is"),
            cells,
            theme.dim(),
        ));
        boxed(area, buf, title, lines, 1);
    }
}

/// Keys of the merge picker (other keys type the name).
const PICK: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓",
        help: "next name",
        action: Action::Down,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "previous name",
        action: Action::Up,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "preview the merge",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "cancel",
        action: Action::Back,
        footer: true,
    },
];

/// Which duplicate to merge into the dossier's record (`keep`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePicker {
    kind: MergeKind,
    keep: Id,
    keep_name: String,
    query: String,
    candidates: Vec<Candidate>,
    cursor: usize,
}

impl MergePicker {
    pub fn new(kind: MergeKind, keep: Id, keep_name: String) -> Self {
        MergePicker {
            kind,
            keep,
            keep_name,
            query: String::new(),
            candidates: Vec::new(),
            cursor: 0,
        }
    }

    fn target(&self) -> TargetKind {
        match self.kind {
            MergeKind::Person => TargetKind::Person,
            MergeKind::Account => TargetKind::Account,
        }
    }

    fn noun(&self) -> &'static str {
        match self.kind {
            MergeKind::Person => "person",
            MergeKind::Account => "account",
        }
    }

    /// Reads the names matching the query (never the record kept).
    fn search(&mut self, ctx: &PopupCtx<'_, '_>) -> Reply {
        self.cursor = 0;
        if self.query.trim().is_empty() {
            self.candidates.clear();
            return Reply::Stay;
        }
        match ctx.reader.match_names(&[self.target()], &self.query, 50) {
            Ok(found) => {
                let keep = self.keep;
                self.candidates = rank(
                    &self.query,
                    found.into_iter().filter(|c| c.id != keep).collect(),
                );
                Reply::Stay
            }
            Err(e) => Reply::Say(e.to_string(), super::app::StatusKind::Error),
        }
    }
}

impl Component for MergePicker {
    fn bindings(&self) -> &'static [Binding] {
        PICK
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.candidates.len().saturating_sub(1));
            }
            Action::Back => return Reply::Close,
            Action::Save => {
                let Some(other) = self.candidates.get(self.cursor) else {
                    return Reply::Say(
                        format!("Type the duplicate's name and pick the {}", self.noun()),
                        super::app::StatusKind::Info,
                    );
                };
                return Reply::Run(Box::new(ops::Merge {
                    kind: self.kind,
                    keep: self.keep,
                    other: other.id,
                    dry_run: true,
                }));
            }
            _ => {}
        }
        Reply::Stay
    }

    fn input(&mut self, key: &KeyEvent, ctx: &PopupCtx<'_, '_>) -> Reply {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.query.push(c);
                self.search(ctx)
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.search(ctx)
            }
            _ => Reply::Stay,
        }
    }

    /// The dry run said what the merge would do: show it and ask.
    fn succeeded(&mut self, outcome: &Outcome) -> Option<Reply> {
        let other = self.candidates.get(self.cursor)?;
        Some(Reply::Replace(Box::new(MergeConfirm {
            kind: self.kind,
            keep: self.keep,
            other: other.id,
            preview: outcome.clone(),
            scroll: 0,
        })))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let cells = inner_width(area);
        let kind = match self.kind {
            MergeKind::Person => RecordKind::Person,
            MergeKind::Account => RecordKind::Account,
        };
        let keep = RecordRef::of(kind, self.keep);
        let mut lines = wrapped(
            &format!(
                "Merge which duplicate into {keep} {}? It is kept; the other's meetings, \
                 notes, follow-ups and links move to it.",
                self.keep_name
            ),
            cells,
            theme.text(),
        );
        let mut query = wrapped(&format!("> {}█", self.query), cells, theme.text());
        lines.append(&mut query);
        if self.query.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("type the other {}'s name", self.noun()),
                theme.dim(),
            )));
        } else if self.candidates.is_empty() {
            lines.push(Line::from(Span::styled("nobody matches", theme.dim())));
        }
        let first = self.cursor.saturating_sub(SHOWN - 1);
        for (i, c) in self.candidates.iter().enumerate().skip(first).take(SHOWN) {
            let mut text = format!("#{}{} {}", kind.letter(), c.id, c.name);
            if let Some(ctx) = &c.context {
                text.push_str(" · ");
                text.push_str(ctx);
            }
            let style = if i == self.cursor {
                theme.selected()
            } else {
                theme.text()
            };
            lines.extend(wrapped(&text, cells, style));
        }
        lines.extend(wrapped(
            "↑/↓ choose · Enter: preview · Esc: cancel",
            cells,
            theme.dim(),
        ));
        boxed(area, buf, "Merge a duplicate", lines, 1);
    }
}

/// Keys of the merge preview.
const CONFIRM_MERGE: &[Binding] = &[
    Binding {
        keys: &[Key::ch('y'), Key::plain(KeyCode::Enter)],
        label: "y/Enter",
        help: "merge",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('n'), Key::plain(KeyCode::Esc), Key::ch('q')],
        label: "n/Esc",
        help: "do not merge",
        action: Action::Back,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        label: "↓/j",
        help: "scroll the preview",
        action: Action::Down,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::ch('k')],
        label: "↑/k",
        help: "scroll back",
        action: Action::Up,
        footer: false,
    },
];

/// What a merge would do, and "merge? y/n".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConfirm {
    kind: MergeKind,
    keep: Id,
    other: Id,
    preview: Outcome,
    scroll: usize,
}

impl Component for MergeConfirm {
    fn bindings(&self) -> &'static [Binding] {
        CONFIRM_MERGE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Save => Reply::Run(Box::new(ops::Merge {
                kind: self.kind,
                keep: self.keep,
                other: self.other,
                dry_run: false,
            })),
            Action::Back => Reply::Close,
            Action::Down => {
                self.scroll = (self.scroll + 1).min(self.preview.details.len());
                Reply::Stay
            }
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Reply::Stay
            }
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let cells = inner_width(area);
        let mut lines = wrapped(&self.preview.message, cells, theme.heading());
        for d in self
            .preview
            .details
            .iter()
            .skip(self.scroll)
            .filter(|d| !d.contains("dry run"))
        {
            let style = if d.trim_start().starts_with("differs") {
                theme.alert()
            } else {
                theme.text()
            };
            lines.extend(wrapped(d.trim_start(), cells, style));
        }
        lines.push(Line::default());
        lines.extend(wrapped(
            "y / Enter: merge (kam undo separates them again) · n / Esc: do not merge · ↑/↓ scroll",
            cells,
            theme.dim(),
        ));
        boxed(area, buf, "Merge?", lines, 2);
    }
}
