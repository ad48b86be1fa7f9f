//! CSV for spreadsheets: accounts and people in (columns found by their header), any of five
//! tables out (RFC 4180 quoting, optional UTF-8 byte order mark for Excel).
//!
//! Import: the header row names the columns; names are matched case- and accent-insensitively
//! against common synonyms in English, Spanish, French and German ("Company", "Empresa",
//! "Société", "Firma" → account). The mapping is printed before anything is written, unknown
//! columns are listed as ignored, and `--dry-run` stops there with what would be added,
//! updated and skipped. A sheet is people when a column names a person (first or last name,
//! email, title, role, birthday, or a name column beside a company column); otherwise accounts.
//! Matching: accounts by uid column, else by name; people by `interop::matching` (uid, else name
//! and email, else the one person of that name). An empty cell leaves the field as it was; a
//! new record keeps the sheet's created_at/updated_at.
//!
//! Every column the export writes for accounts and people is read back under the same header
//! (an export imports back identical). "Sales"/"Ventas" is our sales to the account
//! (`our_sales`), "Revenue"/"Turnover"/"Facturación" their own revenue. Outlook's and Google's
//! numbered contact columns (`E-mail 2 Address`, `E-mail 1 - Value`, `Phone 1 - Value`,
//! `Organization 1 - Name`/`- Title`) and several phone or e-mail columns (`Business Phone`,
//! `Mobile Phone`) fill one field: the first non-empty cell wins. Outlook's `Title` beside
//! a `Job Title` is the salutation ("Dra."), as is a `Salutation` or `Name Prefix` column; a
//! name without one that starts with a salutation has it moved out; `Last Name` is also the
//! family name (kept when it is not the name's last word). Birthdays: `0/0/00`, `00.00.0000` are none; `a/b/yyyy` is read when one part is
//! over 12, else by `--date-order mdy|dmy`, refused without it.
//!
//! | accounts columns                                  | people columns                          |
//! |---------------------------------------------------|-----------------------------------------|
//! | uid, name, kind, tier, stage, territory, city,     | uid, name (or first + last name),       |
//! | country, address, website, phone, revenue,         | account (company), title, role,         |
//! | our_sales, currency, about, needs, plans,          | influence, attitude, stage, phone,      |
//! | competitors, tags (separated by `,` or `;`),       | email, birthday, notes (→ personal),    |
//! | created_at, updated_at                             | languages, tags, created_at, updated_at,|
//! |                                                    | salutation, family_name                 |
//!
//! Export writes every column of the table; references are written as names (account, people,
//! person, deal title) with the record's uid first. Formula-injection guard: a text cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so a spreadsheet shows it
//! as text instead of running it (phone numbers such as `+34 600…` come out as `'+34 600…`);
//! so does a cell whose leading `'`s come before one of those characters, and the importer
//! takes exactly one `'` off such a cell, so every cell comes back as it was. Numeric columns (revenue, value, probability...) are
//! written as plain numbers and never guarded, so a negative number stays a number.

mod export;
mod import;
pub(crate) mod read;

pub use export::{export, guard};
pub use import::{DateOrder, import};
pub use read::{CsvColumn, Mapping, Sheet, read};

/// The tables CSV speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Accounts,
    People,
    Interactions,
    Deals,
    FollowUps,
}

impl Table {
    pub fn from_name(s: &str) -> Option<Table> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "accounts" | "account" => Table::Accounts,
            "people" | "person" | "contacts" => Table::People,
            "interactions" | "interaction" => Table::Interactions,
            "deals" | "deal" => Table::Deals,
            "followups" | "followup" | "follow-ups" => Table::FollowUps,
            _ => return None,
        })
    }

    /// Whether a CSV import can read rows of this table.
    pub fn importable(self) -> bool {
        matches!(self, Table::Accounts | Table::People)
    }

    pub fn name(self) -> &'static str {
        match self {
            Table::Accounts => "accounts",
            Table::People => "people",
            Table::Interactions => "interactions",
            Table::Deals => "deals",
            Table::FollowUps => "followups",
        }
    }
}
