//! The coverage screen (`6`, issue 14.2): what `kam coverage` shows, on one screen — the key
//! people (influence 4–5) in all, never seen, the loyal-or-better share and the cooling, the
//! stages with their count and share (a bar each), then one line per account, selectable with
//! ↑/↓ (key people, never seen, loyal or better, cooling, in columns); `Enter` opens the
//! account's dossier. The figures come from [`crate::coverage`] (one
//! grouped query), read once per change of the notebook on the figures thread and kept; the
//! lines are written there too, once per reading, so a frame only copies the visible ones.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::coverage::{self, AccountCoverage, TerritoryCoverage};
use crate::domain::{RecordKind, RecordRef};
use crate::store::{CoverageScope, Reader, StoreError};
use crate::text::{fit, sanitize_line, truncate};
use crate::tui::action::{Action, ScreenKind};
use crate::tui::keymap::{Binding, Key};

const KEYS: &[Binding] = &[Binding {
    keys: &[Key::plain(crossterm::event::KeyCode::Enter)],
    label: "Enter",
    help: "open the account",
    action: Action::OpenSelected,
    footer: true,
}];

/// Cells of a stage's share bar (100 %).
const BAR: usize = 20;

/// "1 (50 %)": a count and its share.
fn share(n: u32, pct: u32) -> String {
    format!("{n} ({pct} %)")
}

/// An account's figures under the [`COLUMNS`] heading.
fn figures(a: &AccountCoverage) -> String {
    let t = &a.tally;
    format!(
        "{:>4} {:>5} {:>11} {:>11} {:>11}",
        a.tier.map(|t| t.to_string()).unwrap_or_default(),
        t.key_people,
        share(t.never_seen, t.never_seen_share),
        share(t.loyal_or_better, t.loyal_or_better_share),
        share(t.cooling, t.cooling_share)
    )
}

/// The heading of the account figures' columns.
fn columns() -> String {
    format!(
        "{:>4} {:>5} {:>11} {:>11} {:>11}",
        "tier", "key", "never seen", "loyal+", "cooling"
    )
}

/// Reads the coverage of every account in use and writes its lines (on the reader thread: at L
/// 20,000 account lines, longer than a frame to write; shared, not copied, when kept).
pub fn load(reader: &Reader<'_>) -> Result<Arc<Written>, StoreError> {
    Ok(Arc::new(Written::of(&coverage::load(
        reader,
        &CoverageScope::default(),
    )?)))
}

/// The coverage screen's state: the lines written once per reading.
#[derive(Default)]
pub struct CoverageView {
    data: Option<Arc<Written>>,
    cursor: Cursor<Selection>,
}

/// The text of a reading, written once when it is read.
#[derive(Debug, PartialEq)]
pub struct Written {
    headline: String,
    facts: String,
    /// Stage name, count, share.
    stages: Vec<(&'static str, u32, u32)>,
    /// Per account: its reference and name, and its figures in columns.
    accounts: Vec<(String, String)>,
    keys: Vec<Selection>,
}

impl CoverageView {
    pub fn new() -> Self {
        CoverageView::default()
    }
}

impl Written {
    fn of(c: &TerritoryCoverage) -> Written {
        let (headline, facts) = coverage::headline(c);
        Written {
            headline,
            facts,
            stages: c
                .total
                .by_stage
                .iter()
                .map(|s| (coverage::stage_name(s), s.people, s.share))
                .collect(),
            accounts: c
                .accounts
                .iter()
                .map(|a| {
                    (
                        format!(
                            "{} {}",
                            RecordRef::of(RecordKind::Account, a.id),
                            sanitize_line(&a.name)
                        ),
                        figures(a),
                    )
                })
                .collect(),
            keys: c
                .accounts
                .iter()
                .map(|a| Selection::Account(a.id))
                .collect(),
        }
    }
}

impl View for CoverageView {
    fn title(&self) -> String {
        "Coverage".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn need(&self) -> Need {
        Need::Coverage
    }

    fn accept(&mut self, data: Loaded) {
        if let Loaded::Coverage(written) = data {
            self.cursor.follow(&written.keys);
            self.data = Some(written);
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        let keys = self.data.as_ref().map_or(&[][..], |d| d.keys.as_slice());
        if self.cursor.step(action, 10, keys) {
            return None;
        }
        match action {
            Action::OpenSelected => self.selection().and_then(Selection::open),
            _ => None,
        }
    }

    fn selection(&self) -> Option<Selection> {
        let d = self.data.as_ref()?;
        d.keys.get(self.cursor.selected()?).copied()
    }

    fn gone(&self) -> bool {
        self.cursor.gone()
    }

    fn screen(&self) -> Option<ScreenKind> {
        Some(ScreenKind::Coverage)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let t = ctx.theme;
        let Some(d) = &self.data else {
            Paragraph::new("Loading…").render(area, buf);
            return;
        };
        let cells = usize::from(area.width);
        let line = |text: &str, style| {
            Line::from(Span::styled(
                truncate(&sanitize_line(text), cells).into_owned(),
                style,
            ))
        };
        if d.accounts.is_empty() {
            Paragraph::new(vec![
                line("No key people (influence 4–5) in any account yet.", t.dim()),
                line(
                    "Give a person influence 4 or 5 (kam person edit NAME --influence 5).",
                    t.dim(),
                ),
            ])
            .render(area, buf);
            return;
        }
        let mut rows = vec![
            line(&d.headline, t.heading()),
            line(&format!("  {}", d.facts), t.text()),
            line("By stage", t.heading()),
        ];
        for &(stage, people, share) in &d.stages {
            let filled = (usize::try_from(share).unwrap_or(BAR) * BAR / 100).min(BAR);
            let style = match stage {
                "cooling" | "lost" => t.alert(),
                _ => t.accent(),
            };
            rows.push(Line::from(vec![
                Span::styled(
                    format!("  {} {people:>5} {share:>3} % ", fit(stage, 11)),
                    t.text(),
                ),
                Span::styled(
                    format!("{}{}", "█".repeat(filled), "░".repeat(BAR - filled)),
                    style,
                ),
            ]));
        }
        let heading = columns();
        let name_w = cells.saturating_sub(heading.len() + 3).max(10);
        rows.push(line(
            &format!(
                "{} {heading}",
                fit(&format!("By account ({})", d.accounts.len()), name_w + 2)
            ),
            t.heading(),
        ));
        // The account lines in view: the selected one always shows.
        let room = usize::from(area.height).saturating_sub(rows.len()).max(1);
        let selected = self.cursor.selected();
        let first = selected.map_or(0, |s| s.saturating_sub(room - 1));
        for (i, (name, figures)) in d.accounts.iter().enumerate().skip(first).take(room) {
            let row = line(&format!("  {} {figures}", fit(name, name_w)), t.text());
            rows.push(if selected == Some(i) {
                row.style(t.selected())
            } else {
                row
            });
        }
        Paragraph::new(rows).render(area, buf);
    }
}
