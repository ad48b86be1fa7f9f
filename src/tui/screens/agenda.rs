//! The home screen: the agenda of a day (or a week). Meetings in time order with the next one
//! highlighted and counted down, overlaps flagged, follow-ups due and overdue, birthdays,
//! deadlines, the accounts with the worst red flags (`!` selects the worst), and who is due
//! for contact — the agenda's sections ([`crate::agenda::sections`]), the lines `kam agenda`
//! prints, painted by [`painter`]. `←/→` move by day, `t` back to today, `w` a week.
//! The footer shows the daily keys (d r c x s w); every key is in `?`.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Ident, Loaded, Need, RenderCtx, Selection, View, painter};
use std::collections::HashMap;

use crate::agenda::{Agenda, MeetingPrep};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key};
use crate::tui::theme::Theme;

const PREV: Binding = Binding {
    keys: &[Key::plain(KeyCode::Left), Key::ch('h')],
    label: "←/h",
    help: "previous day",
    action: Action::PrevDay,
    footer: false,
};

const NEXT: Binding = Binding {
    keys: &[Key::plain(KeyCode::Right), Key::ch('l')],
    label: "→/l",
    help: "next day",
    action: Action::NextDay,
    footer: false,
};

const TODAY: Binding = Binding {
    keys: &[Key::ch('t')],
    label: "t",
    help: "today",
    action: Action::Today,
    footer: false,
};

const WEEK: Binding = Binding {
    keys: &[Key::ch('w')],
    label: "w",
    help: "week",
    action: Action::ToggleWeek,
    footer: true,
};

const WORST: Binding = Binding {
    keys: &[Key::ch('!')],
    label: "!",
    help: "worst red flags",
    action: Action::WorstRedFlags,
    footer: false,
};

const DONE: Binding = Binding {
    keys: &[Key::ch('d')],
    label: "d",
    help: "meeting done",
    action: Action::MeetingDone,
    footer: true,
};

const MOVE: Binding = Binding {
    keys: &[Key::ch('r')],
    label: "r",
    help: "reschedule",
    action: Action::RescheduleMeeting,
    footer: true,
};

const CANCEL: Binding = Binding {
    keys: &[Key::ch('c')],
    label: "c",
    help: "cancel meeting",
    action: Action::CancelMeeting,
    footer: true,
};

const FOLLOWUP_DONE: Binding = Binding {
    keys: &[Key::ch('x')],
    label: "x",
    help: "follow-up done",
    action: Action::FollowUpDone,
    footer: true,
};

const SNOOZE: Binding = Binding {
    keys: &[Key::ch('s')],
    label: "s",
    help: "snooze",
    action: Action::Snooze,
    footer: true,
};

const MOVE_QUIET: Binding = Binding {
    keys: &[Key::ch('r')],
    label: "r",
    help: "reschedule",
    action: Action::RescheduleMeeting,
    footer: false,
};

const CANCEL_QUIET: Binding = Binding {
    keys: &[Key::ch('c')],
    label: "c",
    help: "cancel meeting",
    action: Action::CancelMeeting,
    footer: false,
};

const FOLLOWUP_DONE_QUIET: Binding = Binding {
    keys: &[Key::ch('x')],
    label: "x",
    help: "follow-up done",
    action: Action::FollowUpDone,
    footer: false,
};

const SNOOZE_QUIET: Binding = Binding {
    keys: &[Key::ch('s')],
    label: "s",
    help: "snooze",
    action: Action::Snooze,
    footer: false,
};

const ADD: Binding = Binding {
    keys: &[Key::ch('a')],
    label: "a",
    help: "add an account",
    action: Action::Add,
    footer: false,
};

/// The agenda's keys with a follow-up (or nothing) selected: the footer shows the follow-up
/// keys.
const KEYS: &[Binding] = &[
    PREV,
    NEXT,
    TODAY,
    WEEK,
    WORST,
    DONE,
    FOLLOWUP_DONE,
    SNOOZE,
    crate::tui::keymap::AGENDA_ENTER,
    MOVE_QUIET,
    CANCEL_QUIET,
    ADD,
];

/// The same keys with a meeting selected: the footer shows the meeting keys (done,
/// reschedule, cancel) first.
const MEETING_KEYS: &[Binding] = &[
    DONE,
    MOVE,
    CANCEL,
    crate::tui::keymap::AGENDA_ENTER,
    PREV,
    NEXT,
    TODAY,
    WEEK,
    WORST,
    FOLLOWUP_DONE_QUIET,
    SNOOZE_QUIET,
    ADD,
];

/// The same keys with a follow-up selected: the follow-up keys (done, snooze, edit, cancel)
/// first.
const FOLLOWUP_KEYS: &[Binding] = &[
    FOLLOWUP_DONE,
    SNOOZE,
    crate::tui::keymap::AGENDA_ENTER,
    crate::tui::keymap::FOLLOWUP_EDIT,
    crate::tui::keymap::FOLLOWUP_CANCEL,
    PREV,
    NEXT,
    TODAY,
    WEEK,
    WORST,
    DONE_QUIET,
    MOVE_QUIET,
    ADD,
];

const DONE_QUIET: Binding = Binding {
    keys: &[Key::ch('d')],
    label: "d",
    help: "meeting done",
    action: Action::MeetingDone,
    footer: false,
};

/// What an empty notebook says first, on the agenda and the lists.
pub const FIRST_STEPS: &str = "No accounts yet — press a to add one, or kam import FILE / kam demo";

/// The agenda screen's state.
pub struct AgendaView {
    from: NaiveDate,
    week: bool,
    agenda: Option<Agenda>,
    /// The prep line of each planned meeting, by id.
    preps: HashMap<i64, MeetingPrep>,
    /// The selectable entries, in display order.
    entries: Vec<Selection>,
    /// The selected entry, followed by record across reloads.
    cursor: Cursor<Ident>,
    /// The notebook holds no account and no person yet.
    empty: bool,
}

impl AgendaView {
    pub fn new(today: NaiveDate) -> Self {
        AgendaView {
            from: today,
            week: false,
            agenda: None,
            preps: HashMap::new(),
            entries: Vec::new(),
            cursor: Cursor::default(),
            empty: false,
        }
    }

    fn days(&self) -> u32 {
        if self.week { 7 } else { 1 }
    }

    fn shift(&mut self, forward: bool) {
        let step = Days::new(u64::from(self.days()));
        let next = if forward {
            self.from.checked_add_days(step)
        } else {
            self.from.checked_sub_days(step)
        };
        if let Some(d) = next {
            self.from = d;
            self.cursor = Cursor::default();
        }
    }

    fn keys(&self) -> Vec<Ident> {
        self.entries.iter().map(|e| e.ident()).collect()
    }
}

impl View for AgendaView {
    fn title(&self) -> String {
        "Agenda".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        match self.selection() {
            Some(Selection::Meeting { .. }) => MEETING_KEYS,
            Some(Selection::FollowUp { .. }) => FOLLOWUP_KEYS,
            _ => KEYS,
        }
    }

    fn need(&self) -> Need {
        Need::Agenda {
            from: self.from,
            days: self.days(),
        }
    }

    fn accept(&mut self, data: Loaded) {
        let Loaded::Agenda(loaded) = data else {
            return;
        };
        let (agenda, preps, empty) = *loaded;
        self.empty = empty;
        self.entries = entries(&agenda, &preps);
        self.cursor.follow(&self.keys());
        self.preps = preps;
        self.agenda = Some(agenda);
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        if self.cursor.step(action, 10, &self.keys()) {
            return None;
        }
        match action {
            Action::Add => return Some(Action::AddRecord(crate::store::TargetKind::Account, None)),
            // A meeting opens its prep (the account's dossier is one Enter further).
            Action::OpenSelected => {
                return match self.selection() {
                    Some(Selection::Meeting { id, .. }) => Some(Action::Prep(id)),
                    other => other.and_then(Selection::open),
                };
            }
            Action::PrevDay => {
                self.shift(false);
                return Some(Action::Refresh);
            }
            Action::NextDay => {
                self.shift(true);
                return Some(Action::Refresh);
            }
            Action::ToggleWeek => {
                self.week = !self.week;
                return Some(Action::Refresh);
            }
            Action::WorstRedFlags => {
                let worst = self
                    .agenda
                    .as_ref()
                    .and_then(|a| a.red_flags.first())
                    .map(|f| Selection::Account(f.account.id));
                if let Some(at) = worst.and_then(|w| self.entries.iter().position(|e| *e == w)) {
                    self.cursor.select(at, &self.keys());
                }
            }
            Action::Today => {
                self.from = self.agenda.as_ref().map_or(self.from, |a| a.today);
                self.cursor = Cursor::default();
                return Some(Action::Refresh);
            }
            _ => {}
        }
        None
    }

    fn day_changed(&mut self, yesterday: NaiveDate, today: NaiveDate) {
        // Only when it was showing "today": a day the user chose stays where it is.
        if self.from == yesterday {
            self.from = today;
            self.cursor = Cursor::default();
        }
    }

    fn selection(&self) -> Option<Selection> {
        self.entries.get(self.cursor.selected()?).copied()
    }

    fn gone(&self) -> bool {
        self.cursor.gone()
    }

    fn release(&mut self) {
        self.cursor.release();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let Some(agenda) = &self.agenda else {
            Paragraph::new("Loading…").render(area, buf);
            return;
        };
        let mut lines = layout(
            agenda,
            &self.preps,
            &ctx.now,
            usize::from(area.width),
            ctx.theme,
        );
        if self.empty {
            let width = usize::from(area.width).saturating_sub(1);
            let mut first: Vec<Row> = crate::tui::wrap::wrap(FIRST_STEPS, width)
                .into_iter()
                .map(|l| {
                    (
                        Line::from(span(&format!(" {l}"), ctx.theme.heading())),
                        None,
                    )
                })
                .collect();
            first.push((Line::default(), None));
            first.append(&mut lines);
            lines = first;
        }
        let selected_line = lines
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| s.is_some())
            .nth(self.cursor.row())
            .map(|(i, _)| i);
        // A record gone is not highlighted (keys do not act on it); the view stays put.
        let highlighted = selected_line.filter(|_| !self.cursor.gone());
        let height = usize::from(area.height);
        // Keep the selection in view, a few lines from the bottom edge when scrolling.
        let top = match selected_line {
            Some(i) if i + 3 > height => (i + 3 - height).min(lines.len().saturating_sub(height)),
            _ => 0,
        };
        let shown: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, (line, _))| {
                if Some(i) == highlighted {
                    line.style(ctx.theme.selected())
                } else {
                    line
                }
            })
            .collect();
        Paragraph::new(shown).render(area, buf);
    }
}

/// Text from data, sanitized, in `style`.
fn span(text: &str, style: Style) -> Span<'static> {
    Span::styled(sanitize_line(text).into_owned(), style)
}

type Row = (Line<'static>, Option<Selection>);

/// The screen's lines, painted from the agenda's sections ([`Agenda::sections`], the lines
/// `kam agenda` prints), and which entry each selectable line is.
fn layout<Tz: TimeZone>(
    agenda: &Agenda,
    preps: &HashMap<i64, MeetingPrep>,
    now: &DateTime<Tz>,
    cells: usize,
    theme: Theme,
) -> Vec<Row>
where
    Tz::Offset: std::fmt::Display,
{
    let sections = agenda.sections(preps, now);
    painter::lines(&sections, cells, theme)
        .into_iter()
        .map(|(line, item)| (line, item.and_then(painter::selection)))
        .collect()
}

/// The selectable entries, in display order. Which record a line shows does not depend on the
/// moment it is drawn at (only the next meeting's countdown does), so any moment serves.
fn entries(agenda: &Agenda, preps: &HashMap<i64, MeetingPrep>) -> Vec<Selection> {
    let midnight = Utc.from_utc_datetime(&agenda.today.and_time(NaiveTime::MIN));
    agenda
        .sections(preps, &midnight)
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(painter::selection)
        .collect()
}
