//! Loading what a screen [`Need`]s from the notebook: part of the app's update path, the only
//! TUI code that reads the store.

use chrono::{DateTime, Local};

use super::screens::{Loaded, Need};
use crate::agenda::{self, Cadence};
use crate::store::{Reader, StoreError};

/// Reads the data for `need` as seen at `now`.
pub fn load(reader: &Reader<'_>, need: &Need, now: DateTime<Local>) -> Result<Loaded, StoreError> {
    Ok(match need {
        Need::Agenda { from, days } => Loaded::Agenda(agenda::build(
            reader,
            &now,
            *from,
            *days,
            Cadence::default(),
        )?),
    })
}
