//! A dossier as Markdown, to read offline: the sections `kam account show` / `kam person show`
//! print and the TUI's tabs show ([`crate::dossier`]), as one document — the head as the title
//! and a list of facts, each other section a `##` heading over a list (details nested, free
//! text as paragraphs). Every data string goes through [`super::escape`] or [`super::block`].

use std::fmt::Write as _;

use chrono::{DateTime, TimeZone};

use crate::config::CadenceConfig;
use crate::domain::Id;
use crate::dossier::{self, DossierSection, Limits, Notes, Part};
use crate::layout::{Item, Tone};
use crate::store::{Reader, StoreError};

use super::{block, escape};

/// What a Markdown dossier reads: more than the terminal shows, no power map.
const LIMITS: Limits = Limits {
    people: 200,
    timeline: 20,
    followups: 100,
    links: 100,
    map: false,
};

/// One list item, in its tone.
fn bullet(item: &Item) -> String {
    let text = escape(&item.text);
    let text = match item.label {
        Some(label) => format!("**{label}:** {text}"),
        None => text,
    };
    let text = match item.tone {
        Tone::Strong => format!("**{text}**"),
        Tone::Alert => format!("⚠ **{text}**"),
        Tone::Dim if item.detail => format!("_{text}_"),
        Tone::Plain | Tone::Dim => text,
    };
    let indent = if item.detail { "  " } else { "" };
    format!("{indent}- {text}\n")
}

/// The sections as a document, dated `today`.
pub fn write(sections: &[DossierSection], today: chrono::NaiveDate) -> String {
    let mut out = String::new();
    for s in sections {
        let section = &s.section;
        if s.part == Part::Head {
            let _ = write!(out, "# {}\n\n", escape(&section.title));
        } else if !section.title.is_empty() {
            let _ = write!(out, "## {}\n\n", escape(&section.title));
        }
        if section.items.is_empty() {
            continue;
        }
        if section.items.iter().all(|i| i.prose) {
            let text: Vec<&str> = section.items.iter().map(|i| i.text.as_str()).collect();
            out.push_str(&block(&text.join("\n")));
        } else {
            let mut items = section.items.iter().peekable();
            while let Some(item) = items.next() {
                if !(item.prose && item.detail) {
                    out.push_str(&bullet(item));
                    continue;
                }
                // A note's lines under its entry: one block, continuing the list item.
                let mut text = vec![item.text.as_str()];
                while let Some(next) = items.next_if(|i| i.prose && i.detail) {
                    text.push(&next.text);
                }
                for line in block(&text.join("\n")).lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        out.push('\n');
    }
    let _ = write!(out, "---\n\n*Exported from kamnote on {today}.*\n");
    crate::text::sanitize(&out).into_owned()
}

/// The account's dossier as seen at `now`.
pub fn account<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<String, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let data = dossier::account(reader, id, LIMITS, now, cadence)?;
    Ok(write(&data.sections(Notes::Whole, now), now.date_naive()))
}

/// The person's dossier as seen at `now`.
pub fn person<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<String, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let data = dossier::person(reader, id, LIMITS, now, cadence)?;
    Ok(write(&data.sections(Notes::Whole, now), now.date_naive()))
}
