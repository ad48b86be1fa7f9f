//! The accounts list: tier, name, KAM stage, city, last contact, next follow-up and the value
//! of the open deals (never summed across currencies).

use super::cells::{last_contact, next_followup, word};
use super::{Cell, Column, ListKind, SortKey, Window};
use crate::domain::{AccountStage, Vocabulary};
use crate::store::{AccountRow, AccountSort, ListQuery, OpenValue};
use crate::tui::action::ScreenKind;
use crate::tui::screens::{Loaded, Need, RenderCtx, Selection};

/// The accounts list.
pub struct Accounts;

const fn column(
    label: &'static str,
    width: usize,
    grow: usize,
    drop: u8,
    sort: Option<AccountSort>,
) -> Column<AccountSort> {
    Column {
        label,
        width,
        grow,
        drop,
        sort,
    }
}

impl ListKind for Accounts {
    type Sort = AccountSort;
    type Row = AccountRow;
    const SCREEN: ScreenKind = ScreenKind::Accounts;
    const TITLE: &'static str = "Accounts";
    const NOUN: &'static str = "accounts";
    const SORTS: &'static [SortKey<AccountSort>] = &[
        SortKey {
            key: AccountSort::Name,
            name: "name",
            descending: false,
        },
        SortKey {
            key: AccountSort::Tier,
            name: "tier",
            descending: false,
        },
        SortKey {
            key: AccountSort::Stage,
            name: "stage",
            descending: false,
        },
        SortKey {
            key: AccountSort::LastContact,
            name: "last contact",
            descending: false,
        },
        SortKey {
            key: AccountSort::NextFollowUp,
            name: "next follow-up",
            descending: false,
        },
        SortKey {
            key: AccountSort::OpenValue,
            name: "open value by currency",
            descending: true,
        },
    ];
    const COLUMNS: &'static [Column<AccountSort>] = &[
        column("Tier", 5, 0, 4, Some(AccountSort::Tier)),
        column("Name", 14, 3, 0, Some(AccountSort::Name)),
        column("KAM stage", 11, 0, 2, Some(AccountSort::Stage)),
        column("City", 10, 0, 7, None),
        column("Last", 5, 0, 3, Some(AccountSort::LastContact)),
        column("Follow-up", 10, 1, 5, Some(AccountSort::NextFollowUp)),
        column("Open deals", 10, 0, 6, Some(AccountSort::OpenValue)),
    ];

    fn need(query: ListQuery<AccountSort>, count: bool) -> Need {
        Need::AccountList { query, count }
    }

    fn take(data: Loaded) -> Option<Window<AccountRow>> {
        match data {
            Loaded::Accounts(w) => Some(w),
            _ => None,
        }
    }

    fn id(row: &AccountRow) -> i64 {
        row.id
    }

    fn selection(id: i64) -> Selection {
        Selection::Account(id)
    }

    fn cells(row: &AccountRow, ctx: &RenderCtx) -> Vec<Cell> {
        let text = ctx.theme.text();
        vec![
            word(row.tier, ctx),
            (row.name.clone(), text),
            (row.stage.map(stage).unwrap_or_default().to_string(), text),
            (row.city.clone().unwrap_or_default(), text),
            last_contact(row.last_contact, ctx),
            next_followup(row.next_followup.as_ref(), ctx),
            (open_value(&row.open_value), text),
        ]
    }
}

/// An account stage without its "-kam", which every one of them has ("partnership").
fn stage(s: AccountStage) -> &'static str {
    let name = s.as_str();
    name.strip_suffix("-kam").unwrap_or(name)
}

/// "950", "9.5k", "240k", "2.8M", "120M", with the currency: "240k EUR"; "mixed (2)".
pub fn open_value(v: &OpenValue) -> String {
    let (value, currency) = match v {
        OpenValue::None => return String::new(),
        OpenValue::Mixed(n) => return format!("mixed ({n})"),
        OpenValue::Single { value, currency } => (*value, currency.as_deref()),
    };
    let (scaled, unit) = match value.abs() {
        v if v < 1_000.0 => (value, ""),
        v if v < 1_000_000.0 => (value / 1_000.0, "k"),
        _ => (value / 1_000_000.0, "M"),
    };
    // One decimal only for small multiples: "9.5k", "2.8M", but "45k", "120M".
    let digits = usize::from(!unit.is_empty() && scaled.abs() < 10.0);
    let number = format!("{scaled:.digits$}");
    let amount = format!("{}{unit}", number.strip_suffix(".0").unwrap_or(&number));
    match currency {
        Some(c) => format!("{amount} {c}"),
        None => amount,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_compact_and_never_mix_currencies() {
        let single = |value, c: Option<&str>| OpenValue::Single {
            value,
            currency: c.map(String::from),
        };
        assert_eq!(open_value(&single(950.0, Some("EUR"))), "950 EUR");
        assert_eq!(open_value(&single(9_500.0, Some("EUR"))), "9.5k EUR");
        assert_eq!(open_value(&single(45_000.0, Some("EUR"))), "45k EUR");
        assert_eq!(open_value(&single(120_000.0, None)), "120k");
        assert_eq!(open_value(&single(1_000_000.0, Some("USD"))), "1M USD");
        assert_eq!(open_value(&single(2_840_000.0, Some("USD"))), "2.8M USD");
        assert_eq!(open_value(&single(120_000_000.0, Some("JPY"))), "120M JPY");
        assert_eq!(open_value(&OpenValue::Mixed(3)), "mixed (3)");
        assert_eq!(open_value(&OpenValue::None), "");
        assert_eq!(stage(AccountStage::PartnershipKam), "partnership");
    }
}
