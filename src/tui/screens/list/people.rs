//! The people list: name, account, buying role, influence, relationship stage, attitude, last
//! contact and next follow-up.

use super::cells::{last_contact, next_followup, word};
use super::{Cell, Column, ListKind, SortKey, Window};
use crate::store::{ListQuery, PersonRow, PersonSort};
use crate::tui::action::ScreenKind;
use crate::tui::screens::{Loaded, Need, RenderCtx, Selection};

/// The people list.
pub struct People;

const fn column(
    label: &'static str,
    width: usize,
    grow: usize,
    drop: u8,
    sort: Option<PersonSort>,
) -> Column<PersonSort> {
    Column {
        label,
        width,
        grow,
        drop,
        sort,
    }
}

impl ListKind for People {
    type Sort = PersonSort;
    type Row = PersonRow;
    const SCREEN: ScreenKind = ScreenKind::People;
    const TITLE: &'static str = "People";
    const NOUN: &'static str = "people";
    const SORTS: &'static [SortKey<PersonSort>] = &[
        SortKey {
            key: PersonSort::Name,
            name: "name",
            descending: false,
        },
        SortKey {
            key: PersonSort::Account,
            name: "account",
            descending: false,
        },
        SortKey {
            key: PersonSort::Influence,
            name: "influence",
            descending: true,
        },
        SortKey {
            key: PersonSort::Stage,
            name: "stage",
            descending: false,
        },
        SortKey {
            key: PersonSort::LastContact,
            name: "last contact",
            descending: false,
        },
        SortKey {
            key: PersonSort::NextFollowUp,
            name: "next follow-up",
            descending: false,
        },
    ];
    const COLUMNS: &'static [Column<PersonSort>] = &[
        column("Name", 15, 3, 0, Some(PersonSort::Name)),
        column("Account", 9, 2, 4, Some(PersonSort::Account)),
        column("Role", 10, 0, 7, None),
        column("Inf", 4, 0, 6, Some(PersonSort::Influence)),
        column("Stage", 10, 0, 3, Some(PersonSort::Stage)),
        column("Attitude", 9, 0, 5, None),
        column("Last", 5, 0, 2, Some(PersonSort::LastContact)),
        column("Follow-up", 10, 2, 8, Some(PersonSort::NextFollowUp)),
    ];

    fn need(query: ListQuery<PersonSort>, count: bool) -> Need {
        Need::PersonList { query, count }
    }

    fn take(data: Loaded) -> Option<Window<PersonRow>> {
        match data {
            Loaded::People(w) => Some(w),
            _ => None,
        }
    }

    fn id(row: &PersonRow) -> i64 {
        row.id
    }

    fn selection(id: i64) -> Selection {
        Selection::Person(id)
    }

    fn reference(id: i64) -> String {
        crate::domain::RecordRef::of(crate::domain::RecordKind::Person, id).to_string()
    }

    fn cells(row: &PersonRow, ctx: &RenderCtx) -> Vec<Cell> {
        let text = ctx.theme.text();
        vec![
            (row.name.clone(), text),
            (
                row.account
                    .as_ref()
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                text,
            ),
            word(row.role, ctx),
            (
                row.influence.map(|i| i.to_string()).unwrap_or_default(),
                text,
            ),
            word(row.stage, ctx),
            word(row.attitude, ctx),
            last_contact(row.last_contact, ctx),
            next_followup(row.next_followup.as_ref(), ctx),
        ]
    }
}
