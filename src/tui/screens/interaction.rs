//! The interaction screen (`Enter` on a dossier's timeline entry or on a search hit that is a
//! note, call, meeting...): the whole interaction — kind, when, account, title, who took part,
//! a meeting's goal, questions and outcome, the full text wrapped to the width, the follow-ups
//! it set (open or closed) and its reference. A line cursor walks it (`j`/`k`, `PgUp`/`PgDn`,
//! `g`/`G`) and the view scrolls with it; `Enter` on a person opens their dossier, on the
//! account line the account's; `e` edits the text, title, time and people (a component popup,
//! written through `ops`). On a follow-up it set, the follow-up keys act on that follow-up
//! (`e` edits it, `x` done, `s` snooze, `c` cancel; `o` reopens a done or cancelled one). The data is [`crate::store::InteractionRecord`], the same read
//! `kam show #iN` prints.

use std::cell::Cell;

use chrono::{Local, NaiveDate};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::dossier::rows::wrap;
use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::domain::{InteractionStatus, RecordKind, RecordRef, Vocabulary};
use crate::store::{InteractionRecord, TargetKind};
use crate::text::{sanitize_line, truncate, width};
use crate::tui::action::Action;
use crate::tui::keymap::{self, Binding, Key};
use crate::tui::theme::Theme;

/// Width of the labels column.
const LABEL: usize = 10;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "open the person / account",
        action: Action::OpenSelected,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('e')],
        label: "e",
        help: "edit text, when, people",
        action: Action::Edit,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        label: "j/k",
        help: "down / up a line",
        action: Action::Down,
        footer: true,
    },
];

/// On a follow-up it set, still open: the follow-up keys (`e` edits the follow-up).
const OPEN_FOLLOWUP_KEYS: &[Binding] = &[
    keymap::FOLLOWUP_EDIT,
    keymap::FOLLOWUP_DONE,
    keymap::FOLLOWUP_SNOOZE,
    keymap::FOLLOWUP_CANCEL,
    KEYS[2],
];

/// On a follow-up it set, done or cancelled: reopen it, or edit it.
const CLOSED_FOLLOWUP_KEYS: &[Binding] = &[keymap::FOLLOWUP_REOPEN, keymap::FOLLOWUP_EDIT, KEYS[2]];

/// What a line of the screen leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leads {
    Nothing,
    Person(i64),
    Account(i64),
    /// A follow-up it set, and whether it is still open.
    FollowUp(i64, bool),
}

/// The interaction screen's state.
pub struct InteractionView {
    id: i64,
    record: Option<InteractionRecord>,
    /// The line selected (of the lines as last drawn).
    cursor: usize,
    /// The width and height last drawn at: the lines wrap to it, a page is its height.
    drawn: Cell<(usize, usize)>,
}

impl InteractionView {
    pub fn new(id: i64) -> Self {
        InteractionView {
            id,
            record: None,
            cursor: 0,
            drawn: Cell::new((80, 20)),
        }
    }

    /// The screen's lines at `cells` wide, each with what it leads to.
    fn lines(&self, cells: usize, theme: Theme, today: NaiveDate) -> Vec<(Line<'static>, Leads)> {
        let Some(r) = &self.record else {
            return Vec::new();
        };
        let mut out = facts(r, cells, theme);
        out.extend(texts(r, cells, theme, today));
        out
    }

    /// What the selected line leads to, at the width last drawn.
    fn selected(&self) -> Leads {
        // The lines lead to the same records whatever the day and the colours.
        let (cells, _) = self.drawn.get();
        self.lines(cells, Theme::plain(), NaiveDate::default())
            .get(self.cursor)
            .map_or(Leads::Nothing, |(_, l)| *l)
    }
}

fn label(text: &str, theme: Theme) -> Span<'static> {
    Span::styled(format!(" {text:<w$}", w = LABEL - 1), theme.dim())
}

/// `s` sanitized and cut to `cells`.
fn fit(s: &str, cells: usize) -> String {
    truncate(&sanitize_line(s), cells).into_owned()
}

/// A labelled one-line field, its value from data cut to the width.
fn field_line(
    tag: &str,
    value: &str,
    cells: usize,
    style: ratatui::style::Style,
    theme: Theme,
) -> Line<'static> {
    Line::from(vec![
        label(tag, theme),
        Span::styled(fit(value, cells.saturating_sub(LABEL)), style),
    ])
}

impl View for InteractionView {
    fn title(&self) -> String {
        "Interaction".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        match self.selected() {
            Leads::FollowUp(_, true) => OPEN_FOLLOWUP_KEYS,
            Leads::FollowUp(_, false) => CLOSED_FOLLOWUP_KEYS,
            _ => KEYS,
        }
    }

    /// The follow-up line selected; its version is read when a key acts on it.
    fn followup(&self) -> Option<(i64, Option<i64>)> {
        match self.selected() {
            Leads::FollowUp(id, _) => Some((id, None)),
            _ => None,
        }
    }

    fn need(&self) -> Need {
        Need::Interaction { id: self.id }
    }

    fn accept(&mut self, data: Loaded) {
        if let Loaded::Interaction(record) = data {
            self.record = Some(*record);
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        let (cells, height) = self.drawn.get();
        let last = self
            .lines(cells, Theme::plain(), NaiveDate::default())
            .len()
            .saturating_sub(1);
        let page = height.saturating_sub(2).max(1);
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::PageDown => self.cursor = (self.cursor + page).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::OpenSelected => {
                return match self.selected() {
                    Leads::Person(p) => Some(Action::Open(TargetKind::Person, p)),
                    Leads::Account(a) => Some(Action::Open(TargetKind::Account, a)),
                    Leads::Nothing | Leads::FollowUp(..) => None,
                };
            }
            _ => {}
        }
        None
    }

    fn selection(&self) -> Option<Selection> {
        match self.selected() {
            Leads::Person(p) => return Some(Selection::Person(p)),
            Leads::Account(a) => return Some(Selection::Account(a)),
            Leads::Nothing | Leads::FollowUp(..) => {}
        }
        let r = self.record.as_ref()?;
        match (r.interaction.account, r.people.first()) {
            (Some(a), _) => Some(Selection::Account(a)),
            (None, Some((p, _))) => Some(Selection::Person(*p)),
            (None, None) => None,
        }
    }

    fn interaction(&self) -> Option<&InteractionRecord> {
        self.record.as_ref()
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let cells = usize::from(area.width);
        let height = usize::from(area.height);
        self.drawn.set((cells, height));
        if self.record.is_none() {
            Paragraph::new("Loading…").render(area, buf);
            return;
        }
        let lines = self.lines(cells, ctx.theme, ctx.now.date_naive());
        let cursor = self.cursor.min(lines.len().saturating_sub(1));
        // Keep the selected line in view, two lines of context below it when scrolling.
        let top = (cursor + 3)
            .saturating_sub(height)
            .min(lines.len().saturating_sub(height));
        let shown: Vec<Line<'static>> = lines
            .into_iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(n, (line, _))| {
                if n == cursor {
                    line.style(ctx.theme.selected())
                } else {
                    line
                }
            })
            .collect();
        Paragraph::new(shown).render(area, buf);
    }
}

/// The facts of the interaction, one line each: what, when, account, place, people, goal.
fn facts(r: &InteractionRecord, cells: usize, theme: Theme) -> Vec<(Line<'static>, Leads)> {
    let i = &r.interaction;
    let reference = RecordRef::of(RecordKind::Interaction, i.id);
    let mut out: Vec<(Line<'static>, Leads)> = Vec::new();
    let plain = |out: &mut Vec<(Line<'static>, Leads)>, line: Line<'static>| {
        out.push((line, Leads::Nothing));
    };
    let title = i.title.as_deref().unwrap_or("");
    let head = format!(" {reference}  {} ", i.kind.as_str());
    let room = cells.saturating_sub(width(&head));
    plain(
        &mut out,
        Line::from(vec![
            Span::styled(head, theme.heading()),
            Span::styled(fit(title, room), theme.accent()),
        ]),
    );
    let local = i.at.with_timezone(&Local);
    let mut when = local.format("%a %-d %b %Y %H:%M").to_string();
    if let Some(end) = i.end {
        when.push_str(&end.with_timezone(&Local).format("–%H:%M").to_string());
    }
    let status = match i.status {
        InteractionStatus::Done => theme.dim(),
        InteractionStatus::Planned => theme.accent(),
        InteractionStatus::Cancelled => theme.alert(),
    };
    plain(
        &mut out,
        Line::from(vec![
            label("When", theme),
            Span::raw(when),
            Span::styled(format!("  ({})", i.status.as_str()), status),
        ]),
    );
    if let Some((id, name)) = &r.account {
        out.push((
            field_line("Account", name, cells, theme.text(), theme),
            Leads::Account(*id),
        ));
    }
    if let Some(place) = i.location.as_deref() {
        plain(
            &mut out,
            field_line("Where", place, cells, theme.text(), theme),
        );
    }
    if r.people.is_empty() {
        plain(
            &mut out,
            field_line(
                "People",
                "nobody named — e adds them",
                cells,
                theme.dim(),
                theme,
            ),
        );
    }
    for (n, (id, name)) in r.people.iter().enumerate() {
        let tag = if n == 0 { "People" } else { "" };
        let text = format!("{name}  {}", RecordRef::of(RecordKind::Person, *id));
        out.push((
            field_line(tag, &text, cells, theme.text(), theme),
            Leads::Person(*id),
        ));
    }
    if let Some(goal) = i.goal() {
        plain(
            &mut out,
            field_line("Goal", goal, cells, theme.text(), theme),
        );
    }
    for (n, q) in i.questions().into_iter().enumerate() {
        let tag = if n == 0 { "Ask" } else { "" };
        plain(&mut out, field_line(tag, q, cells, theme.text(), theme));
    }
    out
}

/// The text and outcome wrapped to the width, the follow-ups it set, its reference.
fn texts(
    r: &InteractionRecord,
    cells: usize,
    theme: Theme,
    today: NaiveDate,
) -> Vec<(Line<'static>, Leads)> {
    let i = &r.interaction;
    let reference = RecordRef::of(RecordKind::Interaction, i.id);
    let mut out: Vec<(Line<'static>, Leads)> = Vec::new();
    let plain = |out: &mut Vec<(Line<'static>, Leads)>, line: Line<'static>| {
        out.push((line, Leads::Nothing));
    };
    for (heading, text) in [
        ("Text", i.body.as_deref()),
        ("Outcome", i.outcome.as_deref()),
    ] {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        plain(&mut out, Line::default());
        plain(&mut out, Line::from(Span::styled(heading, theme.heading())));
        for l in wrap(text, 2, cells) {
            plain(&mut out, Line::from(Span::styled(l, theme.text())));
        }
    }
    if !r.followups.is_empty() {
        plain(&mut out, Line::default());
        plain(
            &mut out,
            Line::from(Span::styled("Follow-ups it set", theme.heading())),
        );
        for f in &r.followups {
            let style = if f.status == crate::domain::FollowUpStatus::Open {
                theme.text()
            } else {
                theme.dim()
            };
            let text = crate::capture::followup_line(f, today);
            out.push((
                Line::from(vec![
                    Span::raw("  "),
                    Span::styled(fit(&text, cells.saturating_sub(2)), style),
                ]),
                Leads::FollowUp(f.id, f.status == crate::domain::FollowUpStatus::Open),
            ));
        }
    }
    plain(&mut out, Line::default());
    plain(
        &mut out,
        Line::from(Span::styled(
            fit(
                &format!(
                    "{reference} · version {} · kam history {reference}",
                    r.version
                ),
                cells,
            ),
            theme.dim(),
        )),
    );
    out
}
