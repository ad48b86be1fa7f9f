//! Support for bulk imports: references that point forward in a file are written first as
//! placeholders (foreign keys deferred to the commit) and set to the real row once it exists.
//! Nothing here commits: it all runs inside the import's one transaction.

use rusqlite::params;

use crate::domain::Id;

use super::resolve::UidTable;
use super::{Reader, StoreError, Writer};

/// A reference column that an import may have to set after the row was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefColumn {
    PersonAccount,
    LinkFrom,
    LinkTo,
    InteractionAccount,
    FollowUpAccount,
    FollowUpPerson,
    FollowUpDeal,
    FollowUpInteraction,
    DealAccount,
    ObligationDeal,
    PlanAccount,
    PlanPerson,
    StageChangeAccount,
    StageChangePerson,
    StageChangeDeal,
}

impl RefColumn {
    fn update_sql(self) -> &'static str {
        match self {
            RefColumn::PersonAccount => "UPDATE people SET account_id = ?2 WHERE id = ?1",
            RefColumn::LinkFrom => "UPDATE links SET from_person = ?2 WHERE id = ?1",
            RefColumn::LinkTo => "UPDATE links SET to_person = ?2 WHERE id = ?1",
            RefColumn::InteractionAccount => {
                "UPDATE interactions SET account_id = ?2 WHERE id = ?1"
            }
            RefColumn::FollowUpAccount => "UPDATE followups SET account_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpPerson => "UPDATE followups SET person_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpDeal => "UPDATE followups SET deal_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpInteraction => {
                "UPDATE followups SET interaction_id = ?2 WHERE id = ?1"
            }
            RefColumn::DealAccount => "UPDATE deals SET account_id = ?2 WHERE id = ?1",
            RefColumn::ObligationDeal => "UPDATE obligations SET deal_id = ?2 WHERE id = ?1",
            RefColumn::PlanAccount => "UPDATE plans SET account_id = ?2 WHERE id = ?1",
            RefColumn::PlanPerson => "UPDATE plans SET person_id = ?2 WHERE id = ?1",
            RefColumn::StageChangeAccount => {
                "UPDATE stage_changes SET account_id = ?2 WHERE id = ?1"
            }
            RefColumn::StageChangePerson => "UPDATE stage_changes SET person_id = ?2 WHERE id = ?1",
            RefColumn::StageChangeDeal => "UPDATE stage_changes SET deal_id = ?2 WHERE id = ?1",
        }
    }
}

impl Reader<'_> {
    /// The highest row id in `table` (0 when empty): rows an import adds get higher ids.
    pub fn max_id(&self, table: UidTable) -> Result<Id, StoreError> {
        let sql = format!("SELECT coalesce(max(id), 0) FROM {}", table.name());
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    /// Checks foreign keys at commit instead of at each statement, for the rest of this
    /// transaction, so that rows may hold placeholder references until they are set.
    pub fn defer_foreign_keys(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "defer_foreign_keys", true)?;
        Ok(())
    }

    /// Sets the reference `column` of row `row` to `target`.
    pub fn set_reference(&self, column: RefColumn, row: Id, target: Id) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(column.update_sql())?
            .execute(params![row, target])?;
        Ok(())
    }

    /// Replaces the placeholder person `placeholder` of an interaction by `person`.
    pub fn set_interaction_person(
        &self,
        interaction: Id,
        placeholder: Id,
        person: Id,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE interaction_people SET person_id = ?3
                 WHERE interaction_id = ?1 AND person_id = ?2",
            )?
            .execute(params![interaction, placeholder, person])?;
        Ok(())
    }
}
