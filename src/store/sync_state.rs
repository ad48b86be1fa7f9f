//! The state of the two-way sync (issue 13, schema v17): per collection the URL it was synced
//! with and the server's sync-token and ctag; per item on the server its href, ETag, UID, the
//! record it is and the fields both sides last agreed on. The sync writes an item's row in the
//! same transaction as the change that item brings, so a sync killed half-way resumes where it
//! stopped and never applies a change twice.

use rusqlite::{OptionalExtension, params};

use crate::domain::Id;

use super::{Reader, StoreError, Writer};

/// One item as the notebook last agreed it with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedItem {
    /// `calendar` or `contacts`.
    pub collection: String,
    /// Its path on the server.
    pub href: String,
    /// The UID it carries there.
    pub uid: String,
    /// `meeting`, `followup` or `person`.
    pub kind: String,
    pub record_id: Id,
    /// The server's ETag when last read or written.
    pub etag: Option<String>,
    /// The fields both sides last agreed on (JSON, written and read by the sync).
    pub base: String,
    /// A hash of `base`.
    pub hash: String,
}

/// A collection as last synced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncedCollection {
    pub url: String,
    pub sync_token: Option<String>,
    pub ctag: Option<String>,
}

impl Reader<'_> {
    /// Every item of `collection` the notebook knows on the server.
    pub fn synced_items(&self, collection: &str) -> Result<Vec<SyncedItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT collection, href, uid, kind, record_id, etag, base, hash
             FROM sync_items WHERE collection = ?1 ORDER BY href",
        )?;
        let rows = stmt.query_map([collection], |r| {
            Ok(SyncedItem {
                collection: r.get(0)?,
                href: r.get(1)?,
                uid: r.get(2)?,
                kind: r.get(3)?,
                record_id: r.get(4)?,
                etag: r.get(5)?,
                base: r.get(6)?,
                hash: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The collection `name` as last synced, if ever.
    pub fn synced_collection(&self, name: &str) -> Result<Option<SyncedCollection>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT url, sync_token, ctag FROM sync_collections WHERE name = ?1")?
            .query_row([name], |r| {
                Ok(SyncedCollection {
                    url: r.get(0)?,
                    sync_token: r.get(1)?,
                    ctag: r.get(2)?,
                })
            })
            .optional()?)
    }
}

impl Writer<'_> {
    /// Records `item` (replacing what was known of its href or of its record).
    pub fn put_synced_item(&self, item: &SyncedItem) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sync_items WHERE (collection = ?1 AND href = ?2)
                OR (kind = ?3 AND record_id = ?4)",
            params![item.collection, item.href, item.kind, item.record_id],
        )?;
        self.conn.execute(
            "INSERT INTO sync_items (collection, href, uid, kind, record_id, etag, base, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                item.collection,
                item.href,
                item.uid,
                item.kind,
                item.record_id,
                item.etag,
                item.base,
                item.hash
            ],
        )?;
        Ok(())
    }

    /// Forgets the item at `href` (gone from the server, or from the notebook and the server).
    pub fn drop_synced_item(&self, collection: &str, href: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sync_items WHERE collection = ?1 AND href = ?2",
            params![collection, href],
        )?;
        Ok(())
    }

    /// Records the collection's URL, sync-token and ctag; a URL other than the one last synced
    /// forgets every item of the old one (another server starts afresh).
    pub fn put_synced_collection(
        &self,
        name: &str,
        state: &SyncedCollection,
    ) -> Result<(), StoreError> {
        let old: Option<String> = self
            .conn
            .prepare_cached("SELECT url FROM sync_collections WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        if old.is_some_and(|u| u != state.url) {
            self.conn
                .execute("DELETE FROM sync_items WHERE collection = ?1", [name])?;
        }
        self.conn.execute(
            "INSERT INTO sync_collections (name, url, sync_token, ctag) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET url = ?2, sync_token = ?3, ctag = ?4",
            params![name, state.url, state.sync_token, state.ctag],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::testing::now;

    fn item(href: &str, record_id: Id) -> SyncedItem {
        SyncedItem {
            collection: "calendar".into(),
            href: href.into(),
            uid: format!("{record_id}@kamnote"),
            kind: "meeting".into(),
            record_id,
            etag: Some("\"1\"".into()),
            base: "{}".into(),
            hash: "h".into(),
        }
    }

    #[test]
    fn items_are_kept_per_href_and_per_record_and_a_new_url_starts_afresh() {
        let mut store = Store::open_in_memory().unwrap();
        let url = |u: &str| SyncedCollection {
            url: u.into(),
            sync_token: Some("t1".into()),
            ctag: None,
        };
        store
            .write(now(), |w| {
                w.put_synced_collection("calendar", &url("http://a/cal/"))?;
                w.put_synced_item(&item("/cal/1.ics", 1))?;
                w.put_synced_item(&item("/cal/2.ics", 2))?;
                // The same record at another href replaces its row.
                w.put_synced_item(&item("/cal/1b.ics", 1))
            })
            .unwrap();
        let items = store.reader().synced_items("calendar").unwrap();
        let hrefs: Vec<&str> = items.iter().map(|i| i.href.as_str()).collect();
        assert_eq!(hrefs, ["/cal/1b.ics", "/cal/2.ics"]);
        assert_eq!(
            store.reader().synced_collection("calendar").unwrap(),
            Some(url("http://a/cal/"))
        );
        store
            .write(now(), |w| w.drop_synced_item("calendar", "/cal/2.ics"))
            .unwrap();
        assert_eq!(store.reader().synced_items("calendar").unwrap().len(), 1);
        store
            .write(now(), |w| {
                w.put_synced_collection("calendar", &url("http://b/cal/"))
            })
            .unwrap();
        assert!(store.reader().synced_items("calendar").unwrap().is_empty());
        assert_eq!(store.reader().synced_collection("contacts").unwrap(), None);
    }
}
