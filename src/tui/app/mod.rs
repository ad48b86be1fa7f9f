//! The app: the screen stack, the open popup, the status line — and [`App::update`], the one
//! place in the TUI that carries out actions and touches the store.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

mod background;
mod capture;
mod components;
mod deals;
mod dossier;
mod drafts;
mod edit;
mod followups;
mod interaction;
mod links;
mod lists;

use super::action::{Action, ScreenKind};
use super::component::Component;
use super::data;
use super::keymap::{self, Binding, GLOBAL, Key, MOVE};
use super::popup::Help;
use super::screens::agenda::AgendaView;
use super::screens::{RenderCtx, View};
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::store::{Store, StoreError};
use crate::text::{fit, sanitize_line};

/// How long the TUI's own writes (a save, done, snooze) wait for another writer's lock before
/// saying the notebook is busy: long enough for the short writes of `kam` commands, short
/// enough that the screen never seems frozen. Drafts do not wait at all (`drafts.rs`).
pub(super) const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Said in the header while a read of the screen shown is on its way.
const UPDATING: &str = " updating… ";

/// Smallest terminal the screens lay out in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// What sits over the screens.
pub enum Popup {
    /// A popup that is a component: its own keys, drawing and replies (`component.rs`).
    /// The other variants are being moved onto it.
    Component(Box<dyn Component>),
}

/// How a status message should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// The whole TUI state.
pub struct App {
    store: Store,
    clock: Clock,
    theme: Theme,
    /// The user's settings (cadence, deal defaults).
    config: Config,
    stack: Vec<Box<dyn View>>,
    popup: Option<Popup>,
    status: Option<(String, StatusKind)>,
    data_version: i64,
    quit: bool,
    /// The day the agenda was last opened on, to follow it past midnight.
    today: chrono::NaiveDate,
    /// The minute last drawn (the countdown and clock only change by the minute).
    minute: i64,
    /// This window's name (`pid:n`), the owner of its capture drafts.
    window: String,
    /// Drafts recovered at start still to offer, the next one last.
    recovered: Vec<crate::domain::Draft>,
    /// The reader threads, when the TUI runs on a file ([`background`]).
    background: Option<background::Background>,
    /// The insights and the pipeline as last read, and when.
    cache: data::Cache,
    /// What the agenda was last read for (its need, the notebook's mark, the minute): going
    /// back to it reads it again only when one of them changed.
    agenda_read: Option<(super::screens::Need, data::Mark, i64)>,
    /// How many times a screen's data was read on the UI thread (tests count them).
    loads: u64,
}

impl Drop for App {
    /// The window ends: its drafts are given back, for the next window to offer. A window
    /// killed outright keeps them until its process is seen gone.
    fn drop(&mut self) {
        let at = self.clock.now().fixed_offset();
        let window = self.window.clone();
        // Best effort: drafts this fails to give back are claimed once the process is gone.
        let _ = crate::ops::drafts::release(&mut self.store, at, &window);
        drafts::close_window(&window);
    }
}

impl App {
    /// Opens on today's agenda, with the default settings.
    pub fn new(store: Store, clock: Clock, theme: Theme) -> Self {
        Self::with_config(store, clock, theme, Config::default())
    }

    /// Opens on today's agenda with the user's settings: the first screen is read once.
    pub fn with_config(mut store: Store, clock: Clock, theme: Theme, config: Config) -> Self {
        let today = clock.today();
        let waits = store.set_write_wait(WRITE_WAIT);
        let mut app = App {
            store,
            clock,
            theme,
            config,
            stack: vec![Box::new(AgendaView::new(today))],
            popup: None,
            status: None,
            data_version: 0,
            quit: false,
            today,
            minute: 0,
            window: drafts::open_window(),
            recovered: Vec::new(),
            background: None,
            cache: data::Cache::default(),
            agenda_read: None,
            loads: 0,
        };
        app.reload();
        if let Err(e) = waits {
            app.status = Some((e.to_string(), StatusKind::Error));
        }
        if let Err(e) = app.offer_draft() {
            app.status = Some((e.to_string(), StatusKind::Error));
        }
        app
    }

    /// Uses the user's settings from now on, and reloads what is shown with them.
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
        self.cache = data::Cache::default();
        self.agenda_read = None;
        self.reload();
    }

    /// The user's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the clock (tests move time forward with it).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The status line's message, if any (tests read it).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(s, _)| s.as_str())
    }

    fn top(&self) -> &dyn View {
        self.stack
            .last()
            .map(AsRef::as_ref)
            .expect("the stack always holds the agenda")
    }

    fn top_mut(&mut self) -> &mut Box<dyn View> {
        self.stack
            .last_mut()
            .expect("the stack always holds the agenda")
    }

    /// The keymaps in force, most specific first.
    fn tables(&self) -> Vec<&'static [Binding]> {
        match &self.popup {
            Some(Popup::Component(c)) => vec![c.bindings()],
            // A focused text field takes every key but its screen's own.
            None if self.top().typing() => vec![self.top().bindings()],
            None => vec![self.top().bindings(), MOVE, GLOBAL, self.find()],
        }
    }

    /// The search key in force: `/` unless the screen uses it (then Ctrl-F alone).
    fn find(&self) -> &'static [Binding] {
        let slash = Key::ch('/');
        if self
            .top()
            .bindings()
            .iter()
            .any(|b| b.keys.contains(&slash))
        {
            keymap::FIND_CTRL
        } else {
            keymap::FIND
        }
    }

    /// A search typed but not yet run: the event loop sends [`Action::Refresh`] once the keys
    /// pause.
    pub fn pending(&self) -> bool {
        self.popup.is_none() && self.top().pending() && self.search_unsent()
    }

    /// How many times a screen's data was read on the UI thread.
    pub fn loads(&self) -> u64 {
        self.loads
    }

    /// The action a key asks for in the current context.
    pub fn key(&self, key: &KeyEvent) -> Option<Action> {
        // Ctrl-C leaves from anywhere: in raw mode it is the way out a user reaches for.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Action::Quit);
        }
        match &self.popup {
            Some(Popup::Component(c)) => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                if ctrl && matches!(key.code, KeyCode::Char('z')) {
                    keymap::lookup(key, &[GLOBAL])
                } else {
                    keymap::lookup(key, &[c.bindings()]).or(Some(Action::Input(*key)))
                }
            }
            None => {
                if self.top().typing() {
                    if let Some(a) = keymap::lookup(key, &[self.top().bindings()]) {
                        return Some(a);
                    }
                    return Some(Action::Input(*key));
                }
                keymap::lookup(key, &self.tables())
            }
        }
    }

    /// Carries out `action`; returns the next action to carry out, if any.
    pub fn update(&mut self, action: Action) -> Option<Action> {
        match self.try_update(action) {
            Ok(next) => next,
            Err(e) => {
                let message = match e {
                    // Not retried behind the user's back: a save they saw fail must not land
                    // later, after they changed their mind. What was typed stays on screen.
                    StoreError::Busy => {
                        "Notebook busy (another kam is writing): nothing saved — try again in a \
                         moment"
                            .to_string()
                    }
                    e => e.to_string(),
                };
                self.status = Some((message, StatusKind::Error));
                None
            }
        }
    }

    fn try_update(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        // A message stays until the user does something else (a reload it caused keeps it).
        if !matches!(action, Action::Input(_) | Action::Resize | Action::Refresh) {
            self.status = None;
        }
        if let Some(done) = self.component_action(action) {
            return done;
        }
        if let Some(done) = self.deal_action(action) {
            return done;
        }
        if let Some(done) = self.interaction_action(action) {
            return done;
        }
        if let Some(done) = self.followup_action(action) {
            return done;
        }
        match action {
            Action::Quit => self.quit = true,
            // Esc closes or goes back, and stops at the agenda; q also quits from there.
            Action::Back | Action::Leave => {
                if self.popup.take().is_none() {
                    if self.stack.len() > 1 {
                        self.stack.pop();
                        self.reload();
                    } else if action == Action::Leave {
                        self.quit = true;
                    }
                }
            }
            Action::Help => {
                let help = Help::new(self.tables_for_help());
                self.popup = Some(Popup::Component(Box::new(help)));
            }
            Action::Undo => return Ok(self.undo()),
            Action::Search => {
                if self.top().title() != "Search" {
                    self.stack
                        .push(Box::new(super::screens::search::SearchView::new()));
                }
            }
            Action::Refresh => self.reload(),
            Action::Go(ScreenKind::Agenda) => {
                self.stack.truncate(1);
                self.reload();
            }
            Action::Open(kind, id) => return Ok(self.open(kind, id)),
            Action::Prep(meeting) => {
                let view = super::screens::prep::PrepView::new(meeting);
                self.stack.push(Box::new(view));
                self.reload();
            }
            Action::Edit => self.open_edit(),
            Action::AddRecord(kind, account) => self.open_add(kind, account),
            Action::Archive => self.ask_archive(),
            Action::Merge => self.start_merge(),
            Action::ChangeStage => self.choose(dossier::Field::Stage),
            Action::AcceptCooling => return Ok(self.accept_cooling()),
            Action::ChangeRole => self.choose(dossier::Field::Role),
            Action::ChangeAttitude => self.choose(dossier::Field::Attitude),
            Action::AddLink => self.start_link(),
            Action::RemoveLink => self.ask_unlink(),
            Action::Go(screen) => self.go(screen),
            // Carried out by the event loop.
            Action::Resize | Action::Suspend | Action::ExternalEditor => {}
            Action::Capture(kind) => self.open_capture(kind)?,
            Action::MeetingDone => return self.meeting_done(),
            Action::RescheduleMeeting | Action::CancelMeeting => self.meeting_prompt(action)?,
            Action::Input(_) => match &mut self.popup {
                Some(_) => {}
                None => return Ok(self.top_mut().apply(action)),
            },
            Action::OpenSelected if self.top().gone() => self.nothing_selected(""),
            _ => return Ok(self.top_mut().apply(action)),
        }
        Ok(None)
    }

    /// Reloads the top screen's data.
    fn reload(&mut self) {
        let now = self.clock.now();
        let need = self.top().need();
        let mark = self.mark();
        if let Some(mark) = mark {
            self.data_version = mark.0;
        }
        let minute = self.clock.now_utc().timestamp() / 60;
        let agenda = self.stack.len() == 1;
        if agenda && mark.is_some() && self.agenda_read == mark.map(|m| (need.clone(), m, minute)) {
            return;
        }
        if let Some(data) = mark.and_then(|m| self.cache.get(&need, m)) {
            self.top_mut().accept(data);
            return;
        }
        if self.send_to_background(&need, mark) {
            return;
        }
        self.loads += 1;
        match data::load(&self.store.reader(), &need, now, &self.config) {
            Ok(data) => {
                if let Some(m) = mark {
                    self.cache.put(need.clone(), m, &data);
                    if agenda {
                        self.agenda_read = Some((need, m, minute));
                    }
                }
                self.top_mut().accept(data);
            }
            Err(e) => self.status = Some((e.to_string(), StatusKind::Error)),
        }
    }

    /// Called about once a second: picks up writes from other processes (`kam note` in
    /// another shell) and keeps countdowns current. Returns whether a redraw is due.
    pub fn tick(&mut self) -> bool {
        self.keep_draft(false);
        // Past midnight, an agenda left open on "today" moves to the new today.
        let today = self.clock.today();
        if today != self.today {
            let yesterday = std::mem::replace(&mut self.today, today);
            if let Some(agenda) = self.stack.first_mut() {
                agenda.day_changed(yesterday, today);
            }
            self.reload();
            return true;
        }
        self.read_ahead();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.reload();
                true
            }
            // The countdown and the header clock change by the minute.
            _ => {
                let minute = self.clock.now_utc().timestamp() / 60;
                std::mem::replace(&mut self.minute, minute) != minute
            }
        }
    }

    /// Draws everything into `buf`.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let msg = format!(
                "terminal too small ({}×{}); kamnote needs {MIN_WIDTH}×{MIN_HEIGHT}",
                area.width, area.height
            );
            Paragraph::new(msg)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let ctx = RenderCtx {
            now: self.clock.now(),
            theme: self.theme,
        };
        let [header, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(header, buf, &ctx);
        self.top().render(body, buf, &ctx);
        if let Some((message, kind)) = &self.status {
            let style = match kind {
                StatusKind::Info => self.theme.good(),
                StatusKind::Error => self.theme.alert(),
            };
            Paragraph::new(Span::styled(
                fit(&sanitize_line(message), usize::from(status.width)),
                style,
            ))
            .render(status, buf);
        }
        self.render_footer(footer, buf);
        match &self.popup {
            Some(Popup::Component(c)) => c.render(area, buf, &ctx),
            None => {}
        }
    }

    fn tables_for_help(&self) -> Vec<&'static [Binding]> {
        vec![self.top().bindings(), MOVE, GLOBAL, self.find()]
    }

    fn render_header(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        const ALL: [(&str, &str); 6] = [
            ("1", "Agenda"),
            ("2", "Accounts"),
            ("3", "People"),
            ("4", "Deals"),
            ("5", "Insights"),
            ("6", "Coverage"),
        ];
        let title = self.top().title();
        let clock = ctx.now.format(" %a %d %b %H:%M ").to_string();
        // As many main screens as the width allows (the first five at 100 columns, every one
        // wider), the first three at 80.
        let wide = |n: usize| {
            9 + ALL[..n].iter().map(|(_, t)| t.len() + 4).sum::<usize>() + 12 + clock.len()
        };
        let shown = [ALL.len(), 5]
            .into_iter()
            .find(|&n| usize::from(area.width) >= wide(n))
            .unwrap_or(3);
        let tabs = &ALL[..shown];
        let mut spans = vec![Span::styled(" kamnote ", self.theme.heading())];
        for &(key, name) in tabs {
            let style = if title == name {
                self.theme.selected()
            } else {
                self.theme.dim()
            };
            spans.push(Span::styled(format!(" {key} {name} "), style));
        }
        if !tabs.iter().any(|(_, n)| *n == title) {
            // A main screen the width left out still shows its key (`6 Coverage` at 100 columns).
            let shown = match ALL.iter().find(|(_, n)| *n == title) {
                Some((key, name)) => format!(" {key} {name} "),
                None => format!(" {} ", sanitize_line(&title)),
            };
            spans.push(Span::styled(shown, self.theme.selected()));
        }
        let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
        let mut pad = usize::from(area.width).saturating_sub(used + clock.len());
        // A read of what is shown is on its way (opened, or after a change): said before the
        // clock, where there is room.
        let updating = self.updating() && pad >= crate::text::width(UPDATING);
        if updating {
            pad -= crate::text::width(UPDATING);
        }
        spans.push(Span::raw(" ".repeat(pad)));
        if updating {
            spans.push(Span::styled(UPDATING, self.theme.dim()));
        }
        spans.push(Span::styled(clock, self.theme.dim()));
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn render_footer(&self, area: Rect, buf: &mut Buffer) {
        // `? help` always shows (at the right end): everything else is one key away from it.
        let help = self.popup.is_none() && !self.top().typing();
        let room = usize::from(area.width).saturating_sub(if help { 9 } else { 0 });
        let mut spans = Vec::new();
        let mut used = 0;
        let mut shown: Vec<&str> = Vec::new();
        for b in self
            .tables()
            .iter()
            .flat_map(|t| t.iter())
            .filter(|b| b.footer && !(help && b.action == Action::Help))
        {
            // A screen's own binding of a key shadows the shared one (agenda: Enter = prep).
            if shown.contains(&b.label) {
                continue;
            }
            shown.push(b.label);
            let w = crate::text::width(b.label) + crate::text::width(b.help) + 3;
            if used + w > room {
                break;
            }
            used += w;
            spans.push(Span::styled(format!(" {} ", b.label), self.theme.key()));
            spans.push(Span::raw(format!("{} ", b.help)));
        }
        if help {
            spans.push(Span::raw(" ".repeat(room.saturating_sub(used))));
            spans.push(Span::styled(" ? ", self.theme.key()));
            spans.push(Span::raw("help "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        App::render(self, area, buf);
    }
}
