//! A subject access (issue 15, GDPR art. 15) as Markdown, for the person to read: every record
//! the notebook holds about them, grouped by kind, each with all its fields (the same fields as
//! the JSON Lines file, references shown by name), then the history of changes.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::interop::jsonl::{ExportError, record_object};
use crate::store::{About, ExportRecord, Reader};
use crate::text::sanitize;

/// The kinds of record, in the order written, with their section titles.
const SECTIONS: &[(&str, &str)] = &[
    ("person", "Your record"),
    ("link", "Links to other people"),
    ("interaction", "Meetings, calls and notes"),
    ("followup", "Follow-ups"),
    ("deal", "Deals you take part in"),
    ("deal_person", "Your roles in those deals"),
    ("obligation", "Obligations of those deals"),
    ("objection", "Objections you raised"),
    ("plan", "Plans, budgets and spends (transfers of value)"),
    ("stage_change", "Stage history"),
    ("account", "Organisations referred to"),
    ("product", "Products referred to"),
];

/// Keys that point at another record by uid: shown by that record's name.
const REFERENCES: &[&str] = &[
    "account",
    "person",
    "people",
    "from",
    "to",
    "subject",
    "deal",
    "interaction",
    "product",
    "competitor_of",
    "x-spend",
];

fn shown(v: &Value, names: &HashMap<String, String>) -> String {
    match v {
        Value::String(s) => names.get(s).cloned().unwrap_or_else(|| s.clone()),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Object(m) => m
                    .values()
                    .map(|y| shown(y, names))
                    .collect::<Vec<_>>()
                    .join(" "),
                other => shown(other, names),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) => m
            .iter()
            .map(|(k, y)| format!("{k}: {}", shown(y, names)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Writes the Markdown of `about`; `name` is the person's, `today` the date it was made.
pub fn markdown(
    reader: &Reader<'_>,
    about: &About,
    name: &str,
    today: &str,
) -> Result<String, ExportError> {
    let mut records: Vec<Map<String, Value>> = Vec::new();
    reader.export_about(about, |record: ExportRecord| -> Result<(), ExportError> {
        records.push(record_object(&record)?);
        Ok(())
    })?;
    // Every uid by the name it is known by.
    let mut names: HashMap<String, String> = HashMap::new();
    for r in &records {
        let label = r
            .get("name")
            .or_else(|| r.get("title"))
            .or_else(|| r.get("objective"))
            .and_then(Value::as_str);
        if let (Some(uid), Some(label)) = (r.get("uid").and_then(Value::as_str), label) {
            names.insert(uid.to_string(), label.to_string());
        }
    }
    let is_subject =
        |r: &Map<String, Value>| r.get("uid").and_then(Value::as_str) == Some(about.uid.as_str());
    let mut out = String::new();
    let _ = writeln!(out, "# What this notebook holds about {}\n", sanitize(name));
    let _ = writeln!(
        out,
        "Made on {today} from a kamnote notebook, at your request. Other people and \
         organisations appear only by name, where a record of yours refers to them.\n"
    );
    for (kind, title) in SECTIONS {
        let of_kind: Vec<&Map<String, Value>> = records
            .iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some(kind))
            // Other people are references, listed at the end.
            .filter(|r| *kind != "person" || is_subject(r))
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title} ({})\n", of_kind.len());
        for r in of_kind {
            let heading = heading(kind, r, &names);
            let _ = writeln!(out, "### {}\n", sanitize(&heading).replace('\n', " "));
            write_fields(&mut out, r, &names);
            out.push('\n');
        }
    }
    let others: Vec<&str> = records
        .iter()
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("person"))
        .filter(|r| !is_subject(r))
        .filter_map(|r| r.get("name").and_then(Value::as_str))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "## People referred to ({})\n", others.len());
        for n in others {
            let _ = writeln!(out, "- {}", sanitize(n).replace('\n', " "));
        }
        out.push('\n');
    }
    if !about.history.is_empty() {
        let _ = writeln!(out, "## History of changes ({})\n", about.history.len());
        for e in &about.history {
            let _ = writeln!(
                out,
                "- {} {}: {}",
                e.at.format("%Y-%m-%d %H:%M"),
                sanitize(&e.command),
                sanitize(&e.summary).replace('\n', " ")
            );
        }
        out.push('\n');
    }
    Ok(out)
}

/// A record's heading: who, kind and whom for a link, the move for a stage change, else its
/// name, title, objective, text or moment.
fn heading(kind: &str, r: &Map<String, Value>, names: &HashMap<String, String>) -> String {
    let field = |k: &str| r.get(k).map(|v| shown(v, names)).unwrap_or_default();
    match kind {
        "link" => format!("{} — {} → {}", field("from"), field("kind"), field("to")),
        "deal_person" => format!("{} — {}", field("deal"), field("role")),
        "objection" => format!(
            "{} on {}: {}",
            field("day"),
            field("product"),
            field("text")
        ),
        "stage_change" => format!(
            "{}: {} → {}",
            field("at").get(..10).unwrap_or_default(),
            field("from"),
            field("to")
        ),
        _ => ["name", "title", "objective", "text", "at"]
            .iter()
            .find_map(|k| r.get(*k))
            .map_or_else(|| kind.to_string(), |v| shown(v, names)),
    }
}

/// Every field of a record but its type and uid, one per line; multi-line text quoted below.
fn write_fields(out: &mut String, r: &Map<String, Value>, names: &HashMap<String, String>) {
    for (key, value) in r {
        if matches!(key.as_str(), "type" | "uid") || value.is_null() {
            continue;
        }
        let text = if REFERENCES.contains(&key.as_str()) {
            shown(value, names)
        } else {
            shown(value, &HashMap::new())
        };
        let text = sanitize(&text);
        if text.contains('\n') {
            let _ = writeln!(out, "- {key}:\n");
            for line in text.lines() {
                let _ = writeln!(out, "  > {line}");
            }
            out.push('\n');
        } else {
            let _ = writeln!(out, "- {key}: {text}");
        }
    }
}
