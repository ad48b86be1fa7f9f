//! Writing a read sheet's rows as accounts or people (store side): match by uid, else by name
//! (and email for people); an empty cell leaves the field as it was.

use std::str::FromStr;

use crate::domain::{Account, Birthday, Person, Tier, Vocabulary};
use crate::interop::{ImportError, Report, line_error};
use crate::store::{StoreError, Writer};

use super::{Field, Sheet, Table};

/// Writes every row of `sheet` through `w`.
pub fn import(
    w: &Writer<'_>,
    sheet: &Sheet,
    progress: &mut dyn FnMut(u64),
) -> Result<Report, ImportError> {
    let mut report = Report::default();
    for (n, (line, cells)) in sheet.rows.iter().enumerate() {
        if n % 1000 == 0 {
            progress(n as u64);
        }
        let row = Row {
            line: *line,
            cells,
            sheet,
        };
        match sheet.mapping.table {
            Table::People => person(w, &row, &mut report)?,
            _ => account(w, &row, &mut report)?,
        }
    }
    Ok(report)
}

struct Row<'a> {
    line: u64,
    cells: &'a [String],
    sheet: &'a Sheet,
}

impl Row<'_> {
    fn get(&self, f: Field) -> Option<String> {
        let i = self.sheet.mapping.index(f)?;
        self.cells
            .get(i)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(str::to_string)
    }

    fn error(&self, field: Field, message: impl Into<String>) -> ImportError {
        line_error(self.line, Some(field.name()), message)
    }

    fn store_error(&self, e: StoreError) -> ImportError {
        match e {
            StoreError::Invalid(inv) => line_error(self.line, Some(&inv.field), inv.problem),
            other => ImportError::Store(other),
        }
    }

    fn tags(&self) -> Vec<String> {
        self.get(Field::Tags)
            .map(|t| {
                t.split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn set(field: &mut Option<String>, value: Option<String>) {
    if value.is_some() {
        *field = value;
    }
}

fn merge_tags(tags: &mut Vec<String>, new: Vec<String>) {
    for t in new {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
}

fn account(w: &Writer<'_>, row: &Row<'_>, report: &mut Report) -> Result<(), ImportError> {
    let Some(name) = row.get(Field::Name).or_else(|| row.get(Field::Account)) else {
        report.skip("account");
        report.notes.push(format!(
            "line {}: no account name; the row was skipped",
            row.line
        ));
        return Ok(());
    };
    let existing = match row.get(Field::Uid) {
        Some(uid) => match w.id_by_uid(crate::store::UidTable::Accounts, &uid)? {
            Some(id) => w.account(id)?,
            None => None,
        },
        None => None,
    };
    let existing = match existing {
        Some(e) => Some(e),
        None => match w.account_named(&name)? {
            Some(id) => w.account(id)?,
            None => None,
        },
    };
    let mut a = match &existing {
        Some((a, _)) => a.clone(),
        None => Account {
            uid: row
                .get(Field::Uid)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ..Account::default()
        },
    };
    a.name = name;
    set(&mut a.kind, row.get(Field::Kind));
    if let Some(t) = row.get(Field::Tier) {
        a.tier = Some(Tier::parse(&t).map_err(|e| row.error(Field::Tier, e.to_string()))?);
    }
    set(&mut a.territory, row.get(Field::Territory));
    set(&mut a.city, row.get(Field::City));
    set(&mut a.country, row.get(Field::Country));
    set(&mut a.address, row.get(Field::Address));
    set(&mut a.website, row.get(Field::Website));
    set(&mut a.phone, row.get(Field::Phone));
    if let Some(r) = row.get(Field::Revenue) {
        let clean: String = r
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_')
            .collect();
        let v = f64::from_str(&clean)
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                row.error(
                    Field::Revenue,
                    format!("\"{r}\" is not a number; write 1250000.50"),
                )
            })?;
        a.revenue = Some(v);
    }
    if let Some(c) = row.get(Field::Currency) {
        a.currency = Some(c.to_ascii_uppercase());
    }
    set(&mut a.about, row.get(Field::Notes));
    merge_tags(&mut a.tags, row.tags());
    match existing {
        Some((before, _)) if before == a => report.skip("account"),
        Some(_) => {
            w.upsert_account(&a, None, None)
                .map_err(|e| row.store_error(e))?;
            report.update("account");
        }
        None => {
            w.upsert_account(&a, None, None)
                .map_err(|e| row.store_error(e))?;
            report.add("account");
        }
    }
    Ok(())
}

fn birthday(row: &Row<'_>, text: &str) -> Result<Birthday, ImportError> {
    if let Ok(b) = Birthday::from_str(text) {
        return Ok(b);
    }
    if let Some(b) = crate::interop::vcard::birthday(text, false) {
        return Ok(b);
    }
    // 27.11.1984 (day first, as Europe writes it).
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y") {
        return Birthday::from_str(&d.format("%Y-%m-%d").to_string())
            .map_err(|e| row.error(Field::Birthday, e.to_string()));
    }
    Err(row.error(
        Field::Birthday,
        format!(
            "\"{text}\" is not a date; write 1984-11-27, 27.11.1984 or --11-27 without the year"
        ),
    ))
}

fn person(w: &Writer<'_>, row: &Row<'_>, report: &mut Report) -> Result<(), ImportError> {
    let joined = [row.get(Field::FirstName), row.get(Field::LastName)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    // "Nombre" + "Apellidos": a name column beside a last-name one holds the first name.
    let name = match (
        row.get(Field::Name),
        row.get(Field::FirstName),
        row.get(Field::LastName),
    ) {
        (Some(n), None, Some(last)) => Some(format!("{n} {last}")),
        (Some(n), _, _) => Some(n),
        _ => (!joined.is_empty()).then_some(joined),
    };
    let Some(name) = name else {
        report.skip("person");
        report
            .notes
            .push(format!("line {}: no name; the row was skipped", row.line));
        return Ok(());
    };
    let email = row.get(Field::Email);
    let existing = match row.get(Field::Uid) {
        Some(uid) => w.person_by_uid(&uid)?,
        None => None,
    };
    let existing = match existing {
        Some(e) => Some(e),
        None => w.people_named(&name)?.into_iter().find(|(p, _)| {
            p.email.as_deref().map(str::to_lowercase) == email.as_deref().map(str::to_lowercase)
        }),
    };
    let mut p = match &existing {
        Some((p, _)) => p.clone(),
        None => Person {
            uid: row
                .get(Field::Uid)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ..Person::default()
        },
    };
    p.name = name;
    if let Some(org) = row.get(Field::Account) {
        p.account = Some(
            crate::interop::find_or_add_account(w, &org, report).map_err(|e| row.store_error(e))?,
        );
    }
    set(&mut p.title, row.get(Field::Title));
    set(&mut p.phone, row.get(Field::Phone));
    set(&mut p.email, email);
    if let Some(b) = row.get(Field::Birthday) {
        p.birthday = Some(birthday(row, &b)?);
    }
    set(&mut p.personal, row.get(Field::Notes));
    merge_tags(&mut p.tags, row.tags());
    match existing {
        Some((before, _)) if before == p => report.skip("person"),
        Some(_) => {
            w.upsert_person(&p, None, None)
                .map_err(|e| row.store_error(e))?;
            report.update("person");
        }
        None => {
            w.upsert_person(&p, None, None)
                .map_err(|e| row.store_error(e))?;
            report.add("person");
        }
    }
    Ok(())
}
