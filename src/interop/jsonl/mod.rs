//! kamnote's own interchange format, JSON Lines version 1 (`docs/FORMAT.md`): [`import`] and [`export`].
//!
//! Promises: export → import into an empty notebook → export gives the same bytes; an import is
//! one transaction — one bad line and nothing is written — and its error names the line number,
//! the record and the field; re-importing a file updates records by uid instead of adding them;
//! no line or input, however malformed (invalid UTF-8, NUL, a 1 GB line), panics or eats
//! unbounded memory.
//!
//! Two extension keys carry what version 1 has no key for, so that files stay valid version 1
//! (other readers keep them as extension data): a follow-up's `x-plan` is the uid of the plan it
//! is a step of; a plan's `x-spend` lists its spend entries,
//! `[{"day":"2026-11-02","category":"hospitality","amount":120,"note":"..."}]` (categories
//! hospitality, events, samples, other; amounts in the plan's currency; `spent` stays the total);
//! an interaction's `x-products` lists the uids of the products discussed there (issue 14.4).
//!
//! Four record types follow the others (issue 14.3-4): `product` (`name`, `competitor_of`: the
//! uid of ours it competes with, `notes`), `product_status` (`account`, `product`, `status`:
//! not-listed/requested/under-review/listed/preferred/delisted, `day`, `note`; one line per
//! change, the latest day the current one), `objection` (`person`, `product`, `day`, `text`) and
//! `deal_person` (`deal`, `person`, `role`: spec-author/evaluation-committee/decision-maker/
//! user/influencer). Last come the months of sales (issue 14.6): `sales` (`account`, `month`
//! `YYYY-MM`, `currency`, `target`, `actual`; one line per account, month and currency).
//!
//! A person's `salutation` ("Dra.") and `family_name` ("Peña Olmedo"; absent: the last word of
//! the name) are optional keys (issue 14.7). A person line without `salutation` whose name
//! starts with one ("Dr. Nuño Peña", as files before it were written) has it moved out of the
//! name, as the v21 migration did in the notebooks.

mod fields;
mod read;
mod records;
mod write;

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::store::StoreError;
use crate::text::sanitize_line;

pub use read::{MAX_LINE_BYTES, import};
pub use write::{export, export_about, record_object};

/// The format version this build reads and writes.
pub const VERSION: u64 = 1;

/// What an import did, per record type (`"account"`, `"person"`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records new to the notebook.
    pub added: BTreeMap<&'static str, u64>,
    /// Records whose uid was already in the notebook.
    pub updated: BTreeMap<&'static str, u64>,
    /// Lines read, header and blank lines included.
    pub lines: u64,
}

impl ImportSummary {
    /// Records added plus records updated.
    pub fn records(&self) -> u64 {
        self.added.values().chain(self.updated.values()).sum()
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A line of the file is wrong: `line 12: person "p-1": influence: 7 is out of range; give
    /// 1 to 5`.
    #[error("{}", line_message(*line, *record, uid.as_deref(), field.as_deref(), message))]
    Line {
        /// 1-based line number.
        line: u64,
        /// The record type, when the line got that far.
        record: Option<&'static str>,
        uid: Option<String>,
        field: Option<String>,
        message: String,
    },
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// The line an error is about, if it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            ImportError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }
}

fn line_message(
    line: u64,
    record: Option<&str>,
    uid: Option<&str>,
    field: Option<&str>,
    message: &str,
) -> String {
    let mut out = format!("line {line}: ");
    match (record, uid) {
        (Some(r), Some(u)) => out.push_str(&[r, " \"", u, "\": "].concat()),
        (Some(r), None) => out.push_str(&[r, ": "].concat()),
        (None, Some(u)) => out.push_str(&["\"", u, "\": "].concat()),
        (None, None) => {}
    }
    if let Some(f) = field {
        out.push_str(f);
        out.push_str(": ");
    }
    out.push_str(message);
    sanitize_line(&out).into_owned()
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Records written, the header not counted.
    pub records: u64,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The record types, in file order, with their keys in FORMAT.md's order (`type` aside): the
/// importer's list of known keys and the exporter's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Account,
    Person,
    Link,
    Deal,
    Obligation,
    Plan,
    StageChange,
    Interaction,
    FollowUp,
    Product,
    ProductStatus,
    Objection,
    DealPerson,
    Sales,
}

impl Kind {
    const ALL: [Kind; 14] = [
        Kind::Account,
        Kind::Person,
        Kind::Link,
        Kind::Deal,
        Kind::Obligation,
        Kind::Plan,
        Kind::StageChange,
        Kind::Interaction,
        Kind::FollowUp,
        Kind::Product,
        Kind::ProductStatus,
        Kind::Objection,
        Kind::DealPerson,
        Kind::Sales,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Account => "account",
            Kind::Person => "person",
            Kind::Link => "link",
            Kind::Deal => "deal",
            Kind::Obligation => "obligation",
            Kind::Plan => "plan",
            Kind::StageChange => "stage_change",
            Kind::Interaction => "interaction",
            Kind::FollowUp => "followup",
            Kind::Product => "product",
            Kind::ProductStatus => "product_status",
            Kind::Objection => "objection",
            Kind::DealPerson => "deal_person",
            Kind::Sales => "sales",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Account => ACCOUNT_KEYS,
            Kind::Person => PERSON_KEYS,
            Kind::Link => LINK_KEYS,
            Kind::Interaction => INTERACTION_KEYS,
            Kind::FollowUp => FOLLOWUP_KEYS,
            Kind::Deal => DEAL_KEYS,
            Kind::Obligation => OBLIGATION_KEYS,
            Kind::Plan => PLAN_KEYS,
            Kind::StageChange => STAGE_CHANGE_KEYS,
            Kind::Product => PRODUCT_KEYS,
            Kind::ProductStatus => PRODUCT_STATUS_KEYS,
            Kind::Objection => OBJECTION_KEYS,
            Kind::DealPerson => DEAL_PERSON_KEYS,
            Kind::Sales => SALES_KEYS,
        }
    }

    fn table(self) -> crate::store::UidTable {
        use crate::store::UidTable;
        match self {
            Kind::Account => UidTable::Accounts,
            Kind::Person => UidTable::People,
            Kind::Link => UidTable::Links,
            Kind::Deal => UidTable::Deals,
            Kind::Obligation => UidTable::Obligations,
            Kind::Plan => UidTable::Plans,
            Kind::StageChange => UidTable::StageChanges,
            Kind::Interaction => UidTable::Interactions,
            Kind::FollowUp => UidTable::FollowUps,
            Kind::Product => UidTable::Products,
            Kind::ProductStatus => UidTable::ProductStatuses,
            Kind::Objection => UidTable::Objections,
            Kind::DealPerson => UidTable::DealPeople,
            Kind::Sales => UidTable::AccountSales,
        }
    }
}

// Keys of each record type in FORMAT.md's order (required first, then optional as listed).
const ACCOUNT_KEYS: &[&str] = &[
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
    "travel_minutes",
    "created_at",
    "updated_at",
    "archived_at",
];
const PERSON_KEYS: &[&str] = &[
    "uid",
    "name",
    "salutation",
    "family_name",
    "account",
    "title",
    "role",
    "influence",
    "attitude",
    "stage",
    "phone",
    "email",
    "birthday",
    "personal",
    "languages",
    "tags",
    "created_at",
    "updated_at",
    "archived_at",
];
const LINK_KEYS: &[&str] = &["uid", "from", "to", "kind", "note"];
const INTERACTION_KEYS: &[&str] = &[
    "uid",
    "kind",
    "at",
    "account",
    "people",
    "mentioned",
    "title",
    "body",
    "end",
    "location",
    "status",
    "outcome",
    "tags",
    "created_at",
    "updated_at",
];
const FOLLOWUP_KEYS: &[&str] = &[
    "uid",
    "text",
    "due",
    "account",
    "person",
    "deal",
    "interaction",
    "repeat",
    "status",
    "done_at",
    "priority",
    "created_at",
    "updated_at",
];
const DEAL_KEYS: &[&str] = &[
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
    "milestones",
    "notes",
    "created_at",
    "updated_at",
    "archived_at",
];
const OBLIGATION_KEYS: &[&str] = &[
    "uid", "deal", "text", "due", "party", "kind", "amount", "currency", "status", "done_at",
];
const PLAN_KEYS: &[&str] = &[
    "uid",
    "objective",
    "account",
    "person",
    "target",
    "budget",
    "spent",
    "currency",
    "status",
    "notes",
    "archived_at",
];
const STAGE_CHANGE_KEYS: &[&str] = &["uid", "subject", "ladder", "to", "at", "from", "note"];
// Issue 14.3-4: the catalogue, statuses with their day, objections, a deal's people.
const PRODUCT_KEYS: &[&str] = &["uid", "name", "competitor_of", "notes"];
const PRODUCT_STATUS_KEYS: &[&str] = &["uid", "account", "product", "status", "day", "note"];
const OBJECTION_KEYS: &[&str] = &["uid", "person", "product", "day", "text"];
const DEAL_PERSON_KEYS: &[&str] = &["uid", "deal", "person", "role"];
// Issue 14.6: an account's target and actual sales for a month, in one currency.
const SALES_KEYS: &[&str] = &["uid", "account", "month", "currency", "target", "actual"];
