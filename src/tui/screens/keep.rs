//! A list cursor that follows a record, not a row: after a reload (another window added or
//! removed rows above it) the same record stays selected wherever it moved to; when it is gone,
//! nothing is selected, so that a key never acts on the record that took its place.

use crate::tui::action::Action;

/// The selected row of a list and the identity of the record on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<K> {
    at: usize,
    key: Option<K>,
    gone: bool,
}

impl<K> Default for Cursor<K> {
    fn default() -> Self {
        Cursor {
            at: 0,
            key: None,
            gone: false,
        }
    }
}

impl<K: Copy + PartialEq> Cursor<K> {
    /// The row selected, or `None` when its record is gone.
    pub fn selected(&self) -> Option<usize> {
        (!self.gone).then_some(self.at)
    }

    /// The row the cursor is on (drawn and moved from even when its record is gone).
    pub fn row(&self) -> usize {
        self.at
    }

    /// The selected record was removed or moved out of the list by a reload.
    pub fn gone(&self) -> bool {
        self.gone
    }

    /// Selects row `at` (clamped to the list) of `keys`.
    pub fn select(&mut self, at: usize, keys: &[K]) {
        self.at = at.min(keys.len().saturating_sub(1));
        self.key = keys.get(self.at).copied();
        self.gone = false;
    }

    /// A movement key (Up, Down, pages, Top, Bottom); `page` rows per page. Returns whether
    /// the action was a movement.
    pub fn step(&mut self, action: Action, page: usize, keys: &[K]) -> bool {
        let last = keys.len().saturating_sub(1);
        let at = match action {
            Action::Down => self.at + 1,
            Action::Up => self.at.saturating_sub(1),
            Action::PageDown => self.at + page,
            Action::PageUp => self.at.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.select(at, keys);
        true
    }

    /// Forgets the record (the user's own action removed it): after the next reload the cursor
    /// selects what is then on its row.
    pub fn release(&mut self) {
        self.key = None;
        self.gone = false;
    }

    /// After a reload: finds the selected record in the new `keys` (the occurrence nearest to
    /// the old row, when it is listed twice). A record no longer listed leaves nothing
    /// selected until the cursor is moved.
    pub fn follow(&mut self, keys: &[K]) {
        let Some(key) = self.key else {
            self.select(self.at, keys);
            return;
        };
        let found = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == key)
            .min_by_key(|(i, _)| i.abs_diff(self.at))
            .map(|(i, _)| i);
        if let Some(i) = found {
            self.at = i;
            self.gone = false;
        } else {
            self.at = self.at.min(keys.len().saturating_sub(1));
            self.gone = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_followed_to_its_new_row() {
        let mut c = Cursor::default();
        c.follow(&[10, 20, 30]);
        c.step(Action::Down, 10, &[10, 20, 30]);
        assert_eq!(c.selected(), Some(1));
        // Two rows were added above it.
        c.follow(&[1, 2, 10, 20, 30]);
        assert_eq!(c.selected(), Some(3));
    }

    #[test]
    fn a_record_gone_selects_nothing_until_the_cursor_moves() {
        let mut c = Cursor::default();
        c.follow(&[10, 20, 30]);
        c.step(Action::Down, 10, &[10, 20, 30]);
        c.follow(&[10, 30]);
        assert!(c.gone());
        assert_eq!(c.selected(), None);
        assert_eq!(c.row(), 1);
        c.step(Action::Up, 10, &[10, 30]);
        assert_eq!(c.selected(), Some(0));
        c.follow(&[]);
        assert!(c.gone());
    }

    #[test]
    fn a_released_record_gives_way_to_the_next_row() {
        let mut c = Cursor::default();
        c.follow(&[10, 20, 30]);
        c.step(Action::Down, 10, &[10, 20, 30]);
        c.release();
        c.follow(&[10, 30]);
        assert_eq!(c.selected(), Some(1));
        c.step(Action::Down, 10, &[10, 30]);
        c.follow(&[5, 10, 30]);
        assert_eq!(c.selected(), Some(2));
    }

    #[test]
    fn twice_listed_keeps_the_nearest() {
        let mut c = Cursor::default();
        c.follow(&[7, 1, 2, 7]);
        c.step(Action::Bottom, 10, &[7, 1, 2, 7]);
        c.follow(&[0, 7, 1, 2, 7]);
        assert_eq!(c.selected(), Some(4));
    }
}
