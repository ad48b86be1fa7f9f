//! Markdown for reading offline: a record's dossier ([`dossier`]), and later other writers
//! (a meeting's prep sheet) beside it. Data text is made inert by [`crate::markdown`], so a
//! note that holds `# `, `*`, `[x](y)`, `|` or `<b>` shows as typed and cannot change the
//! document's structure. Control characters (an escape sequence pasted into a note) are shown
//! escaped (`\x1b`) by [`crate::text::sanitize`], as on the terminal: a dossier is for reading.

pub mod dossier;

pub use crate::markdown::{block, escape};
