//! The one shape every read model is laid out in before it is painted: headed [`Section`]s of
//! short [`Item`] lines, each with a [`Tone`]. The brief (`crate::prep`) and the agenda
//! (`crate::agenda::sections`) build it once; `kam prep` / `kam agenda`, the TUI screens and the
//! Markdown writers paint it, so they cannot drift apart. Lines hold the data as written:
//! painters sanitize for the terminal and escape for Markdown.

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
