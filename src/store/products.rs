//! The product catalogue (issue 14.4): our products and the competitors' equivalents, each
//! account's status of a product as a dated history (the latest row is the current status),
//! the objections people raised about a product, and the products discussed in an interaction.

use rusqlite::{OptionalExtension, params};

use crate::domain::{
    Id, Objection, Product, ProductStatus, ProductStatusChange, Vocabulary, check_name, check_text,
};
use crate::text::fold;

use super::codec::{date_text, parse_date, ts_text, vocab_req};
use super::{Reader, StoreError, Writer};

const PRODUCT_COLUMNS: &str = "id, uid, name, competitor_of, notes";
const STATUS_COLUMNS: &str = "s.id, s.uid, s.account_id, s.product_id, s.status, s.day, s.note";
const OBJECTION_COLUMNS: &str = "o.id, o.uid, o.person_id, o.product_id, o.day, o.text";

fn product_from_row(r: &rusqlite::Row<'_>) -> Result<Product, StoreError> {
    Ok(Product {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        competitor_of: r.get(3)?,
        notes: r.get(4)?,
    })
}

fn status_from_row(r: &rusqlite::Row<'_>) -> Result<ProductStatusChange, StoreError> {
    Ok(ProductStatusChange {
        id: r.get(0)?,
        uid: r.get(1)?,
        account: r.get(2)?,
        product: r.get(3)?,
        status: vocab_req(&r.get::<_, String>(4)?)?,
        day: parse_date(&r.get::<_, String>(5)?)?,
        note: r.get(6)?,
    })
}

fn objection_from_row(r: &rusqlite::Row<'_>) -> Result<Objection, StoreError> {
    Ok(Objection {
        id: r.get(0)?,
        uid: r.get(1)?,
        person: r.get(2)?,
        product: r.get(3)?,
        day: parse_date(&r.get::<_, String>(4)?)?,
        text: r.get(5)?,
    })
}

/// A product's current status with one account, with the names to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProductStanding {
    #[serde(flatten)]
    pub change: ProductStatusChange,
    pub account_name: String,
    pub product_name: String,
    /// The product is a competitor's.
    pub competitor: bool,
}

/// An objection with the names to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectionRow {
    #[serde(flatten)]
    pub objection: Objection,
    pub person_name: String,
    pub product_name: String,
}

/// The row of a status change that is current: the latest by day, then by entry.
const CURRENT: &str = "s.id = (SELECT s2.id FROM product_statuses s2
     WHERE s2.account_id = s.account_id AND s2.product_id = s.product_id
     ORDER BY s2.day DESC, s2.id DESC LIMIT 1)";

impl Reader<'_> {
    pub fn product(&self, id: Id) -> Result<Option<Product>, StoreError> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(product_from_row).transpose()
    }

    /// The product whose name folds (case and accents aside) to the fold of `name`.
    pub fn product_named(&self, name: &str) -> Result<Option<Product>, StoreError> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE name_key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([fold(name)])?;
        rows.next()?.map(product_from_row).transpose()
    }

    /// The catalogue: ours by name, each followed by its competitors' equivalents by name, then
    /// competitors' products whose own product is gone.
    pub fn products(&self) -> Result<Vec<Product>, StoreError> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products ORDER BY name_key, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut all = Vec::new();
        while let Some(r) = rows.next()? {
            all.push(product_from_row(r)?);
        }
        let (ours, theirs): (Vec<Product>, Vec<Product>) =
            all.into_iter().partition(|p| p.competitor_of.is_none());
        let mut out = Vec::with_capacity(ours.len() + theirs.len());
        for p in ours {
            let id = p.id;
            out.push(p);
            out.extend(
                theirs
                    .iter()
                    .filter(|t| t.competitor_of == Some(id))
                    .cloned(),
            );
        }
        out.extend(
            theirs
                .iter()
                .filter(|t| !out.iter().any(|o| o.id == t.id))
                .cloned()
                .collect::<Vec<_>>(),
        );
        Ok(out)
    }

    /// The products whose folded name contains the fold of `words`, at most `limit`.
    pub fn products_matching(&self, words: &str, limit: u32) -> Result<Vec<Product>, StoreError> {
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS} FROM products WHERE instr(name_key, ?1) > 0
             ORDER BY name_key, id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![fold(words.trim()), limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(product_from_row(r)?);
        }
        Ok(out)
    }

    /// Every status change of `product` with `account`, oldest first.
    pub fn product_status_history(
        &self,
        account: Id,
        product: Id,
    ) -> Result<Vec<ProductStatusChange>, StoreError> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM product_statuses s
             WHERE s.account_id = ?1 AND s.product_id = ?2 ORDER BY s.day, s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, product])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(status_from_row(r)?);
        }
        Ok(out)
    }

    fn standings(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<ProductStanding>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ProductStanding {
                change: status_from_row(r)?,
                account_name: r.get(7)?,
                product_name: r.get(8)?,
                competitor: r.get::<_, Option<Id>>(9)?.is_some(),
            });
        }
        Ok(out)
    }

    /// The current status of every product an account has one for, ours first, by name.
    pub fn product_standings_of(&self, account: Id) -> Result<Vec<ProductStanding>, StoreError> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS}, a.name, p.name, p.competitor_of FROM product_statuses s
               JOIN accounts a ON a.id = s.account_id JOIN products p ON p.id = s.product_id
             WHERE s.account_id = ?1 AND {CURRENT}
             ORDER BY p.competitor_of IS NOT NULL, p.name_key, p.id"
        );
        self.standings(&sql, [account])
    }

    /// The accounts with a current status of `product` (only `status`, when given), by account
    /// name; archived accounts left out.
    pub fn accounts_with_product(
        &self,
        product: Id,
        status: Option<ProductStatus>,
    ) -> Result<Vec<ProductStanding>, StoreError> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS}, a.name, p.name, p.competitor_of FROM product_statuses s
               JOIN accounts a ON a.id = s.account_id JOIN products p ON p.id = s.product_id
             WHERE s.product_id = ?1 AND {CURRENT} AND (?2 IS NULL OR s.status = ?2)
               AND a.archived_at IS NULL
             ORDER BY a.name_key, a.id"
        );
        self.standings(&sql, params![product, status.map(Vocabulary::as_str)])
    }

    /// The objections `person` raised, newest first, at most `limit`.
    pub fn objections_of(&self, person: Id, limit: u32) -> Result<Vec<ObjectionRow>, StoreError> {
        let sql = format!(
            "SELECT {OBJECTION_COLUMNS}, pe.name, pr.name FROM objections o
               JOIN people pe ON pe.id = o.person_id JOIN products pr ON pr.id = o.product_id
             WHERE o.person_id = ?1 ORDER BY o.day DESC, o.id DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![person, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ObjectionRow {
                objection: objection_from_row(r)?,
                person_name: r.get(6)?,
                product_name: r.get(7)?,
            });
        }
        Ok(out)
    }

    /// The products discussed in an interaction, by name.
    pub fn products_discussed(&self, interaction: Id) -> Result<Vec<Product>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.uid, p.name, p.competitor_of, p.notes FROM interaction_products ip
               JOIN products p ON p.id = ip.product_id
             WHERE ip.interaction_id = ?1 ORDER BY p.name_key, p.id",
        )?;
        let mut rows = stmt.query([interaction])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(product_from_row(r)?);
        }
        Ok(out)
    }

    /// Every status change, in id order (the export).
    pub fn all_product_statuses(&self) -> Result<Vec<ProductStatusChange>, StoreError> {
        let sql = format!("SELECT {STATUS_COLUMNS} FROM product_statuses s ORDER BY s.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(status_from_row(r)?);
        }
        Ok(out)
    }

    /// Every objection, in id order (the export).
    pub fn all_objections(&self) -> Result<Vec<Objection>, StoreError> {
        let sql = format!("SELECT {OBJECTION_COLUMNS} FROM objections o ORDER BY o.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(objection_from_row(r)?);
        }
        Ok(out)
    }

    /// Every (interaction, product) discussed, in order (the export).
    pub fn all_products_discussed(&self) -> Result<Vec<(Id, Id)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT interaction_id, product_id FROM interaction_products
             ORDER BY interaction_id, product_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The id of the row with `uid` in one of this module's tables.
    pub fn catalogue_id(&self, table: CatalogueTable, uid: &str) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(table.by_uid())?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }
}

/// The tables of the catalogue whose rows have a uid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueTable {
    Products,
    ProductStatuses,
    Objections,
}

impl CatalogueTable {
    fn by_uid(self) -> &'static str {
        match self {
            CatalogueTable::Products => "SELECT id FROM products WHERE uid = ?1",
            CatalogueTable::ProductStatuses => "SELECT id FROM product_statuses WHERE uid = ?1",
            CatalogueTable::Objections => "SELECT id FROM objections WHERE uid = ?1",
        }
    }
}

impl Writer<'_> {
    /// Adds a product (a new uid) or updates the one with its uid; returns its id. A name
    /// another product already has (case and accents aside) is refused.
    pub fn upsert_product(&self, p: &Product) -> Result<Id, StoreError> {
        check_name("name", &p.name)?;
        if let Some(n) = &p.notes {
            check_text("notes", n)?;
        }
        let now = ts_text(&self.now);
        let key = fold(&p.name);
        let taken: Option<String> = self
            .conn
            .prepare_cached("SELECT uid FROM products WHERE name_key = ?1")?
            .query_row([&key], |r| r.get(0))
            .optional()?;
        if taken.as_ref().is_some_and(|u| *u != p.uid) {
            return Err(StoreError::Invalid(crate::domain::Invalid::new(
                "name",
                format!(
                    "\"{}\" is already in the catalogue; give another name, e.g. \"{} 2\"",
                    crate::text::sanitize_line(&p.name),
                    crate::text::sanitize_line(&p.name)
                ),
            )));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO products (uid, created_at, updated_at, name, name_key, competitor_of,
                   notes) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(uid) DO UPDATE SET name = ?3, name_key = ?4, competitor_of = ?5,
                   notes = ?6, updated_at = ?2, version = version + 1
                 WHERE name IS NOT ?3 OR competitor_of IS NOT ?5 OR notes IS NOT ?6",
            )?
            .execute(params![p.uid, now, p.name, key, p.competitor_of, p.notes])?;
        self.id_by_uid("products", &p.uid)
    }

    fn id_by_uid(&self, table: &str, uid: &str) -> Result<Id, StoreError> {
        let sql = format!("SELECT id FROM {table} WHERE uid = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([uid], |r| r.get(0))
            .map_err(StoreError::from)
    }

    /// Adds a status change (a new uid) or updates the one with its uid; returns its id.
    pub fn upsert_product_status(&self, s: &ProductStatusChange) -> Result<Id, StoreError> {
        if let Some(n) = &s.note {
            check_text("note", n)?;
        }
        let now = ts_text(&self.now);
        self.conn
            .prepare_cached(
                "INSERT INTO product_statuses (uid, created_at, updated_at, account_id, product_id,
                   status, day, note) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(uid) DO UPDATE SET account_id = ?3, product_id = ?4, status = ?5,
                   day = ?6, note = ?7, updated_at = ?2, version = version + 1
                 WHERE account_id IS NOT ?3 OR product_id IS NOT ?4 OR status IS NOT ?5
                   OR day IS NOT ?6 OR note IS NOT ?7",
            )?
            .execute(params![
                s.uid,
                now,
                s.account,
                s.product,
                s.status.as_str(),
                date_text(s.day),
                s.note
            ])?;
        self.id_by_uid("product_statuses", &s.uid)
    }

    /// Adds an objection (a new uid) or updates the one with its uid; returns its id.
    pub fn upsert_objection(&self, o: &Objection) -> Result<Id, StoreError> {
        check_text("text", &o.text)?;
        if o.text.trim().is_empty() {
            return Err(StoreError::Invalid(crate::domain::Invalid::new(
                "text",
                "is empty; say what they object to, e.g. \"too dear for the ward's budget\"",
            )));
        }
        let now = ts_text(&self.now);
        self.conn
            .prepare_cached(
                "INSERT INTO objections (uid, created_at, updated_at, person_id, product_id, day,
                   text) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(uid) DO UPDATE SET person_id = ?3, product_id = ?4, day = ?5,
                   text = ?6, updated_at = ?2, version = version + 1
                 WHERE person_id IS NOT ?3 OR product_id IS NOT ?4 OR day IS NOT ?5
                   OR text IS NOT ?6",
            )?
            .execute(params![
                o.uid,
                now,
                o.person,
                o.product,
                date_text(o.day),
                o.text
            ])?;
        self.id_by_uid("objections", &o.uid)
    }

    /// Adds products to those discussed in an interaction (one already there stays once).
    pub fn add_products_discussed(
        &self,
        interaction: Id,
        products: &[Id],
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO interaction_products (interaction_id, product_id)
             VALUES (?1, ?2)",
        )?;
        for p in products {
            stmt.execute(params![interaction, p])?;
        }
        Ok(())
    }
}
