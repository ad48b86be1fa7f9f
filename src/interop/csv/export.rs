//! Writing one table as CSV (store side): RFC 4180 quoting by the `csv` crate, CRLF line
//! ends, text cells guarded against formula injection, numbers written as numbers.

use std::collections::HashMap;
use std::io::Write;

use crate::domain::{Due, Timestamp, Vocabulary};
use crate::interop::jsonl::ExportError;
use crate::store::{ExportRecord, Reader};

use super::Table;

/// A text cell a spreadsheet would run as a formula gets a leading `'`; so does one whose
/// leading `'`s are followed by a formula character, so the importer's unguarding (which takes
/// one `'` off such a cell) gives every cell back whole.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    const STARTERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    if cell.trim_start_matches('\'').starts_with(STARTERS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn ts(t: Option<&Timestamp>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

fn opt<V: Vocabulary>(v: Option<V>) -> String {
    v.map(|v| v.as_str().to_string()).unwrap_or_default()
}

/// A row under construction: text cells are guarded, number and date cells are not.
#[derive(Default)]
struct Cells(Vec<String>);

impl Cells {
    fn text(&mut self, s: Option<&str>) -> &mut Self {
        self.0.push(guard(s.unwrap_or("")).into_owned());
        self
    }
    fn raw(&mut self, s: String) -> &mut Self {
        self.0.push(s);
        self
    }
}

const ACCOUNTS: &[&str] = &[
    "uid",
    "name",
    "kind",
    "tier",
    "stage",
    "territory",
    "city",
    "country",
    "address",
    "website",
    "phone",
    "revenue",
    "our_sales",
    "currency",
    "about",
    "needs",
    "plans",
    "competitors",
    "tags",
    "created_at",
    "updated_at",
];
const PEOPLE: &[&str] = &[
    "uid",
    "name",
    "account",
    "title",
    "role",
    "influence",
    "attitude",
    "stage",
    "phone",
    "email",
    "birthday",
    "notes",
    "languages",
    "tags",
    "created_at",
    "updated_at",
    "salutation",
    "family_name",
];
const INTERACTIONS: &[&str] = &[
    "uid", "kind", "at", "end", "status", "account", "people", "title", "location", "body",
    "outcome", "tags",
];
const DEALS: &[&str] = &[
    "uid",
    "account",
    "title",
    "kind",
    "stage",
    "value",
    "currency",
    "probability",
    "close",
    "commission_rate",
    "notes",
];
const FOLLOWUPS: &[&str] = &[
    "uid", "text", "due", "status", "priority", "account", "person", "deal", "repeat", "done_at",
];

/// The people column that holds personal notes (family, hobbies, habits): left out of a CSV
/// unless asked for (issue 15: personal notes stay home).
const PERSONAL: &str = "notes";

/// Writes `table`; returns the rows written (the header not counted). People's personal notes
/// are written only when `personal` (`--include-personal`): without it their column is left
/// out, so a re-import of the file never clears them either.
#[allow(clippy::too_many_lines)] // one arm per table, each a row of cells in header order
pub fn export(
    reader: &Reader<'_>,
    out: &mut dyn Write,
    table: Table,
    bom: bool,
    personal: bool,
) -> Result<u64, ExportError> {
    if bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    let header = match table {
        Table::Accounts => ACCOUNTS,
        Table::People => PEOPLE,
        Table::Interactions => INTERACTIONS,
        Table::Deals => DEALS,
        Table::FollowUps => FOLLOWUPS,
    };
    // Where the personal notes sit in a people row, when they are left out.
    let drop_at = (table == Table::People && !personal)
        .then(|| header.iter().position(|h| *h == PERSONAL))
        .flatten();
    let header: Vec<&str> = header
        .iter()
        .enumerate()
        .filter(|(n, _)| Some(*n) != drop_at)
        .map(|(_, h)| *h)
        .collect();
    w.write_record(&header).map_err(csv_io)?;
    let mut accounts: HashMap<String, String> = HashMap::new();
    let mut people: HashMap<String, String> = HashMap::new();
    let mut deals: HashMap<String, String> = HashMap::new();
    let mut rows = 0_u64;
    let name = |m: &HashMap<String, String>, uid: Option<&String>| {
        uid.map(|u| m.get(u).cloned().unwrap_or_else(|| u.clone()))
    };
    reader.export(|record| -> Result<(), ExportError> {
        let mut c = Cells::default();
        match (&record, table) {
            (ExportRecord::Account(a, _), _) if table != Table::Accounts => {
                accounts.insert(a.uid.clone(), a.name.clone());
                return Ok(());
            }
            (ExportRecord::Person(p, _, _), _) if table != Table::People => {
                people.insert(p.uid.clone(), p.name.clone());
                return Ok(());
            }
            (ExportRecord::Deal(d, _, _), Table::FollowUps) => {
                deals.insert(d.uid.clone(), d.title.clone());
                return Ok(());
            }
            (ExportRecord::Account(a, s), Table::Accounts) => {
                c.text(Some(&a.uid))
                    .text(Some(&a.name))
                    .text(a.kind.as_deref())
                    .raw(opt(a.tier))
                    .raw(opt(a.stage))
                    .text(a.territory.as_deref())
                    .text(a.city.as_deref())
                    .text(a.country.as_deref())
                    .text(a.address.as_deref())
                    .text(a.website.as_deref())
                    .text(a.phone.as_deref())
                    .raw(num(a.revenue))
                    .raw(num(a.our_sales))
                    .text(a.currency.as_deref())
                    .text(a.about.as_deref())
                    .text(a.needs.as_deref())
                    .text(a.plans.as_deref())
                    .text(a.competitors.as_deref())
                    .text(Some(&a.tags.join(", ")))
                    .raw(ts(Some(&s.created_at)))
                    .raw(ts(Some(&s.updated_at)));
            }
            (ExportRecord::Person(p, s, refs), Table::People) => {
                c.text(Some(&p.uid))
                    .text(Some(&p.name))
                    .text(name(&accounts, refs.account.as_ref()).as_deref())
                    .text(p.title.as_deref())
                    .raw(opt(p.role))
                    .raw(p.influence.map(|i| i.to_string()).unwrap_or_default())
                    .raw(opt(p.attitude))
                    .raw(opt(p.stage))
                    .text(p.phone.as_deref())
                    .text(p.email.as_deref())
                    .raw(p.birthday.map(|b| b.to_string()).unwrap_or_default())
                    .text(p.personal.as_deref())
                    .text(Some(&p.languages.join(", ")))
                    .text(Some(&p.tags.join(", ")))
                    .raw(ts(Some(&s.created_at)))
                    .raw(ts(Some(&s.updated_at)))
                    .text(p.salutation.as_deref())
                    .text(p.family_name.as_deref());
            }
            (ExportRecord::Interaction(i, _, refs), Table::Interactions) => {
                let names: Vec<String> = refs
                    .people
                    .iter()
                    .map(|u| people.get(u).cloned().unwrap_or_else(|| u.clone()))
                    .collect();
                c.text(Some(&i.uid))
                    .raw(i.kind.as_str().to_string())
                    .raw(ts(Some(&i.at)))
                    .raw(ts(i.end.as_ref()))
                    .raw(i.status.as_str().to_string())
                    .text(name(&accounts, refs.account.as_ref()).as_deref())
                    .text(Some(&names.join(", ")))
                    .text(i.title.as_deref())
                    .text(i.location.as_deref())
                    .text(i.body.as_deref())
                    .text(i.outcome.as_deref())
                    .text(Some(&i.tags.join(", ")));
            }
            (ExportRecord::Deal(d, _, refs), Table::Deals) => {
                c.text(Some(&d.uid))
                    .text(name(&accounts, refs.account.as_ref()).as_deref())
                    .text(Some(&d.title))
                    .raw(opt(d.kind))
                    .raw(opt(d.stage))
                    .raw(num(d.value))
                    .text(d.currency.as_deref())
                    .raw(num(d.probability))
                    .raw(d.close.map(|d| d.to_string()).unwrap_or_default())
                    .raw(num(d.commission_rate))
                    .text(d.notes.as_deref());
            }
            (ExportRecord::FollowUp(f, _, refs), Table::FollowUps) => {
                let due = match f.due {
                    Due::Day(d) => d.to_string(),
                    Due::At(t) => ts(Some(&t)),
                };
                c.text(Some(&f.uid))
                    .text(Some(&f.text))
                    .raw(due)
                    .raw(f.status.as_str().to_string())
                    .raw(f.priority.map(|p| p.to_string()).unwrap_or_default())
                    .text(name(&accounts, refs.account.as_ref()).as_deref())
                    .text(name(&people, refs.person.as_ref()).as_deref())
                    .text(name(&deals, refs.deal.as_ref()).as_deref())
                    .raw(f.repeat.map(|r| r.to_string()).unwrap_or_default())
                    .raw(ts(f.done_at.as_ref()));
            }
            _ => return Ok(()),
        }
        if let Some(at) = drop_at {
            c.0.remove(at);
        }
        w.write_record(&c.0).map_err(csv_io)?;
        rows += 1;
        Ok(())
    })?;
    w.flush()?;
    Ok(rows)
}

#[allow(clippy::needless_pass_by_value)] // used as map_err(csv_io)
fn csv_io(e: ::csv::Error) -> ExportError {
    match e.into_kind() {
        // Kept as it is, so a closed pipe (`| head`) stays a quiet exit.
        ::csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_guarded_and_nothing_else() {
        for bad in ["=1+1", "+34 600", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(bad), format!("'{bad}"));
        }
        assert_eq!(guard("'=x"), "''=x");
        assert_eq!(crate::interop::csv::read::unguard(&guard("'=x")), "'=x");
        for fine in ["Ana", "1+1", "", " =x", "'quoted", "Peña"] {
            assert_eq!(guard(fine), fine);
        }
        // Numbers are written unguarded: a negative number stays a number.
        assert_eq!(num(Some(-1250.5)), "-1250.5");
        assert_eq!(num(None), "");
    }
}
