//! The power map as terminal lines at a width: segments of sanitized text, each with a tone
//! the caller turns into a colour (the TUI's theme, ANSI codes in `kam map`) or ignores.

use crate::domain::{Attitude, BuyingRole, Id, LinkKind, Person, PersonStage};
use crate::text::{sanitize_line, truncate, width};

use super::{CrossWhy, End, PowerMap};

/// What a piece of text means, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Text,
    /// A person's name.
    Name,
    /// Secondary: titles, accounts, notes, column titles, the tree's rails.
    Dim,
    Heading,
    /// Good for us: champions, supporters, allies, coaches.
    Good,
    /// Worth a look: skeptics, a cooling relationship, influence edges, economic buyers.
    Warn,
    /// Against us: opponents, rivals, blockers, a lost relationship.
    Alert,
}

/// A piece of a line: sanitized text that fits where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub tone: Tone,
}

/// One line of the map, and the person it is about (selectable in the TUI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLine {
    pub segments: Vec<Segment>,
    pub person: Option<Id>,
}

impl MapLine {
    fn new(segments: Vec<Segment>, person: Option<Id>) -> Self {
        let mut line = MapLine { segments, person };
        // No trailing blanks: a printed map copies cleanly.
        while let Some(last) = line.segments.last_mut() {
            let kept = last.text.trim_end().len();
            last.text.truncate(kept);
            if !last.text.is_empty() {
                break;
            }
            line.segments.pop();
        }
        line
    }

    fn blank() -> Self {
        MapLine::new(Vec::new(), None)
    }

    fn one(text: &str, tone: Tone, cells: usize) -> Self {
        MapLine::new(cell(&[(text, tone)], cells, false), None)
    }

    /// The line's text without tones.
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }
}

fn seg(text: &str, tone: Tone) -> Segment {
    Segment {
        text: text.to_string(),
        tone,
    }
}

/// Parts of text from data cut, in order, to `cells` in all, and padded to it when `pad`.
fn cell(parts: &[(&str, Tone)], cells: usize, pad: bool) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut used = 0;
    for (text, tone) in parts {
        let clean = sanitize_line(text);
        let cut = truncate(&clean, cells - used).into_owned();
        used += width(&cut);
        let done = cut != *clean;
        out.push(seg(&cut, *tone));
        if done || used >= cells {
            break;
        }
    }
    if pad && used < cells {
        out.push(seg(&" ".repeat(cells - used), Tone::Text));
    }
    out
}

const ROLE: usize = 15;
const INFLUENCE: usize = 5;
const ATTITUDE: usize = 11;
const STAGE: usize = 10;
/// Narrowest name column (tree rails included) before columns are dropped.
const MIN_NAME: usize = 22;
/// Widest name column.
const MAX_NAME: usize = 60;

/// Which attribute columns fit, and how wide the name column is.
#[derive(Debug, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)] // one flag per optional column
struct Columns {
    role: bool,
    influence: bool,
    attitude: bool,
    stage: bool,
    name: usize,
}

impl Columns {
    /// All the columns but the first `dropped` of: stage, role, influence, attitude.
    fn without(dropped: usize) -> Self {
        Columns {
            stage: dropped < 1,
            role: dropped < 2,
            influence: dropped < 3,
            attitude: dropped < 4,
            name: 0,
        }
    }

    fn for_width(cells: usize) -> Self {
        // Columns go, in that order, when the names would get too narrow.
        let mut c = Columns::without(0);
        for dropped in 0..=4 {
            c = Columns::without(dropped);
            c.name = cells.saturating_sub(c.right());
            if c.name >= MIN_NAME {
                break;
            }
        }
        // Wide terminals: the columns stay near the names rather than across the screen.
        c.name = c.name.clamp(1, MAX_NAME);
        c
    }

    /// Cells taken right of the name column.
    fn right(self) -> usize {
        usize::from(self.role) * (2 + ROLE)
            + usize::from(self.influence) * (2 + INFLUENCE)
            + usize::from(self.attitude) * (2 + ATTITUDE)
            + usize::from(self.stage) * (2 + STAGE)
    }

    fn titles(self) -> MapLine {
        let mut s = vec![seg(&" ".repeat(self.name), Tone::Dim)];
        let mut push = |on: bool, gap: usize, text: &str, w: usize| {
            if on {
                s.push(seg(
                    &format!("{}{}", " ".repeat(gap), crate::text::fit(text, w)),
                    Tone::Dim,
                ));
            }
        };
        push(self.role, 2, "role", ROLE);
        push(self.influence, 2, "infl.", INFLUENCE);
        push(self.attitude, 2, "attitude", ATTITUDE);
        push(self.stage, 2, "stage", STAGE);
        MapLine::new(s, None)
    }

    /// A person's line: `lead` (tree rails or indent), name · title, then the columns.
    fn person(self, lead: &str, p: &Person) -> MapLine {
        let lead = truncate(lead, self.name.saturating_sub(8)).into_owned();
        let mut s = vec![seg(&lead, Tone::Dim)];
        let room = self.name.saturating_sub(width(&lead));
        let title = p.title.as_deref().map(|t| format!(" · {t}"));
        // A title only when it fits whole or keeps a good part: cut short it is noise.
        let title_fits = title.as_deref().is_some_and(|t| {
            let left = room.saturating_sub(width(&sanitize_line(&p.name)));
            left >= width(&sanitize_line(t)) || left >= 23
        });
        let mut parts = vec![(p.name.as_str(), Tone::Name)];
        if let (Some(t), true) = (&title, title_fits) {
            parts.push((t.as_str(), Tone::Dim));
        }
        s.extend(cell(&parts, room, true));
        if self.role {
            let (text, tone) = role(p.role);
            s.push(seg("  ", Tone::Text));
            s.extend(cell(&[(text, tone)], ROLE, true));
        }
        if self.influence {
            let (text, tone) = influence(p.influence);
            s.push(seg(&format!("  {text}"), tone));
        }
        if self.attitude {
            let (text, tone) = attitude(p.attitude);
            s.push(seg("  ", Tone::Text));
            s.extend(cell(&[(text, tone)], ATTITUDE, true));
        }
        if self.stage {
            let (text, tone) = stage(p.stage);
            s.push(seg("  ", Tone::Text));
            s.extend(cell(&[(text, tone)], STAGE, false));
        }
        MapLine::new(s, Some(p.id))
    }
}

fn role(r: Option<BuyingRole>) -> (&'static str, Tone) {
    match r {
        None => ("", Tone::Text),
        Some(BuyingRole::EconomicBuyer) => ("economic-buyer", Tone::Warn),
        Some(BuyingRole::Coach) => ("coach", Tone::Good),
        Some(BuyingRole::Blocker) => ("blocker", Tone::Alert),
        Some(r) => (crate::domain::Vocabulary::as_str(r), Tone::Text),
    }
}

/// `●●●○○` for 3 of 5; `·····` when unknown.
pub fn influence(i: Option<u8>) -> (String, Tone) {
    match i {
        Some(i) => {
            let i = usize::from(i.min(5));
            ("●".repeat(i) + &"○".repeat(5 - i), Tone::Text)
        }
        None => ("·····".into(), Tone::Dim),
    }
}

fn attitude(a: Option<Attitude>) -> (&'static str, Tone) {
    match a {
        None => ("", Tone::Text),
        Some(Attitude::Champion) => ("++ champion", Tone::Good),
        Some(Attitude::Supporter) => ("+ supporter", Tone::Good),
        Some(Attitude::Neutral) => ("0 neutral", Tone::Text),
        Some(Attitude::Skeptic) => ("- skeptic", Tone::Warn),
        Some(Attitude::Opponent) => ("-- opponent", Tone::Alert),
    }
}

fn stage(s: Option<PersonStage>) -> (&'static str, Tone) {
    match s {
        None => ("", Tone::Text),
        Some(PersonStage::Cooling) => ("cooling", Tone::Warn),
        Some(PersonStage::Lost) => ("lost", Tone::Alert),
        Some(s) => (crate::domain::Vocabulary::as_str(s), Tone::Text),
    }
}

/// How a cross link is drawn between its two names.
fn label(kind: LinkKind, why: CrossWhy) -> (&'static str, Tone) {
    match (kind, why) {
        (LinkKind::ReportsTo, CrossWhy::Also) => ("─also reports to→", Tone::Text),
        (LinkKind::ReportsTo, CrossWhy::Loop) => ("─reports to (loop)→", Tone::Warn),
        (LinkKind::ReportsTo, CrossWhy::Link) => ("─reports to→", Tone::Text),
        (LinkKind::Influences, _) => ("─influences→", Tone::Warn),
        (LinkKind::Ally, _) => ("─ally─", Tone::Good),
        (LinkKind::Rival, _) => ("─rival─", Tone::Alert),
        (LinkKind::Friend, _) => ("─friend─", Tone::Text),
        (LinkKind::Family, _) => ("─family─", Tone::Text),
    }
}

/// Cross links in this order of kind (what moves a deal first), then oldest first.
fn kind_rank(kind: LinkKind) -> u8 {
    match kind {
        LinkKind::Influences => 0,
        LinkKind::Rival => 1,
        LinkKind::Ally => 2,
        LinkKind::ReportsTo => 3,
        LinkKind::Friend => 4,
        LinkKind::Family => 5,
    }
}

impl PowerMap {
    /// The map as lines of at most `cells` display cells (see the module doc for the style).
    pub fn lines(&self, cells: usize) -> Vec<MapLine> {
        let cells = cells.max(20);
        if self.people.is_empty() {
            return vec![MapLine::one(
                "No people in this account yet.",
                Tone::Dim,
                cells,
            )];
        }
        let cols = Columns::for_width(cells);
        let mut out = vec![cols.titles()];
        for placed in &self.tree {
            let d = placed.depth();
            let mut lead = String::new();
            for (level, more) in placed.rails.iter().enumerate() {
                lead.push_str(match (level + 1 == d, *more) {
                    (false, true) => "│  ",
                    (false, false) => "   ",
                    (true, true) => "├─ ",
                    (true, false) => "└─ ",
                });
            }
            // Very deep trees: keep the nearest levels, the names need the room.
            let max = cols.name.saturating_sub(12);
            if width(&lead) > max {
                let keep: String = lead.chars().skip(width(&lead) - max + 1).collect();
                lead = format!("…{keep}");
            }
            out.push(cols.person(&lead, &self.people[placed.person]));
        }
        if !self.unplaced.is_empty() {
            if !self.tree.is_empty() {
                out.push(MapLine::blank());
            }
            out.push(MapLine::one(
                "Not placed (no reports-to link)",
                Tone::Heading,
                cells,
            ));
            for &i in &self.unplaced {
                out.push(cols.person("  ", &self.people[i]));
            }
        }
        self.cross_lines(cells, &mut out);
        if self.more_people {
            out.push(MapLine::blank());
            out.push(MapLine::one(
                &format!(
                    "… the account has more people: the map shows the first {} by name",
                    self.people.len()
                ),
                Tone::Dim,
                cells,
            ));
        }
        out.push(MapLine::blank());
        let legend = "●●●○○ influence 3 of 5 · ─kind→ one way · ─kind─ both ways";
        out.push(MapLine::new(
            cell(&[(legend, Tone::Dim)], cells, false),
            None,
        ));
        out
    }

    /// The person of each line that has one, in the order drawn (the same at every width):
    /// the tree, "Not placed", then the first person of each cross link.
    pub fn selectable(&self) -> Vec<Id> {
        self.lines(80)
            .into_iter()
            .filter_map(|l| l.person)
            .collect()
    }

    /// How many lines have a person (without drawing them).
    pub fn selectable_len(&self) -> usize {
        self.tree.len() + self.unplaced.len() + self.cross.len()
    }

    fn cross_lines(&self, cells: usize, out: &mut Vec<MapLine>) {
        if self.cross.is_empty() && !self.truncated {
            return;
        }
        out.push(MapLine::blank());
        out.push(MapLine::one("Cross links", Tone::Heading, cells));
        let mut cross: Vec<_> = self.cross.iter().collect();
        cross.sort_by_key(|c| (kind_rank(c.link.kind), c.link.id));
        let end_text = |e: End| {
            let (_, name, account) = self.end(e);
            let account = account.map(|a| format!(" · {a}"));
            (name.to_string(), account)
        };
        let cell_width = |e: End| {
            let (name, account) = end_text(e);
            width(&sanitize_line(&name)) + account.map_or(0, |a| width(&sanitize_line(&a)))
        };
        let label_w = cross
            .iter()
            .map(|c| width(label(c.link.kind, c.why).0))
            .max()
            .unwrap_or(0)
            .min(cells.saturating_sub(10));
        let room = cells.saturating_sub(2 + label_w + 4);
        let from_w = cross
            .iter()
            .map(|c| cell_width(c.from))
            .max()
            .unwrap_or(0)
            .min(room / 2)
            .max(1);
        for c in cross {
            let (text, tone) = label(c.link.kind, c.why);
            let mut s = vec![seg("  ", Tone::Text)];
            let (name, account) = end_text(c.from);
            let mut parts = vec![(name.as_str(), Tone::Name)];
            if let Some(a) = &account {
                parts.push((a.as_str(), Tone::Dim));
            }
            s.extend(cell(&parts, from_w, true));
            s.push(seg("  ", Tone::Text));
            s.extend(cell(&[(text, tone)], label_w, true));
            s.push(seg("  ", Tone::Text));
            let (name, account) = end_text(c.to);
            let mut parts = vec![(name.as_str(), Tone::Name)];
            if let Some(a) = &account {
                parts.push((a.as_str(), Tone::Dim));
            }
            let to_w = cells.saturating_sub(2 + from_w + 2 + label_w + 2).max(1);
            s.extend(cell(&parts, to_w, false));
            out.push(MapLine::new(s, Some(self.end(c.from).0)));
            if let Some(note) = c.link.note.as_deref().filter(|n| !n.trim().is_empty()) {
                let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut s = vec![seg("      ", Tone::Text)];
                s.extend(cell(&[(&note, Tone::Dim)], cells - 6, false));
                out.push(MapLine::new(s, None));
            }
        }
        if self.truncated {
            out.push(MapLine::one(
                "  … and more links than a map shows (see each person's dossier)",
                Tone::Dim,
                cells,
            ));
        }
    }
}
