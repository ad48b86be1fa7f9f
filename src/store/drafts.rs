//! The TUI's capture drafts: one row per capture window, saved as the user types, listed back
//! on the next start, removed when the capture is saved or thrown away.
//!
//! Each row names its owner, the TUI window writing it (`pid:n`); a window only ever writes
//! its own rows, so two open windows never overwrite each other's text. A window that ends
//! gives its rows back (owner NULL); at start a window claims every row left — unowned, or
//! owned by a window its caller says is no longer running — in one transaction, so two
//! windows starting together never claim the same one.
//!
//! A draft's target is a plain (kind, id) pair, not a foreign key: a draft must survive its
//! target being deleted meanwhile (the popup then asks for a new one) rather than vanish.

use rusqlite::{OptionalExtension, params};

use crate::domain::{Draft, DraftKind, Id, RecordKind, Vocabulary, check_text};

use super::codec::{parse_ts, ts_text, vocab_req};
use super::{Reader, Store, StoreError, Writer};

impl Store {
    /// How long this connection's writes wait for another writer's lock before failing with
    /// [`StoreError::Busy`] (the TUI waits less than the commands: its UI must stay live).
    pub fn set_write_wait(&mut self, wait: std::time::Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    /// A write that does not wait at all: with another writer holding the lock it fails with
    /// [`StoreError::Busy`] at once (a draft saved on the UI thread retries later instead).
    pub fn write_without_waiting<T>(
        &mut self,
        now: crate::domain::Timestamp,
        f: impl FnOnce(&Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let wait: i64 = self
            .conn
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))?;
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let result = self.write(now, f);
        let millis = u64::try_from(wait).unwrap_or(0);
        self.conn
            .busy_timeout(std::time::Duration::from_millis(millis))?;
        result
    }
}

fn kind_text(kind: RecordKind) -> &'static str {
    kind.noun()
}

fn kind_from(text: &str) -> Result<RecordKind, StoreError> {
    [
        RecordKind::Account,
        RecordKind::Person,
        RecordKind::Deal,
        RecordKind::Interaction,
        RecordKind::FollowUp,
    ]
    .into_iter()
    .find(|k| k.noun() == text)
    .ok_or_else(|| StoreError::Corrupt(format!("draft target kind {text:?}")))
}

impl Reader<'_> {
    /// Every draft, the most recently saved first.
    pub fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        Ok(self.owned_drafts()?.into_iter().map(|(d, _)| d).collect())
    }

    /// Every draft with its owner, the most recently saved first.
    fn owned_drafts(&self) -> Result<Vec<(Draft, Option<String>)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, target_kind, target_id, text, when_text, fields, updated_at, owner
             FROM drafts",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let target_kind: Option<String> = r.get(2)?;
            let target_id: Option<Id> = r.get(3)?;
            let target = match (target_kind, target_id) {
                (Some(k), Some(id)) => Some((kind_from(&k)?, id)),
                _ => None,
            };
            let fields: String = r.get(6)?;
            let owner: Option<String> = r.get(8)?;
            let draft = Draft {
                id: r.get(0)?,
                kind: vocab_req::<DraftKind>(&r.get::<_, String>(1)?)?,
                target,
                text: r.get(4)?,
                when: r.get(5)?,
                fields: serde_json::from_str(&fields)
                    .map_err(|e| StoreError::Corrupt(format!("draft fields: {e}")))?,
                updated_at: Some(parse_ts(&r.get::<_, String>(7)?)?),
            };
            out.push((draft, owner));
        }
        // Saved with their own UTC offsets, so compared as instants, not as text. There are
        // only as many drafts as capture windows left open.
        out.sort_by(|(a, _), (b, _)| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        Ok(out)
    }
}

impl Writer<'_> {
    /// Saves the draft of one capture window and returns its id: a new row when `draft.id` is
    /// 0, otherwise that row, updated in place (re-created if it was discarded meanwhile, so
    /// that what is typed is never lost).
    pub fn save_draft(&self, draft: &Draft) -> Result<Id, StoreError> {
        self.save_draft_of(draft, None)
    }

    /// As [`Writer::save_draft`], for the window `owner`. The row is updated in place only
    /// while it is this window's (or no one's); a row another window has claimed meanwhile is
    /// left alone and the text goes to a new row of this window's.
    pub fn save_draft_of(&self, draft: &Draft, owner: Option<&str>) -> Result<Id, StoreError> {
        check_text("text", &draft.text)?;
        if let Some(w) = &draft.when {
            check_text("when", w)?;
        }
        let fields = serde_json::to_string(&draft.fields)
            .map_err(|e| crate::domain::Invalid::new("fields", e.to_string()))?;
        check_text("fields", &fields)?;
        let now = ts_text(&self.now);
        let (target_kind, target_id) = draft.target.map(|(k, id)| (kind_text(k), id)).unzip();
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO drafts (id, kind, target_kind, target_id, text, when_text, fields,
                created_at, updated_at, owner)
             VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET kind=?2, target_kind=?3, target_id=?4, text=?5,
                when_text=?6, fields=?7, updated_at=?8, owner=?9
                WHERE owner IS ?9 OR owner IS NULL
             RETURNING id",
        )?;
        let mut save = |id: Id| {
            stmt.query_row(
                params![
                    id,
                    draft.kind.as_str(),
                    target_kind,
                    target_id,
                    draft.text,
                    draft.when,
                    fields,
                    now,
                    owner
                ],
                |r| r.get(0),
            )
            .optional()
        };
        match save(draft.id)? {
            Some(id) => Ok(id),
            // Another window's row now: a new row keeps this window's text.
            None => save(0)?.ok_or_else(|| StoreError::Corrupt("draft not saved".into())),
        }
    }

    /// At a window's start: takes over every draft left (no owner, or an owner for which
    /// `running` says no) for `owner`, and returns them, the most recently saved first.
    pub fn claim_drafts(
        &self,
        owner: &str,
        running: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Draft>, StoreError> {
        let mut claimed = Vec::new();
        let mut take = self
            .conn
            .prepare_cached("UPDATE drafts SET owner = ?2 WHERE id = ?1")?;
        for (draft, was) in self.owned_drafts()? {
            let left = match was.as_deref() {
                None => true,
                Some(w) => w == owner || !running(w),
            };
            if left {
                take.execute(params![draft.id, owner])?;
                claimed.push(draft);
            }
        }
        Ok(claimed)
    }

    /// A window that ends gives its drafts back: the next window to start offers them.
    pub fn release_drafts(&self, owner: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE drafts SET owner = NULL WHERE owner = ?1")?
            .execute([owner])?;
        Ok(())
    }

    /// Throws a draft away (its capture was saved or cancelled); a missing one is not an error.
    pub fn discard_draft(&self, id: Id) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM drafts WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, now, store};
    use super::*;

    fn meeting_draft() -> Draft {
        let mut fields = serde_json::Map::new();
        fields.insert("title".into(), "Tender Q1 review".into());
        fields.insert("with".into(), serde_json::json!([7, 9]));
        Draft {
            target: Some((RecordKind::Account, 3)),
            text: "Bring the samples".into(),
            when: Some("fri 10:00".into()),
            fields,
            ..Draft::new(DraftKind::Meeting)
        }
    }

    #[test]
    fn saving_again_updates_the_same_row_and_the_newest_comes_first() {
        let mut s = store();
        let mut draft = meeting_draft();
        let id = s.write(now(), |w| w.save_draft(&draft)).unwrap();
        assert!(id > 0);
        let note = Draft {
            text: "Iván wants".into(),
            ..Draft::new(DraftKind::Note)
        };
        // Saved an hour later in another zone: still the newest, whatever the text order says.
        let note_id = s
            .write(at("2026-03-02T06:00:00-05:00"), |w| w.save_draft(&note))
            .unwrap();
        assert_ne!(note_id, id);

        draft.id = id;
        draft.text.push_str(" and the price list");
        draft.target = None;
        let later = at("2026-03-02T10:30:00+01:00");
        assert_eq!(s.write(later, |w| w.save_draft(&draft)).unwrap(), id);

        let drafts = s.reader().drafts().unwrap();
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].id, note_id, "11:00 UTC is after 09:30 UTC");
        assert_eq!(
            drafts[1],
            Draft {
                updated_at: Some(later),
                ..draft.clone()
            }
        );
    }

    #[test]
    fn a_discarded_draft_is_gone_and_saving_it_again_brings_it_back() {
        let mut s = store();
        let draft = meeting_draft();
        let id = s.write(now(), |w| w.save_draft(&draft)).unwrap();
        s.write(now(), |w| w.discard_draft(id)).unwrap();
        assert!(s.reader().drafts().unwrap().is_empty());
        s.write(now(), |w| w.discard_draft(id)).unwrap();

        // Another window discarded it while this one was still typing: nothing is lost.
        let again = s
            .write(now(), |w| {
                w.save_draft(&Draft {
                    id,
                    ..draft.clone()
                })
            })
            .unwrap();
        assert_eq!(again, id);
        assert_eq!(s.reader().drafts().unwrap()[0].text, draft.text);
    }

    #[test]
    fn a_window_claims_only_drafts_left_and_never_writes_another_windows_row() {
        let mut s = store();
        let mut draft = meeting_draft();
        draft.id = s
            .write(now(), |w| w.save_draft_of(&draft, Some("1:1")))
            .unwrap();
        // Window 1 is still open: window 2 claims nothing.
        let open = |o: &str| o == "1:1";
        let claimed = s.write(now(), |w| w.claim_drafts("2:1", &open)).unwrap();
        assert!(claimed.is_empty());
        // Window 1 is gone: its draft is window 2's now.
        let claimed = s
            .write(now(), |w| w.claim_drafts("2:1", &|_| false))
            .unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].text, draft.text);
        // Window 1 was not gone after all: its next save goes to a new row, 2's is untouched.
        draft.text = "window 1 again".into();
        let again = s
            .write(now(), |w| w.save_draft_of(&draft, Some("1:1")))
            .unwrap();
        assert_ne!(again, draft.id);
        let texts: Vec<String> = s
            .reader()
            .drafts()
            .unwrap()
            .into_iter()
            .map(|d| d.text)
            .collect();
        assert!(
            texts.contains(&"Bring the samples".to_string()),
            "{texts:?}"
        );
        assert!(texts.contains(&"window 1 again".to_string()), "{texts:?}");
        // Window 2 ends: its draft is offered to whoever starts next.
        s.write(now(), |w| w.release_drafts("2:1")).unwrap();
        let claimed = s.write(now(), |w| w.claim_drafts("3:1", &open)).unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].id, draft.id);
    }

    #[test]
    fn a_draft_with_a_nul_is_refused() {
        let mut s = store();
        let bad = Draft {
            text: "a\0b".into(),
            ..Draft::new(DraftKind::Note)
        };
        assert!(matches!(
            s.write(now(), |w| w.save_draft(&bad)),
            Err(StoreError::Invalid(_))
        ));
        assert!(s.reader().drafts().unwrap().is_empty());
        assert!(Draft::new(DraftKind::FollowUp).is_blank());
        assert!(!meeting_draft().is_blank());
    }
}
