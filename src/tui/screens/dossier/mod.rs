//! The dossier of an account or a person: a header (tier, stage and how long in it, role,
//! influence, attitude, last contact) over tabs. The data is loaded by the app
//! ([`super::Need::AccountDossier`], [`super::Need::PersonDossier`]) with the record's version,
//! so that a stage, role or attitude change can refuse to overwrite someone else's edit. The
//! timeline is windowed: the first [`TIMELINE_WINDOW`] interactions, the next window when the
//! cursor comes near the end.

mod links;
mod model;
pub(super) mod rows;

pub use model::{AccountData, Dossier, PersonData};

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use chrono::{DateTime, TimeZone, Utc};

use super::keep::Cursor;
use super::{Loaded, Need, RenderCtx, Selection, View, painter};
use crate::dossier::{DossierSection, Notes, Part};
use crate::layout::Section;
use crate::store::TargetKind;
use crate::tui::action::Action;
use crate::tui::keymap::{self, Binding, Key};
use crate::tui::theme::Theme;

use rows::{Row, span};

/// Interactions loaded at a time.
pub const TIMELINE_WINDOW: u32 = 50;
/// Load the next window when the cursor is this close to the end of the timeline.
const NEAR_END: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Overview,
    People,
    Timeline,
    FollowUps,
    Deals,
    History,
    /// Account: the power map. Person: their links, to open or remove.
    Map,
    Links,
}

impl Tab {
    /// Keys act on the selected row (a person, a link, a deal); on other tabs they act on the
    /// dossier.
    fn acts_on_row(self) -> bool {
        matches!(self, Tab::People | Tab::Map | Tab::Links | Tab::Deals)
    }
}

const ACCOUNT_TABS: &[Tab] = &[
    Tab::Overview,
    Tab::People,
    Tab::Timeline,
    Tab::FollowUps,
    Tab::Deals,
    Tab::Map,
    Tab::History,
];
const PERSON_TABS: &[Tab] = &[
    Tab::Overview,
    Tab::Timeline,
    Tab::FollowUps,
    Tab::Links,
    Tab::History,
];

const NEXT_TAB: Binding = Binding {
    keys: &[
        Key::plain(KeyCode::Tab),
        Key::ch(']'),
        Key::plain(KeyCode::Right),
    ],
    label: "Tab/]",
    help: "next tab (also →)",
    action: Action::NextTab,
    footer: true,
};
const PREV_TAB: Binding = Binding {
    keys: &[
        Key::plain(KeyCode::BackTab),
        Key::ch('['),
        Key::plain(KeyCode::Left),
    ],
    label: "S-Tab/[",
    help: "previous tab (also ←)",
    action: Action::PrevTab,
    footer: false,
};
const STAGE: Binding = Binding {
    keys: &[Key::ch('S')],
    label: "S",
    help: "stage",
    action: Action::ChangeStage,
    footer: true,
};

const EDIT: Binding = Binding {
    keys: &[Key::ch('e')],
    label: "e",
    help: "edit",
    action: Action::Edit,
    footer: true,
};

const ARCHIVE: Binding = Binding {
    keys: &[Key::ch('X')],
    label: "X",
    help: "archive / restore",
    action: Action::Archive,
    footer: false,
};

const MERGE: Binding = Binding {
    keys: &[Key::ch('M')],
    label: "M",
    help: "merge a duplicate in",
    action: Action::Merge,
    footer: false,
};

const ADD_PLAN: Binding = Binding {
    keys: &[Key::ch('P')],
    label: "P",
    help: "add a plan",
    action: Action::AddPlan,
    footer: false,
};

const PLANS: Binding = Binding {
    keys: &[Key::ch('p')],
    label: "p",
    help: "plans: edit, spend",
    action: Action::Plans,
    footer: false,
};

const ADD_PERSON: Binding = Binding {
    keys: &[Key::ch('a')],
    label: "a",
    help: "add a person here",
    action: Action::Add,
    footer: true,
};

const LINK_PERSON: Binding = Binding {
    keys: &[Key::ch('L')],
    label: "L",
    help: "link the selected person",
    action: Action::AddLink,
    footer: false,
};

const ACCOUNT_KEYS: &[Binding] = &[
    NEXT_TAB,
    PREV_TAB,
    EDIT,
    STAGE,
    ADD_PERSON,
    ARCHIVE,
    MERGE,
    LINK_PERSON,
    ADD_PLAN,
    PLANS,
];

/// An account's Timeline tab on a planned meeting: the meeting keys first.
const ACCOUNT_MEETING_KEYS: &[Binding] = &[
    keymap::MEETING_DONE,
    keymap::MEETING_MOVE,
    keymap::MEETING_CANCEL,
    NEXT_TAB,
    PREV_TAB,
    EDIT,
    STAGE,
    ADD_PERSON,
    ARCHIVE,
    MERGE,
    ADD_PLAN,
    PLANS,
];

/// A dossier's Follow-ups tab: its keys act on the selected follow-up (`e` edits it).
const FOLLOWUP_TAB_KEYS: &[Binding] = &[
    keymap::FOLLOWUP_DONE,
    keymap::FOLLOWUP_SNOOZE,
    keymap::FOLLOWUP_EDIT,
    keymap::FOLLOWUP_CANCEL,
    NEXT_TAB,
    PREV_TAB,
    STAGE,
    ARCHIVE,
    MERGE,
    ADD_PLAN,
    PLANS,
];

/// An account's Deals tab: its keys act on the selected deal.
const ACCOUNT_DEALS_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "open deal",
        action: Action::OpenSelected,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('S')],
        label: "S",
        help: "deal stage",
        action: Action::DealStage,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('e')],
        label: "e",
        help: "edit deal",
        action: Action::EditDeal,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('a')],
        label: "a",
        help: "add deal",
        action: Action::AddDeal,
        footer: true,
    },
    NEXT_TAB,
    PREV_TAB,
    ADD_PLAN,
    PLANS,
];

const ROLE: Binding = Binding {
    keys: &[Key::ch('R')],
    label: "R",
    help: "role",
    action: Action::ChangeRole,
    footer: true,
};

const ATTITUDE: Binding = Binding {
    keys: &[Key::ch('A')],
    label: "A",
    help: "attitude",
    action: Action::ChangeAttitude,
    footer: true,
};

const ADD_LINK: Binding = Binding {
    keys: &[Key::ch('L')],
    label: "L",
    help: "add a power-map link",
    action: Action::AddLink,
    footer: true,
};

const COOLING: Binding = Binding {
    keys: &[Key::ch('C')],
    label: "C",
    help: "accept cooling",
    action: Action::AcceptCooling,
    footer: false,
};

const PERSON_KEYS: &[Binding] = &[
    NEXT_TAB,
    PREV_TAB,
    EDIT,
    STAGE,
    ROLE,
    ATTITUDE,
    ADD_LINK,
    Binding {
        keys: &[Key::ch('x'), Key::plain(KeyCode::Delete)],
        label: "x/Del",
        help: "remove the selected link",
        action: Action::RemoveLink,
        footer: false,
    },
    COOLING,
    ARCHIVE,
    MERGE,
    ADD_PLAN,
    PLANS,
];

/// A person's Timeline tab on a planned meeting: the meeting keys first.
const PERSON_MEETING_KEYS: &[Binding] = &[
    keymap::MEETING_DONE,
    keymap::MEETING_MOVE,
    keymap::MEETING_CANCEL,
    NEXT_TAB,
    PREV_TAB,
    EDIT,
    STAGE,
    ROLE,
    ATTITUDE,
    ADD_LINK,
    COOLING,
    ARCHIVE,
    MERGE,
    ADD_PLAN,
    PLANS,
];

/// The dossier screen's state.
pub struct DossierView {
    kind: TargetKind,
    id: i64,
    data: Option<Dossier>,
    tab: usize,
    /// Per tab: the selected item (followed by its record's id across reloads), or the first
    /// line shown (overview).
    cursors: [Cursor<i64>; 8],
    /// The last timeline window came back full: there may be more.
    more: bool,
    /// The next timeline window is asked for.
    pending_more: bool,
}

impl DossierView {
    /// The dossier of an account or a person (`kind` is never a deal).
    pub fn new(kind: TargetKind, id: i64) -> Self {
        DossierView {
            kind,
            id,
            data: None,
            tab: 0,
            cursors: [Cursor::default(); 8],
            more: false,
            pending_more: false,
        }
    }

    fn tabs(&self) -> &'static [Tab] {
        match self.kind {
            TargetKind::Person => PERSON_TABS,
            _ => ACCOUNT_TABS,
        }
    }

    fn current(&self) -> Tab {
        self.tabs()[self.tab.min(self.tabs().len() - 1)]
    }

    /// How many items the tab lists (`None`: the overview, which scrolls by line).
    fn items(&self, tab: Tab) -> Option<usize> {
        let data = self.data.as_ref()?;
        Some(match (tab, data) {
            (Tab::Overview, _) => return None,
            (Tab::People, Dossier::Account(a)) => a.people.len(),
            (Tab::Deals, Dossier::Account(a)) => a.deals.len(),
            (Tab::People | Tab::Deals | Tab::Map, Dossier::Person(_))
            | (Tab::Links, Dossier::Account(_)) => 0,
            (Tab::Map, Dossier::Account(a)) => a.map.selectable_len(),
            (Tab::Links, Dossier::Person(p)) => p.links.len(),
            (Tab::Timeline, d) => d.timeline().len(),
            (Tab::FollowUps, d) => d.followups().len(),
            (Tab::History, d) => d.history().len(),
        })
    }

    /// What the cursor of `tab` follows across reloads: the id of each item's record (the
    /// overview's lines and the stage history, which only grows, by position).
    fn keys(&self, tab: Tab) -> Vec<i64> {
        let ids = |n: usize| {
            (0..n)
                .map(|i| i64::try_from(i).unwrap_or(i64::MAX))
                .collect()
        };
        let Some(data) = self.data.as_ref() else {
            return Vec::new();
        };
        match (tab, data) {
            (Tab::Overview, _) => ids(self.overview_len()),
            (Tab::People, Dossier::Account(a)) => a.people.iter().map(|p| p.person.id).collect(),
            (Tab::Deals, Dossier::Account(a)) => a.deals.iter().map(|d| d.id).collect(),
            (Tab::Map, Dossier::Account(a)) => a.map.selectable(),
            (Tab::Links, Dossier::Person(p)) => p.links.iter().map(|(l, _)| l.id).collect(),
            (Tab::Timeline, d) => d.timeline().iter().map(|r| r.interaction.id).collect(),
            (Tab::FollowUps, d) => d.followups().iter().map(|r| r.followup.id).collect(),
            (Tab::History, d) => ids(d.history().len()),
            (Tab::People | Tab::Deals | Tab::Map, Dossier::Person(_))
            | (Tab::Links, Dossier::Account(_)) => Vec::new(),
        }
    }

    /// The tab's lines: the dossier's sections of that part ([`crate::dossier`], the lines
    /// `kam show` prints) painted, each selectable line numbered as the tab's item; the
    /// account's power map; the keys of the Links tab; a note when the timeline has more.
    fn rows(&self, data: &Dossier, tab: Tab, width: usize, ctx: &RenderCtx) -> Vec<Row> {
        if let (Dossier::Account(a), Tab::Map) = (data, tab) {
            return links::map(&a.map, width, ctx.theme);
        }
        let mut rows = tab_rows(&sections_of(data, &ctx.now), tab, width, ctx.theme);
        match (data, tab) {
            (Dossier::Person(p), Tab::Links) => rows.extend(links::legend(p, ctx.theme)),
            (_, Tab::Timeline) if self.more => {
                rows.push((Line::from(span("  … more below", ctx.theme.dim())), None));
            }
            _ => {}
        }
        rows
    }

    /// The tabs, spaced apart when they fit in `cells`, packed together when not.
    fn tab_bar(&self, theme: Theme, cells: usize) -> Line<'static> {
        let mut spans = Vec::new();
        for (i, tab) in self.tabs().iter().enumerate() {
            let count = self
                .items(*tab)
                .filter(|_| !matches!(tab, Tab::History | Tab::Map));
            let more = if *tab == Tab::Timeline && self.more {
                "+"
            } else {
                ""
            };
            let name = match tab {
                Tab::Overview => "Overview",
                Tab::People => "People",
                Tab::Timeline => "Timeline",
                Tab::FollowUps => "Follow-ups",
                Tab::Deals => "Deals",
                Tab::History => "Stage history",
                Tab::Map => "Map",
                Tab::Links => "Links",
            };
            let text = match count {
                Some(n) => format!(" {name} {n}{more} "),
                None => format!(" {name} "),
            };
            let style = if i == self.tab {
                theme.selected()
            } else {
                theme.dim()
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        let used = |spans: &[Span<'_>]| -> usize {
            spans.iter().map(|s| crate::text::width(&s.content)).sum()
        };
        if used(&spans) > cells {
            spans.retain(|s| s.content != " ");
        }
        // Still too wide: the tabs before the current one give way, so it is always in view.
        let mut current = self.tab;
        while used(&spans) > cells && current > 0 {
            spans.remove(0);
            current -= 1;
            if let Some(first) = spans.first_mut() {
                first.content = format!("…{}", first.content.trim_start()).into();
            }
        }
        Line::from(spans)
    }

    /// Moves the cursor of the current tab; near the end of the timeline, asks for more.
    fn go(&mut self, action: Action) -> Option<Action> {
        let tab = self.current();
        // The overview is clamped when drawn; its lines at the narrowest width bound it.
        let keys = self.keys(tab);
        let last = keys.len().saturating_sub(1);
        let c = &mut self.cursors[tab as usize];
        c.step(action, 10, &keys);
        let near_end = c.row() + NEAR_END >= last;
        if tab == Tab::Timeline && near_end && self.more && !self.pending_more {
            self.pending_more = true;
            return Some(Action::Refresh);
        }
        None
    }

    /// Lines of the overview at the narrowest width (an upper bound for its scrolling; how
    /// many there are does not depend on the moment).
    fn overview_len(&self) -> usize {
        let Some(data) = &self.data else { return 0 };
        let sections = sections_of(data, &DateTime::<Utc>::UNIX_EPOCH);
        tab_rows(&sections, Tab::Overview, 40, Theme::plain()).len()
    }
}

/// The dossier's sections as a terminal shows them (notes by their first line).
fn sections_of<Tz: TimeZone>(data: &Dossier, now: &DateTime<Tz>) -> Vec<DossierSection>
where
    Tz::Offset: std::fmt::Display,
{
    match data {
        Dossier::Account(a) => a.sections(Notes::FirstLine, now),
        Dossier::Person(p) => p.sections(Notes::FirstLine, now),
    }
}

/// The sections of `tab`'s part painted; the n-th line that shows a record is item n. (The
/// head is in the header above the tabs.)
fn tab_rows(sections: &[DossierSection], tab: Tab, cells: usize, theme: Theme) -> Vec<Row> {
    let part = match tab {
        Tab::Overview => Part::Overview,
        Tab::People => Part::People,
        Tab::Timeline => Part::Timeline,
        Tab::FollowUps => Part::FollowUps,
        Tab::Deals => Part::Deals,
        Tab::History => Part::History,
        Tab::Links => Part::Links,
        Tab::Map => return Vec::new(),
    };
    let shown: Vec<Section> = sections
        .iter()
        .filter(|s| s.part == part)
        .map(|s| s.section.clone())
        .collect();
    let mut n = 0;
    painter::lines(&shown, cells, theme)
        .into_iter()
        .map(|(line, item)| {
            let item = item.filter(|i| i.anchor.is_some()).map(|_| {
                n += 1;
                n - 1
            });
            (line, item)
        })
        .collect()
}

impl DossierView {
    /// The dossier's own record (what tabs without a list act on).
    fn own(&self) -> Selection {
        match self.kind {
            TargetKind::Person => Selection::Person(self.id),
            _ => Selection::Account(self.id),
        }
    }
}

impl View for DossierView {
    fn title(&self) -> String {
        match self.kind {
            TargetKind::Person => "Person".into(),
            _ => "Account".into(),
        }
    }

    fn bindings(&self) -> &'static [Binding] {
        let person = self.kind == TargetKind::Person;
        match self.current() {
            Tab::FollowUps => FOLLOWUP_TAB_KEYS,
            Tab::Timeline if self.meeting().is_some() && person => PERSON_MEETING_KEYS,
            Tab::Timeline if self.meeting().is_some() => ACCOUNT_MEETING_KEYS,
            _ if person => PERSON_KEYS,
            Tab::Deals => ACCOUNT_DEALS_KEYS,
            _ => ACCOUNT_KEYS,
        }
    }

    fn need(&self) -> Need {
        let loaded = self.data.as_ref().map_or(0, |d| d.timeline().len());
        if self.pending_more {
            return Need::Timeline {
                of: self.kind,
                id: self.id,
                offset: u32::try_from(loaded).unwrap_or(u32::MAX),
                limit: TIMELINE_WINDOW,
            };
        }
        let timeline = u32::try_from(loaded)
            .unwrap_or(u32::MAX)
            .max(TIMELINE_WINDOW);
        match self.kind {
            TargetKind::Person => Need::PersonDossier {
                id: self.id,
                timeline,
            },
            _ => Need::AccountDossier {
                id: self.id,
                timeline,
            },
        }
    }

    fn accept(&mut self, data: Loaded) {
        match data {
            Loaded::Dossier(d) => {
                let wanted = self.data.as_ref().map_or(0, |d| d.timeline().len());
                let got = d.timeline().len();
                self.more = got >= wanted.max(TIMELINE_WINDOW as usize);
                self.data = Some(*d);
            }
            Loaded::Timeline { offset, rows } => {
                self.pending_more = false;
                let Some(d) = &mut self.data else { return };
                if offset as usize == d.timeline().len() {
                    self.more = rows.len() >= TIMELINE_WINDOW as usize;
                    d.timeline_mut().extend(rows);
                }
            }
            _ => return,
        }
        for &tab in self.tabs() {
            let keys = self.keys(tab);
            let c = &mut self.cursors[tab as usize];
            if matches!(tab, Tab::Overview | Tab::History) {
                c.select(c.row(), &keys);
            } else {
                c.follow(&keys);
            }
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        let n = self.tabs().len();
        match action {
            Action::NextTab => self.tab = (self.tab + 1) % n,
            Action::PrevTab => self.tab = (self.tab + n - 1) % n,
            Action::OpenSelected => match self.selection() {
                Some(Selection::Person(p)) if self.kind == TargetKind::Account => {
                    return Some(Action::Open(TargetKind::Person, p));
                }
                Some(s @ (Selection::Link { .. } | Selection::Deal { .. })) => return s.open(),
                // A timeline entry opens the interaction in full.
                _ if self.current() == Tab::Timeline => {
                    let cursor = self.cursors[Tab::Timeline as usize].selected()?;
                    let row = self.data.as_ref()?.timeline().get(cursor)?;
                    return Some(Action::OpenInteraction(row.interaction.id));
                }
                _ => {}
            },
            // A person of this account.
            Action::Add if self.kind == TargetKind::Account => {
                return Some(Action::AddRecord(TargetKind::Person, Some(self.id)));
            }
            _ => return self.go(action),
        }
        None
    }

    fn selection(&self) -> Option<Selection> {
        let tab = self.current();
        let listed = tab.acts_on_row();
        let Some(cursor) = self.cursors[tab as usize].selected() else {
            // A person or link gone from the tab: nothing (not the dossier's own record).
            return if listed { None } else { Some(self.own()) };
        };
        match (&self.data, self.current()) {
            (Some(Dossier::Account(a)), Tab::People) => {
                a.people.get(cursor).map(|p| Selection::Person(p.person.id))
            }
            (Some(Dossier::Account(a)), Tab::Map) => a
                .map
                .selectable()
                .get(cursor)
                .map(|&p| Selection::Person(p)),
            (Some(Dossier::Account(a)), Tab::Deals) => {
                a.deals.get(cursor).map(|d| Selection::Deal {
                    id: d.id,
                    account: Some(a.account.id),
                })
            }
            (Some(Dossier::Person(p)), Tab::Links) => {
                p.links.get(cursor).map(|(l, _)| Selection::Link {
                    id: l.id,
                    person: p.person.id,
                    other: if l.from == p.person.id { l.to } else { l.from },
                })
            }
            _ => Some(self.own()),
        }
    }

    /// On the Timeline tab, the selected entry when it is a meeting still planned.
    fn meeting(&self) -> Option<Selection> {
        if self.current() != Tab::Timeline {
            return None;
        }
        let cursor = self.cursors[Tab::Timeline as usize].selected()?;
        let row = self.data.as_ref()?.timeline().get(cursor)?;
        let i = &row.interaction;
        (i.kind.is_scheduled() && i.status == crate::domain::InteractionStatus::Planned).then(
            || Selection::Meeting {
                id: i.id,
                version: row.version,
                account: i.account,
                person: i.people.first().copied(),
            },
        )
    }

    /// On the Follow-ups tab, the selected follow-up and the version shown.
    fn followup(&self) -> Option<(i64, Option<i64>)> {
        if self.current() != Tab::FollowUps {
            return None;
        }
        let cursor = self.cursors[Tab::FollowUps as usize].selected()?;
        let row = self.data.as_ref()?.followups().get(cursor)?;
        Some((row.followup.id, Some(row.version)))
    }

    fn gone(&self) -> bool {
        // Only where keys act on the row; elsewhere they act on the dossier's own record.
        self.current().acts_on_row() && self.cursors[self.current() as usize].gone()
    }

    fn release(&mut self) {
        self.cursors[self.current() as usize].release();
    }

    fn dossier(&self) -> Option<&Dossier> {
        self.data.as_ref()
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let Some(data) = &self.data else {
            Paragraph::new("Loading…").render(area, buf);
            return;
        };
        let width = usize::from(area.width);
        // The header is the dossier's head: its title and the lines under it.
        let mut lines: Vec<Line<'static>> = Vec::new();
        for head in sections_of(data, &ctx.now)
            .iter()
            .filter(|s| s.part == Part::Head)
        {
            lines.push(Line::from(rows::cut(
                &head.section.title,
                width,
                ctx.theme.heading(),
            )));
            lines.extend(
                head.section
                    .items
                    .iter()
                    .map(|i| painter::item_line(i, 0, width, ctx.theme)),
            );
        }
        lines.push(self.tab_bar(ctx.theme, width));
        let height = usize::from(area.height).saturating_sub(lines.len());
        let tab = self.current();
        let rows = self.rows(data, tab, width, ctx);
        if rows.is_empty() {
            lines.push(Line::from(span("  Nothing here yet.", ctx.theme.dim())));
        }
        let cursor = self.cursors[tab as usize].row();
        let gone = self.cursors[tab as usize].gone();
        let (top, selected) = if tab == Tab::Overview {
            (cursor.min(rows.len().saturating_sub(height)), None)
        } else {
            let selected = rows.iter().position(|(_, item)| *item == Some(cursor));
            // Keep the selection in view, a few lines from the bottom edge when scrolling.
            let last = self.items(tab).is_some_and(|n| cursor + 1 == n);
            let top = match selected {
                // On the last item, show what follows it too (the map's cross links, a legend).
                Some(_) if last && tab == Tab::Map => rows.len().saturating_sub(height),
                Some(i) if i + 3 > height => {
                    (i + 3 - height).min(rows.len().saturating_sub(height))
                }
                _ => 0,
            };
            (top, selected)
        };
        lines.extend(
            rows.into_iter()
                .enumerate()
                .skip(top)
                .take(height)
                .map(|(i, (line, _))| {
                    if Some(i) == selected && !gone {
                        line.style(ctx.theme.selected())
                    } else {
                        line
                    }
                }),
        );
        Paragraph::new(lines).render(area, buf);
    }
}
