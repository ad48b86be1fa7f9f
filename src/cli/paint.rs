//! Paints a read model's sections ([`crate::layout`]) as `kam` prints them: a heading per
//! section, entries indented two spaces under it and details four, a labelled value after its
//! label in a column, each line in its tone's style. `kam agenda`, `kam prep` and
//! `kam account show` / `kam person show` print through it.

use super::CliError;
use super::output::Out;
use crate::layout::{Section, Tone};

/// How a command sets its sections apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// A blank line between sections (the agenda, the brief); a dossier runs on.
    pub blank_between: bool,
    /// Headings in capitals (the brief).
    pub upper_titles: bool,
    /// A section without a title is indented as if under the one above (a dossier's facts
    /// under its head), not a note of its own (the agenda's).
    pub untitled_indented: bool,
}

/// Cells of a label's column.
const LABEL: usize = 12;

/// Prints `sections`.
pub fn sections<'s>(
    out: &mut Out,
    sections: impl IntoIterator<Item = &'s Section>,
    look: Look,
) -> Result<(), CliError> {
    for (n, section) in sections.into_iter().enumerate() {
        if n > 0 && look.blank_between {
            out.line("")?;
        }
        let indent = if section.title.is_empty() && !look.untitled_indented {
            ""
        } else if section.title.is_empty() {
            "  "
        } else if look.upper_titles {
            out.heading(&section.title.to_uppercase())?;
            "  "
        } else {
            out.heading(&section.title)?;
            "  "
        };
        for item in &section.items {
            let step = if item.detail { "  " } else { "" };
            let text = match item.label {
                Some(label) => format!("{indent}{step}{label:<LABEL$}{}", item.text),
                None => format!("{indent}{step}{}", item.text),
            };
            match item.tone {
                Tone::Alert => out.alert(&text)?,
                Tone::Dim => out.dim(&text)?,
                Tone::Strong => out.accent(&text)?,
                Tone::Plain => out.line(&text)?,
            }
        }
    }
    Ok(())
}
