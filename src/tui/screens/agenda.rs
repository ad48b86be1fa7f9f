//! The home screen: the agenda of a day (or a week). Meetings in time order with the next one
//! highlighted and counted down, overlaps flagged, follow-ups due and overdue, birthdays,
//! deadlines, the accounts with the worst red flags (`!` selects the worst), and who is due
//! for contact. `←/→` move by day, `t` back to today, `w` a week.
//! The footer shows the daily keys (d r c x s w); every key is in `?`.

use chrono::{DateTime, Days, Local, NaiveDate};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Ident, Loaded, Need, RenderCtx, Selection, View};
use std::collections::HashMap;

use crate::agenda::{Agenda, Deadline, FlaggedAccount, FollowUpItem, Meeting, MeetingPrep, Stale};
use crate::domain::{InteractionStatus, Party};
use crate::text::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key};
use crate::tui::theme::Theme;
use crate::when::When;

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
        if matches!(self.selection(), Some(Selection::Meeting { .. })) {
            MEETING_KEYS
        } else {
            KEYS
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
        self.entries = layout(&agenda, &preps, None, Theme::plain())
            .into_iter()
            .filter_map(|(_, s)| s)
            .collect();
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
        let mut lines = layout(agenda, &self.preps, Some(ctx.now), ctx.theme);
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

fn hhmm(t: &crate::domain::Timestamp) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

/// "in 42 min", "in 3 h 5 min", "now".
fn span(text: &str, style: Style) -> Span<'static> {
    Span::styled(sanitize_line(text).into_owned(), style)
}

type Row = (Line<'static>, Option<Selection>);

fn heading(rows: &mut Vec<Row>, text: &str, theme: Theme) {
    if !rows.is_empty() {
        rows.push((Line::default(), None));
    }
    rows.push((Line::from(span(text, theme.heading())), None));
}

/// The screen's lines and which entry each selectable line is. With `now` absent (when only the
/// entries are wanted) nothing is highlighted as next.
fn layout(
    agenda: &Agenda,
    preps: &HashMap<i64, MeetingPrep>,
    now: Option<DateTime<Local>>,
    theme: Theme,
) -> Vec<Row> {
    let mut rows = Vec::new();
    if !agenda.overdue.is_empty() {
        let title = if agenda.overdue_more {
            format!(
                "Overdue follow-ups ({}; the {} most recent)",
                agenda.overdue_total,
                agenda.overdue.len()
            )
        } else {
            format!("Overdue follow-ups ({})", agenda.overdue_total)
        };
        heading(&mut rows, &title, theme);
        for f in &agenda.overdue {
            rows.push(followup_row(f, true, theme));
        }
    }
    if !agenda.overdue_obligations.is_empty() {
        heading(&mut rows, &agenda.overdue_obligations_title(false), theme);
        if let Some(owed) = agenda.overdue_owed_line() {
            rows.push((
                Line::from(vec![span("  ", theme.text()), span(&owed, theme.alert())]),
                None,
            ));
        }
        for d in &agenda.overdue_obligations {
            rows.push((
                Line::from(vec![
                    span("  ", theme.text()),
                    span(&deadline_text(d), theme.alert()),
                ]),
                Some(deadline_selection(d)),
            ));
        }
    }
    let next = now.and_then(|now| {
        agenda
            .days
            .iter()
            .flat_map(|d| &d.meetings)
            .find(|m| {
                m.status == InteractionStatus::Planned && m.start.timestamp() >= now.timestamp()
            })
            .map(|m| m.id)
    });
    day_rows(&mut rows, agenda, preps, next, now, theme);
    if !agenda.ahead.is_empty() {
        heading(&mut rows, "Coming up on deals", theme);
        for t in &agenda.ahead {
            rows.push((
                Line::from(vec![
                    span(&format!("  {}: ", t.countdown()), theme.alert()),
                    span(&format!("{} · {}", t.title, t.account), theme.text()),
                ]),
                None,
            ));
        }
    }
    if !agenda.red_flags.is_empty() {
        heading(
            &mut rows,
            "Red flags: the worst accounts (! jumps here, Enter opens)",
            theme,
        );
        for f in &agenda.red_flags {
            rows.push(red_flag_row(f, theme));
        }
    }
    if !agenda.stale_people.is_empty() {
        let more = if agenda.stale_more {
            " (the most overdue)"
        } else {
            ""
        };
        heading(&mut rows, &format!("Due for contact{more}"), theme);
        for s in &agenda.stale_people {
            rows.push(stale_row(s, Selection::Person(s.id), theme));
        }
    }
    if !agenda.stale_accounts.is_empty() {
        heading(&mut rows, "Accounts past their visit cadence", theme);
        for s in &agenda.stale_accounts {
            rows.push(stale_row(s, Selection::Account(s.id), theme));
        }
    }
    rows
}

/// The days of the range: meetings, follow-ups, birthdays and deadlines of each.
fn day_rows(
    rows: &mut Vec<Row>,
    agenda: &Agenda,
    preps: &HashMap<i64, MeetingPrep>,
    next: Option<i64>,
    now: Option<DateTime<Local>>,
    theme: Theme,
) {
    let single = agenda.days.len() == 1;
    for day in &agenda.days {
        let empty = day.meetings.is_empty()
            && day.followups.is_empty()
            && day.birthdays.is_empty()
            && day.deadlines.is_empty();
        if empty && !single {
            continue;
        }
        heading(
            rows,
            &When {
                date: day.date,
                time: None,
            }
            .describe(agenda.today),
            theme,
        );
        if day.meetings.is_empty() && single {
            rows.push((Line::from(span("  No meetings.", theme.dim())), None));
        }
        for m in &day.meetings {
            meeting_rows(rows, m, preps.get(&m.id), next == Some(m.id), now, theme);
        }
        for f in &day.followups {
            rows.push(followup_row(f, false, theme));
        }
        for b in &day.birthdays {
            let turns = b.turns.map(|t| format!(", turns {t}")).unwrap_or_default();
            let at = b
                .account
                .as_deref()
                .map(|a| format!(" · {a}"))
                .unwrap_or_default();
            rows.push((
                Line::from(vec![
                    span("  🎂 ", theme.text()),
                    span(&format!("{}{turns}", b.name), theme.accent()),
                    span(&at, theme.dim()),
                ]),
                Some(Selection::Person(b.person)),
            ));
        }
        for d in &day.deadlines {
            rows.push((
                Line::from(vec![
                    span("  ⏰ ", theme.text()),
                    span(&deadline_text(d), theme.text()),
                ]),
                Some(deadline_selection(d)),
            ));
        }
    }
}

fn meeting_rows(
    rows: &mut Vec<Row>,
    m: &Meeting,
    prep: Option<&MeetingPrep>,
    is_next: bool,
    now: Option<DateTime<Local>>,
    theme: Theme,
) {
    let time = match &m.end {
        Some(e) => format!("{}–{}", hhmm(&m.start), hhmm(e)),
        None => hhmm(&m.start),
    };
    let title = m.title.clone().unwrap_or_else(|| m.kind.to_string());
    let title_style = if is_next {
        theme.accent()
    } else {
        theme.text()
    };
    // The markers come before the title, so a narrow terminal never cuts them off.
    let mut head = vec![span(&format!("  {time:<11} "), theme.text())];
    if let (true, Some(now)) = (is_next, now) {
        let start = m.start.with_timezone(&Local);
        head.push(span(
            &format!("▶ {} ", crate::agenda::countdown(&start, &now)),
            theme.accent(),
        ));
    }
    match m.status {
        InteractionStatus::Done => head.push(span("✓ done ", theme.good())),
        InteractionStatus::Cancelled => head.push(span("✗ cancelled ", theme.dim())),
        InteractionStatus::Planned => {}
    }
    if m.overlaps {
        head.push(span("⚠ overlap ", theme.alert()));
    }
    head.push(span(&title, title_style));
    let selection = Selection::Meeting {
        id: m.id,
        version: m.version,
        account: m.account.as_ref().map(|a| a.id),
        person: m.people.first().map(|p| p.id),
    };
    rows.push((Line::from(head), Some(selection)));
    let place: Vec<&str> = [
        m.account.as_ref().map(|a| a.name.as_str()),
        m.location.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        rows.push((
            Line::from(span(
                &format!("{:14}{}", "", place.join(" · ")),
                theme.dim(),
            )),
            None,
        ));
    }
    // The one-line prep (who, their stage and days since we saw them, open promises, the
    // deal at stake); a meeting already held just lists who was there.
    if let Some(line) = prep.and_then(MeetingPrep::summary) {
        rows.push((
            Line::from(span(&format!("{:14}{line}", ""), theme.dim())),
            None,
        ));
    } else if !m.people.is_empty() {
        let names: Vec<&str> = m.people.iter().map(|p| p.name.as_str()).collect();
        rows.push((
            Line::from(span(
                &format!("{:14}with {}", "", names.join(", ")),
                theme.dim(),
            )),
            None,
        ));
    }
}

fn followup_row(f: &FollowUpItem, overdue: bool, theme: Theme) -> Row {
    let when = if overdue {
        format!("{} ({}d late)", f.due.format("%d %b"), f.days_overdue)
    } else {
        f.at.as_ref().map(hhmm).unwrap_or_default()
    };
    let who = f
        .person
        .as_ref()
        .or(f.account.as_ref())
        .map(|n| format!(" — {}", n.name))
        .unwrap_or_default();
    let repeat = f
        .repeat
        .as_deref()
        .map(|r| format!("  ↻ {r}"))
        .unwrap_or_default();
    let style = if overdue { theme.alert() } else { theme.text() };
    let line = Line::from(vec![
        span(&format!("  {when:<17} "), style),
        span("☐ ", theme.text()),
        span(&f.text, theme.text()),
        span(&format!("{who}{repeat}"), theme.dim()),
    ]);
    let selection = Selection::FollowUp {
        id: f.id,
        version: f.version,
        account: f.account.as_ref().map(|a| a.id),
        person: f.person.as_ref().map(|p| p.id),
    };
    (line, Some(selection))
}

/// "  ⚑5 Hospital Clínic — Opponent with influence 5: Dr. Vidal (+2 more)".
fn red_flag_row(f: &FlaggedAccount, theme: Theme) -> Row {
    let worst = f.flags.first().map_or(String::new(), |w| {
        let more = match f.flags.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        format!(" — {}{more}", w.text)
    });
    let line = Line::from(vec![
        span(&format!("  ⚑{} ", f.score), theme.alert()),
        span(&f.account.name, theme.text()),
        span(&worst, theme.dim()),
    ]);
    (line, Some(Selection::Account(f.account.id)))
}

fn stale_row(s: &Stale, selection: Selection, theme: Theme) -> Row {
    let silent = s.days_silent.map_or_else(
        || "never in touch".to_string(),
        |d| format!("{d} days silent"),
    );
    let tier = s.tier.map(|t| format!("[{t}] ")).unwrap_or_default();
    let at = s
        .account
        .as_deref()
        .map(|a| format!(" · {a}"))
        .unwrap_or_default();
    let line = Line::from(vec![
        span(&format!("  {tier}"), theme.dim()),
        span(&s.name, theme.text()),
        span(&at, theme.dim()),
        span(
            &format!("  {silent} (every {} days)", s.cadence_days),
            theme.alert(),
        ),
    ]);
    // Right after the tier, so that a cut line still shows the suggestion.
    let line = if s.suggest_cooling {
        let mut line = line;
        line.spans.insert(1, span("cooling? ", theme.alert()));
        line
    } else {
        line
    };
    (line, Some(selection))
}

/// What `Enter` on a deadline opens: its deal; an obligation (a receivable) selected in it.
fn deadline_selection(d: &Deadline) -> Selection {
    match d {
        Deadline::DealClose { deal, .. } | Deadline::Milestone { deal, .. } => Selection::Deal {
            id: *deal,
            account: None,
        },
        Deadline::Obligation { obligation, .. } => Selection::Obligation {
            id: *obligation,
            deal: None,
        },
    }
}

fn deadline_text(d: &Deadline) -> String {
    match d {
        Deadline::DealClose {
            title,
            account,
            stage,
            ..
        } => {
            let stage = stage.map(|s| format!(" · {s}")).unwrap_or_default();
            format!("Deal closes: {title} · {account}{stage}")
        }
        Deadline::Milestone {
            title,
            account,
            name,
            ..
        } => format!("{name}: {title} · {account}"),
        Deadline::Obligation {
            text,
            account,
            party,
            ..
        } => {
            let whose = match party {
                Some(Party::Client) => "Client owes",
                Some(Party::Us) => "We owe",
                None => "Due",
            };
            format!("{whose}: {text} · {account}")
        }
    }
}
