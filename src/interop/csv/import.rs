//! Writing a read sheet's rows as accounts or people (store side): accounts match by uid, else
//! by name; people by the one rule of `interop::matching`; an empty cell leaves the field as it
//! was. A new record keeps the sheet's `created_at`/`updated_at` (so an export imports back
//! identical); an updated one is stamped now.

use std::str::FromStr;

use crate::domain::{
    Account, AccountStage, Attitude, Birthday, BuyingRole, Person, PersonStage, Tier, Timestamp,
    Vocabulary,
};
use crate::interop::matching::{PersonMatch, ambiguous_note, match_person};
use crate::interop::{ImportError, ImportReport, line_error};
use crate::store::{StoreError, Writer};

use super::{CsvColumn, Sheet, Table};

/// How a slash date `a/b/yyyy` reads when both `a` and `b` could be the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month first, as Outlook (US) writes it: 1/2/1980 is 2 January.
    Mdy,
    /// Day first: 1/2/1980 is 1 February.
    Dmy,
}

impl DateOrder {
    pub fn from_name(s: &str) -> Option<DateOrder> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mdy" => Some(DateOrder::Mdy),
            "dmy" => Some(DateOrder::Dmy),
            _ => None,
        }
    }
}

/// Writes every row of `sheet` through `w`; `order` reads ambiguous slash dates.
pub fn import(
    w: &Writer<'_>,
    sheet: &Sheet,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport {
        notes: sheet.notes.clone(),
        ..ImportReport::default()
    };
    for (n, (line, cells)) in sheet.rows.iter().enumerate() {
        if n % 1000 == 0 {
            progress(n as u64);
        }
        let row = Row {
            line: *line,
            cells,
            sheet,
            order,
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
    order: Option<DateOrder>,
}

impl Row<'_> {
    /// The field's cell; with several columns for it, the first non-empty one.
    fn get(&self, f: CsvColumn) -> Option<String> {
        self.sheet.mapping.indices(f).find_map(|i| {
            self.cells
                .get(i)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        })
    }

    fn vocabulary<V: Vocabulary>(&self, f: CsvColumn) -> Result<Option<V>, ImportError> {
        self.get(f)
            .map(|v| V::parse(&v).map_err(|e| self.error(f, e.to_string())))
            .transpose()
    }

    fn number(&self, f: CsvColumn) -> Result<Option<f64>, ImportError> {
        let Some(r) = self.get(f) else {
            return Ok(None);
        };
        let clean: String = r
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_')
            .collect();
        // Checked as written (11.12): digits and decimals an f64 would round away are refused.
        crate::domain::parse_amount(f.name(), &clean)
            .map(Some)
            .map_err(|e| self.error(f, e.problem))
    }

    fn timestamp(&self, f: CsvColumn) -> Result<Option<Timestamp>, ImportError> {
        self.get(f)
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(&t).map_err(|_| {
                    self.error(
                        f,
                        format!("\"{t}\" is not a time; write 2026-11-27T09:30:00+01:00"),
                    )
                })
            })
            .transpose()
    }

    fn list(&self, f: CsvColumn) -> Vec<String> {
        self.get(f)
            .map(|t| {
                t.split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn error(&self, field: CsvColumn, message: impl Into<String>) -> ImportError {
        line_error(self.line, Some(field.name()), message)
    }

    fn store_error(&self, e: StoreError) -> ImportError {
        match e {
            StoreError::Invalid(inv) => line_error(self.line, Some(&inv.field), inv.problem),
            other => ImportError::Store(other),
        }
    }

    fn tags(&self) -> Vec<String> {
        self.list(CsvColumn::Tags)
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

fn account(w: &Writer<'_>, row: &Row<'_>, report: &mut ImportReport) -> Result<(), ImportError> {
    let Some(name) = row
        .get(CsvColumn::Name)
        .or_else(|| row.get(CsvColumn::Account))
    else {
        report.skip("account");
        report.notes.push(format!(
            "line {}: no account name; the row was skipped",
            row.line
        ));
        return Ok(());
    };
    let existing = match row.get(CsvColumn::Uid) {
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
                .get(CsvColumn::Uid)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ..Account::default()
        },
    };
    a.name = name;
    set(&mut a.kind, row.get(CsvColumn::Kind));
    if let Some(t) = row.get(CsvColumn::Tier) {
        a.tier = Some(Tier::parse(&t).map_err(|e| row.error(CsvColumn::Tier, e.to_string()))?);
    }
    set(&mut a.territory, row.get(CsvColumn::Territory));
    set(&mut a.city, row.get(CsvColumn::City));
    set(&mut a.country, row.get(CsvColumn::Country));
    set(&mut a.address, row.get(CsvColumn::Address));
    set(&mut a.website, row.get(CsvColumn::Website));
    set(&mut a.phone, row.get(CsvColumn::Phone));
    if let Some(v) = row.number(CsvColumn::Revenue)? {
        a.revenue = Some(v);
    }
    if let Some(v) = row.number(CsvColumn::OurSales)? {
        a.our_sales = Some(v);
    }
    if let Some(stage) = row.vocabulary::<AccountStage>(CsvColumn::Stage)? {
        a.stage = Some(stage);
    }
    if let Some(c) = row.get(CsvColumn::Currency) {
        a.currency = Some(c.to_ascii_uppercase());
    }
    set(&mut a.about, row.get(CsvColumn::Notes));
    set(&mut a.needs, row.get(CsvColumn::Needs));
    set(&mut a.plans, row.get(CsvColumn::Plans));
    set(&mut a.competitors, row.get(CsvColumn::Competitors));
    merge_tags(&mut a.tags, row.tags());
    if let Some((before, _)) = existing {
        let same = before == a;
        if !same {
            w.upsert_account(&a, None, None)
                .map_err(|e| row.store_error(e))?;
        }
        if report.first("account", before.id, row.line) {
            if same {
                report.skip("account");
            } else {
                report.update("account");
            }
        }
    } else {
        let (created, updated) = (
            row.timestamp(CsvColumn::CreatedAt)?,
            row.timestamp(CsvColumn::UpdatedAt)?,
        );
        let id = w
            .upsert_account(&a, created, updated)
            .map_err(|e| row.store_error(e))?;
        report.first("account", id, row.line);
        report.add("account");
    }
    Ok(())
}

/// The birthday a cell holds; `None` for an empty-looking date (`0/0/00`, `00.00.0000`, as
/// Outlook writes "no birthday").
fn birthday(row: &Row<'_>, text: &str) -> Result<Option<Birthday>, ImportError> {
    if text.chars().all(|c| c == '0' || "/.-".contains(c)) {
        return Ok(None);
    }
    if let Ok(b) = Birthday::from_str(text) {
        return Ok(Some(b));
    }
    if let Some(b) = crate::interop::vcard::birthday(text, false) {
        return Ok(Some(b));
    }
    let dated = |d: chrono::NaiveDate| {
        Birthday::from_str(&d.format("%Y-%m-%d").to_string())
            .map(Some)
            .map_err(|e| row.error(CsvColumn::Birthday, e.to_string()))
    };
    // 27.11.1984 (day first, as Europe writes it).
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y") {
        return dated(d);
    }
    if let Some(d) = slash_date(row, text)? {
        return dated(d);
    }
    Err(row.error(
        CsvColumn::Birthday,
        format!(
            "\"{text}\" is not a date; write 1984-11-27, 27.11.1984 or --11-27 without the year"
        ),
    ))
}

/// Thunderbird's and Roundcube's `Birth Year`, `Birth Month`, `Birth Day` cells as one
/// birthday (the year may be empty); none when month or day is empty or zero.
fn split_birthday(row: &Row<'_>) -> Result<Option<Birthday>, ImportError> {
    let number = |f: CsvColumn| -> Result<Option<u32>, ImportError> {
        match row.get(f) {
            None => Ok(None),
            Some(c) => c.parse::<u32>().map(|n| (n > 0).then_some(n)).map_err(|_| {
                row.error(
                    f,
                    format!(
                        "\"{c}\" is not a number; write the {} as digits, e.g. 7",
                        f.name()
                    ),
                )
            }),
        }
    };
    let (Some(month), Some(day)) = (number(CsvColumn::BirthMonth)?, number(CsvColumn::BirthDay)?)
    else {
        return Ok(None);
    };
    let text = match number(CsvColumn::BirthYear)? {
        Some(y) => format!("{y:04}-{month:02}-{day:02}"),
        None => format!("--{month:02}-{day:02}"),
    };
    Birthday::from_str(&text).map(Some).map_err(|_| {
        row.error(
            CsvColumn::BirthDay,
            format!("{text} is not a date; check Birth Year, Birth Month and Birth Day"),
        )
    })
}

/// `a/b/yyyy`: day and month told apart when one of them is over 12 or they are equal, else by
/// `--date-order`; refused without it, as the date language refuses `01/02`.
fn slash_date(row: &Row<'_>, text: &str) -> Result<Option<chrono::NaiveDate>, ImportError> {
    let parts: Vec<&str> = text.split('/').collect();
    let [a, b, y] = parts.as_slice() else {
        return Ok(None);
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !(digits(a, 1..=2) && digits(b, 1..=2) && digits(y, 4..=4)) {
        return Ok(None);
    }
    let (Ok(a), Ok(b), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>(), y.parse::<i32>()) else {
        return Ok(None);
    };
    let (month, day) = if a > 12 || a == b {
        (b, a)
    } else if b > 12 {
        (a, b)
    } else {
        match row.order {
            Some(DateOrder::Mdy) => (a, b),
            Some(DateOrder::Dmy) => (b, a),
            None => {
                return Err(row.error(
                    CsvColumn::Birthday,
                    format!(
                        "\"{text}\" could be {a} {} or {b} {}; pass --date-order mdy (month first, as Outlook writes it) or --date-order dmy",
                        month_name(b),
                        month_name(a),
                    ),
                ));
            }
        }
    };
    Ok(chrono::NaiveDate::from_ymd_opt(y, month, day))
}

fn month_name(m: u32) -> &'static str {
    crate::when::MONTHS[(m as usize).saturating_sub(1) % 12]
}

/// The power-map columns of a person's row: role, influence, attitude, stage.
fn power_map_fields(row: &Row<'_>, p: &mut Person) -> Result<(), ImportError> {
    if let Some(role) = row.vocabulary::<BuyingRole>(CsvColumn::Role)? {
        p.role = Some(role);
    }
    if let Some(i) = row.get(CsvColumn::Influence) {
        p.influence = Some(
            i.parse::<u8>()
                .ok()
                .filter(|i| (1..=5).contains(i))
                .ok_or_else(|| {
                    row.error(
                        CsvColumn::Influence,
                        format!("\"{i}\" is not an influence; write 1 (little) to 5 (decides)"),
                    )
                })?,
        );
    }
    if let Some(a) = row.vocabulary::<Attitude>(CsvColumn::Attitude)? {
        p.attitude = Some(a);
    }
    if let Some(stage) = row.vocabulary::<PersonStage>(CsvColumn::Stage)? {
        p.stage = Some(stage);
    }
    Ok(())
}

/// The person's name a row gives: its name column, first and last names, else its e-mail.
fn row_name(row: &Row<'_>) -> Option<String> {
    let joined = [row.get(CsvColumn::FirstName), row.get(CsvColumn::LastName)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    // "Nombre" + "Apellidos": a name column beside a last-name one holds the first name.
    let name = match (
        row.get(CsvColumn::Name),
        row.get(CsvColumn::FirstName),
        row.get(CsvColumn::LastName),
    ) {
        // ... unless it is the full name already (kamnote's own export: name and family name).
        (Some(n), None, Some(last)) if n == last || n.ends_with(&format!(" {last}")) => Some(n),
        (Some(n), None, Some(last)) => Some(format!("{n} {last}")),
        (Some(n), _, _) => Some(n),
        _ => (!joined.is_empty()).then_some(joined),
    };
    // A sheet of e-mails without names: the e-mail is the name until one is given.
    name.or_else(|| row.get(CsvColumn::Email))
}

fn person(w: &Writer<'_>, row: &Row<'_>, report: &mut ImportReport) -> Result<(), ImportError> {
    let Some(name) = row_name(row) else {
        report.skip("person");
        report
            .notes
            .push(format!("line {}: no name; the row was skipped", row.line));
        return Ok(());
    };
    // The salutation column, else one the name starts with ("Dr. Ana Ruiz"): kept apart from
    // the name, which is what people are matched by.
    let (salutation, name) = match row.get(CsvColumn::Salutation) {
        Some(s) => (Some(s), name),
        None => crate::domain::person_name::split_salutation(&name),
    };
    let email = row.get(CsvColumn::Email);
    let named_account = match row.get(CsvColumn::Account) {
        Some(org) => Some(w.account_named(&org)?),
        None => None,
    };
    let existing = match match_person(
        w,
        row.get(CsvColumn::Uid).as_deref(),
        &name,
        email.as_deref(),
        named_account,
    )? {
        PersonMatch::Found(found) => Some(*found),
        PersonMatch::New => None,
        PersonMatch::Ambiguous(candidates) => {
            report.skip("person");
            report
                .notes
                .push(ambiguous_note(row.line, &name, &candidates));
            return Ok(());
        }
    };
    let mut p = match &existing {
        Some((p, _)) => p.clone(),
        None => Person {
            uid: row
                .get(CsvColumn::Uid)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ..Person::default()
        },
    };
    p.name = name;
    if salutation.is_some() {
        p.salutation = salutation;
    }
    crate::interop::take_family_name(&mut p, row.get(CsvColumn::LastName).as_deref());
    if let Some(org) = row.get(CsvColumn::Account) {
        p.account = Some(
            crate::interop::find_or_add_account(w, &org, report).map_err(|e| row.store_error(e))?,
        );
    }
    set(&mut p.title, row.get(CsvColumn::Title));
    set(&mut p.phone, row.get(CsvColumn::Phone));
    set(&mut p.email, email);
    if let Some(b) = row.get(CsvColumn::Birthday) {
        if let Some(b) = birthday(row, &b)? {
            p.birthday = Some(b);
        }
    } else if let Some(b) = split_birthday(row)? {
        p.birthday = Some(b);
    }
    set(&mut p.personal, row.get(CsvColumn::Notes));
    power_map_fields(row, &mut p)?;
    merge_tags(&mut p.languages, row.list(CsvColumn::Languages));
    merge_tags(&mut p.tags, row.tags());
    if let Some((before, _)) = existing {
        let same = before == p;
        if !same {
            w.upsert_person(&p, None, None)
                .map_err(|e| row.store_error(e))?;
        }
        if report.first("person", before.id, row.line) {
            if same {
                report.skip("person");
            } else {
                report.update("person");
            }
        }
    } else {
        let (created, updated) = (
            row.timestamp(CsvColumn::CreatedAt)?,
            row.timestamp(CsvColumn::UpdatedAt)?,
        );
        let id = w
            .upsert_person(&p, created, updated)
            .map_err(|e| row.store_error(e))?;
        report.first("person", id, row.line);
        report.add("person");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        super::super::read("Name,Birthday\nA,x\n", None).expect("reads")
    }

    fn day(text: &str, order: Option<DateOrder>) -> Result<Option<Birthday>, String> {
        let sheet = sheet();
        let row = Row {
            line: 2,
            cells: &[],
            sheet: &sheet,
            order,
        };
        birthday(&row, text).map_err(|e| e.to_string())
    }

    #[test]
    fn empty_looking_dates_are_no_birthday() {
        for empty in ["0/0/00", "00.00.0000", "0000-00-00", "0/0/0000"] {
            assert_eq!(day(empty, None), Ok(None), "{empty}");
        }
    }

    #[test]
    fn slash_dates_are_read_when_clear_and_refused_when_not() {
        let b = |s: &str| Birthday::from_str(s).ok();
        assert_eq!(day("2/13/1980", None), Ok(b("1980-02-13")));
        assert_eq!(day("13/2/1980", None), Ok(b("1980-02-13")));
        assert_eq!(day("3/3/1980", None), Ok(b("1980-03-03")));
        assert_eq!(day("1/2/1980", Some(DateOrder::Mdy)), Ok(b("1980-01-02")));
        assert_eq!(day("1/2/1980", Some(DateOrder::Dmy)), Ok(b("1980-02-01")));
        let e = day("1/2/1980", None).expect_err("ambiguous");
        assert!(
            e.contains("could be 1 February or 2 January") && e.contains("--date-order mdy"),
            "{e}"
        );
        assert!(day("2/30/1980", None).is_err());
        assert!(day("1/2/80", None).is_err());
    }
}
