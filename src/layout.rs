//! The one shape every read model is laid out in before it is painted: headed [`Section`]s of
//! short [`Item`] lines, each with a [`Tone`]. The brief (`crate::prep`) and the agenda
//! (`crate::agenda::sections`) build it once; `kam prep` / `kam agenda`, the TUI screens and the
//! Markdown writers paint it, so they cannot drift apart. Lines hold the data as written:
//! painters sanitize for the terminal and escape for Markdown. A line about one record carries
//! its [`Anchor`], the stable link a front acts on (the TUI selects it, `Enter` opens it); the
//! [`Tone`] decides the style.

use crate::domain::Id;

/// How a line should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Needs attention: overdue, over budget, a red flag, a birthday.
    Alert,
    /// The main line of an entry (a person's name, the meeting's title, the next meeting).
    Strong,
    /// Secondary detail (notes, outcomes, where a meeting is).
    Dim,
}

/// The record a line shows, for a front to act on: what the TUI's cursor selects and follows
/// across reloads. Meetings and follow-ups carry the version shown, so that a change made from
/// the line refuses to overwrite someone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Meeting {
        id: Id,
        version: i64,
    },
    FollowUp {
        id: Id,
        version: i64,
    },
    Person(Id),
    Account(Id),
    Deal(Id),
    /// An obligation of a deal (a receivable, a duty of ours).
    Obligation(Id),
    Interaction(Id),
    /// A power-map link.
    Link(Id),
    /// A row of a list that has no record of its own (a stage change), by position.
    Entry(usize),
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub tone: Tone,
    /// A detail line under the entry above (indented).
    pub detail: bool,
    /// The person this line is about (`Enter` opens their dossier).
    pub person: Option<Id>,
    /// The account this line is about.
    pub account: Option<Id>,
    /// The record the line shows (selectable in the TUI); `None` for a heading-like or detail
    /// line.
    pub anchor: Option<Anchor>,
    /// How many bytes at the end of `text` are its marks (a meeting's id, `✓ done`,
    /// `⚠ overlaps`, `← next`): a painter that must cut the line cuts before them.
    pub marks: usize,
    /// What the value is ("Phone", "Website"): painted before the text, as a column or bold.
    pub label: Option<&'static str>,
    /// A line of free text (a note, "About"): a painter short of room wraps it, not cuts it.
    pub prose: bool,
}

impl Item {
    /// An entry line.
    pub fn new(text: impl Into<String>, tone: Tone) -> Item {
        Item {
            text: text.into(),
            tone,
            detail: false,
            person: None,
            account: None,
            anchor: None,
            marks: 0,
            label: None,
            prose: false,
        }
    }

    /// A labelled value ("Phone  +34 …").
    pub fn labelled(label: &'static str, value: impl Into<String>) -> Item {
        Item {
            label: Some(label),
            ..Item::new(value, Tone::Plain)
        }
    }

    /// A line of free text, wrapped rather than cut.
    pub fn prose(text: impl Into<String>) -> Item {
        Item {
            prose: true,
            ..Item::new(text, Tone::Plain)
        }
    }

    /// The same line, showing `anchor`.
    #[must_use]
    pub fn at(self, anchor: Anchor) -> Item {
        Item {
            anchor: Some(anchor),
            ..self
        }
    }

    /// A detail line under the entry above.
    pub fn detail(text: impl Into<String>, tone: Tone) -> Item {
        Item {
            detail: true,
            ..Item::new(text, tone)
        }
    }
}

/// A headed group of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}
