//! A capture in progress: what the TUI's note, follow-up or meeting popup holds before `Ctrl-S`.
//! The popup saves it as the user types so that a crash, a kill or a closed terminal loses
//! nothing; it is offered back on the next start and removed once the capture is saved or
//! discarded. Drafts are private to this notebook file: they are neither exported nor synced.

use serde_json::{Map, Value};

use super::{DraftKind, Id, RecordKind, Timestamp};

/// An unsaved capture.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// 0 for a draft not saved yet; the store gives it an id on the first save.
    pub id: Id,
    pub kind: DraftKind,
    /// The account, person, deal... the capture is about, once picked.
    pub target: Option<(RecordKind, Id)>,
    /// The multi-line text as typed.
    pub text: String,
    /// The date-language field as typed ("+3d", "fri 10:00"), parsed only on save.
    pub when: Option<String>,
    /// The popup's other fields (title, place, duration, attendees...), as the TUI keeps them.
    pub fields: Map<String, Value>,
    /// When it was last saved; set by the store.
    pub updated_at: Option<Timestamp>,
}

impl Draft {
    /// An empty draft of `kind`, not saved yet.
    pub fn new(kind: DraftKind) -> Self {
        Draft {
            id: 0,
            kind,
            target: None,
            text: String::new(),
            when: None,
            fields: Map::new(),
            updated_at: None,
        }
    }

    /// Nothing typed or picked yet: not worth keeping.
    pub fn is_blank(&self) -> bool {
        self.target.is_none()
            && self.text.trim().is_empty()
            && self.when.as_deref().is_none_or(|w| w.trim().is_empty())
            && self.fields.is_empty()
    }
}
