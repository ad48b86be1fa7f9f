//! Encryption at rest (issue 15.4), with SQLCipher: a notebook file may be encrypted with a
//! passphrase, which kam holds in memory only while it runs and never writes anywhere.
//!
//! An encrypted file is told from a plain one by its first bytes: a plain SQLite file starts
//! with `SQLite format 3\0`, an SQLCipher file with random salt. Every connection to an
//! encrypted file is keyed before its first read ([`apply`]); backups of it are keyed with the
//! same passphrase, so they are encrypted too. Turning a plain notebook into an encrypted one
//! (and back, or to a new passphrase) writes a whole new file beside it with
//! `sqlcipher_export`, checks it, and renames it into place ([`convert`]): a crash leaves
//! either the old file or the new one, never half of each.

use std::fmt::{self, Write as _};
use std::fs::{self, OpenOptions};
use std::io::Read as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::StoreError;
use super::open;

/// What a plain SQLite file starts with.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// SQLCipher 4's key derivation, which [`DerivedKey`] repeats: PBKDF2-HMAC-SHA512 over the
/// passphrase with the file's 16-byte salt (its first bytes), 256,000 rounds, a 32-byte key.
const KDF_ROUNDS: u32 = 256_000;
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 32;

/// The key derived from a passphrase for one file's salt, kept so that every connection to that
/// file (the TUI's main one and its two readers) is keyed with it as a raw key, without
/// SQLCipher deriving it again (~0.2 s each).
struct DerivedKey {
    salt: [u8; SALT_LEN],
    /// `x'…'`: the raw key as SQLCipher's `PRAGMA key` takes it (the salt read from the file).
    pragma: Zeroizing<String>,
}

/// The derived keys of a passphrase and its clones, and how many times one was derived.
#[derive(Default)]
struct Derivations {
    key: Option<DerivedKey>,
    count: u32,
}

/// A notebook's passphrase, in memory only (wiped when dropped; never printed). Its clones
/// share the key derived from it for a file ([`apply_to_file`]).
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>, Arc<Mutex<Derivations>>);

impl Passphrase {
    /// A passphrase as typed or given by a command (its final newline dropped). An empty one
    /// is refused: SQLCipher would read it as "no encryption".
    pub fn new(text: &str) -> Result<Self, StoreError> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        if text.is_empty() {
            return Err(StoreError::Locked {
                reason: "the passphrase is empty".into(),
            });
        }
        Ok(Passphrase(
            Zeroizing::new(text.to_string()),
            Arc::new(Mutex::new(Derivations::default())),
        ))
    }

    /// Whether two passphrases are the same (typed twice).
    pub fn same_as(&self, other: &Passphrase) -> bool {
        *self.0 == *other.0
    }

    fn expose(&self) -> &str {
        &self.0
    }

    /// How many times a key was derived from this passphrase (and its clones) by kam itself.
    pub fn derivations(&self) -> u32 {
        self.1.lock().map_or(0, |d| d.count)
    }

    /// The raw-key pragma value for a file with this `salt`: derived once, then kept.
    fn raw_key(&self, salt: [u8; SALT_LEN]) -> Zeroizing<String> {
        let mut kept = match self.1.lock() {
            Ok(kept) => kept,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(key) = kept.key.as_ref().filter(|k| k.salt == salt) {
            return key.pragma.clone();
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA512,
            std::num::NonZeroU32::new(KDF_ROUNDS).unwrap_or(std::num::NonZeroU32::MIN),
            &salt,
            self.expose().as_bytes(),
            &mut key[..],
        );
        let mut pragma = Zeroizing::new(String::with_capacity(3 + 2 * KEY_LEN));
        pragma.push_str("x'");
        for byte in key.iter() {
            let _ = write!(pragma, "{byte:02x}");
        }
        pragma.push('\'');
        kept.key = Some(DerivedKey {
            salt,
            pragma: pragma.clone(),
        });
        kept.count += 1;
        pragma
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Whether the file at `path` is an encrypted notebook: it exists and does not start with the
/// plain SQLite header, and its size is whole pages (a text file or a truncated copy is "not
/// an SQLite database", not something to ask a passphrase for).
pub fn is_encrypted(path: &Path) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    let mut head = [0u8; 16];
    meta.is_file()
        && meta.len() >= 1024
        && meta.len() % 512 == 0
        && file.read_exact(&mut head).is_ok()
        && &head != PLAIN_HEADER
}

/// Keys a connection just opened on an encrypted file; the key is checked by the first read.
/// SQLCipher derives the key from the passphrase (for a new file, whose salt it makes).
pub(super) fn apply(conn: &Connection, key: &Passphrase) -> Result<(), StoreError> {
    // SQLCipher would print its own "hmac check failed" lines on a wrong key; kam says it once.
    conn.pragma_update(None, "cipher_log", "off")?;
    conn.pragma_update(None, "key", key.expose())?;
    Ok(())
}

/// How [`apply_to_file`] keyed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyed {
    /// With the raw key derived (once per passphrase and salt) by kam.
    Raw,
    /// With the passphrase, SQLCipher deriving the key: the file's salt could not be read, or
    /// the raw key did not open it (the file was replaced meanwhile, or a wrong passphrase).
    Passphrase,
}

/// Keys `conn`, just opened on the existing encrypted file at `path`, and tells whether it
/// reads: with the raw key derived from the passphrase and the file's salt, kept in the
/// passphrase for the next connection (the TUI opens three), else as [`apply`] does.
pub(super) fn apply_to_file(
    conn: &Connection,
    key: &Passphrase,
    path: &Path,
) -> Result<(Keyed, bool), StoreError> {
    let mut salt = [0u8; SALT_LEN];
    let salted = fs::File::open(path).and_then(|mut f| f.read_exact(&mut salt));
    if salted.is_ok() {
        conn.pragma_update(None, "cipher_log", "off")?;
        conn.pragma_update(None, "key", key.raw_key(salt).as_str())?;
        if readable(conn)? {
            return Ok((Keyed::Raw, true));
        }
    }
    // A connection keyed once cannot be keyed again: the caller opens a fresh one.
    Ok((Keyed::Passphrase, false))
}

/// Whether the file behind `conn` can be read with the key it was given: a wrong passphrase
/// reads as "not a database".
pub(super) fn readable(conn: &Connection) -> Result<bool, StoreError> {
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(true),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Writes the notebook `conn` reads (keyed already when encrypted) to a new file at `path`,
/// encrypted with `to` (or plain when `None`), checked, and renamed over `path`. The caller
/// holds the notebook exclusively: no other connection may be open on it.
pub(super) fn convert(
    conn: &Connection,
    path: &Path,
    to: Option<&Passphrase>,
) -> Result<(), StoreError> {
    let (app, version): (i32, i32) = (
        conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
        conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
    );
    // Everything in the main file: the copy is read from it.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    open::remove_stale_temps(path);
    let temp = open::temp_path(path);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .map_err(|e| file_error(path, format!("cannot create the new file: {e}")))?;
    let result = export(conn, &temp, to, app, version).and_then(|()| {
        check_copy(&temp, to, app, version, path)?;
        open::test_pause("before-rename");
        fs::rename(&temp, path)
            .map_err(|e| file_error(path, format!("cannot put the new file in place: {e}")))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    });
    let _ = fs::remove_file(&temp);
    result
}

fn export(
    conn: &Connection,
    temp: &Path,
    to: Option<&Passphrase>,
    app: i32,
    version: i32,
) -> Result<(), StoreError> {
    let key = to.map_or("", Passphrase::expose);
    let temp_name = temp.to_string_lossy();
    conn.execute(
        "ATTACH DATABASE ?1 AS converted KEY ?2",
        rusqlite::params![temp_name, key],
    )?;
    let copied = (|| -> Result<(), StoreError> {
        conn.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))?;
        // Integers, not text: nothing to quote.
        conn.execute_batch(&format!(
            "PRAGMA converted.user_version = {version}; PRAGMA converted.application_id = {app};"
        ))?;
        Ok(())
    })();
    let detached = conn.execute("DETACH DATABASE converted", []);
    copied?;
    detached?;
    Ok(())
}

/// Opens the new file as kam will, checks it (`quick_check`, the same id and schema version),
/// and syncs it.
fn check_copy(
    temp: &Path,
    key: Option<&Passphrase>,
    app: i32,
    version: i32,
    path: &Path,
) -> Result<(), StoreError> {
    let copy = Connection::open_with_flags(temp, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if let Some(key) = key {
        apply(&copy, key)?;
    }
    let failed = |reason: String| StoreError::BackupFailed {
        path: path.to_path_buf(),
        reason,
    };
    let result: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if result != "ok" {
        return Err(failed(result));
    }
    let found: (i32, i32) = (
        copy.pragma_query_value(None, "application_id", |r| r.get(0))?,
        copy.pragma_query_value(None, "user_version", |r| r.get(0))?,
    );
    if found != (app, version) {
        return Err(failed(format!(
            "the new file has application id {:#x} and schema {}, the notebook {app:#x} and {version}",
            found.0, found.1
        )));
    }
    drop(copy);
    fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| file_error(path, format!("cannot sync the new file: {e}")))
}

fn file_error(path: &Path, message: String) -> StoreError {
    StoreError::File {
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::super::testing::{add_person, person};
    use super::*;
    use crate::domain::Person;
    use crate::store::Store;

    const NAME: &str = "Quintessa Zebulonia";
    const PERSONAL: &str = "Her son Ptolemy plays the theorbo";

    fn key(text: &str) -> Passphrase {
        Passphrase::new(text).unwrap()
    }

    fn holds(path: &std::path::Path, needle: &str) -> bool {
        fs::read(path).is_ok_and(|bytes| {
            bytes
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        })
    }

    /// A notebook with one person whose name and personal notes are easy to look for.
    fn notebook() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let mut store = Store::open(&path).unwrap();
        add_person(
            &mut store,
            &Person {
                personal: Some(PERSONAL.into()),
                ..person("p-1", NAME, None)
            },
        );
        drop(store);
        assert!(holds(&path, "Zebulonia"), "plain before");
        (tmp, path)
    }

    fn sibling(path: &std::path::Path, suffix: &str) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    }

    #[test]
    fn an_encrypted_notebook_its_wal_and_its_backups_hold_no_plaintext() {
        let (tmp, path) = notebook();
        Store::open(&path)
            .unwrap()
            .convert(Some(&key("s3cret")))
            .unwrap();
        assert!(is_encrypted(&path));
        // Written to while open: the WAL holds the new pages, encrypted too.
        let mut store = Store::open_keyed(&path, Some(key("s3cret"))).unwrap();
        add_person(&mut store, &person("p-2", "Zebulonia Second", None));
        let wal = sibling(&path, "-wal");
        assert!(
            fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
            "the WAL is in use"
        );
        let backup = tmp.path().join("copy.bak");
        store.backup_to(&backup).unwrap();
        for file in [&path, &wal, &backup] {
            for needle in ["Zebulonia", "theorbo", "Ptolemy"] {
                assert!(!holds(file, needle), "{needle} in {}", file.display());
            }
        }
        assert!(is_encrypted(&backup));
        let copy = Store::open_existing_keyed(&backup, Some(key("s3cret"))).unwrap();
        let people: i64 = copy
            .conn
            .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 2, "the backup opens with the same passphrase");
    }

    #[test]
    fn a_wrong_or_missing_passphrase_reads_and_changes_nothing() {
        let (tmp, path) = notebook();
        Store::open(&path)
            .unwrap()
            .convert(Some(&key("right")))
            .unwrap();
        let before = fs::read(&path).unwrap();
        let listing = || {
            let mut names: Vec<_> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        let files = listing();
        for attempt in [Some(key("wrong")), None] {
            let Err(e) = Store::open_keyed(&path, attempt) else {
                panic!("refused");
            };
            assert!(matches!(e, StoreError::Locked { .. }), "{e}");
        }
        let Err(e) = Store::open_existing(&path) else {
            panic!("refused");
        };
        assert!(e.to_string().contains("is encrypted"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), before, "the file is untouched");
        assert_eq!(listing(), files, "no WAL or other file was made");
    }

    #[test]
    fn decrypting_and_rekeying_keep_every_record() {
        let (_tmp, path) = notebook();
        Store::open(&path)
            .unwrap()
            .convert(Some(&key("one")))
            .unwrap();
        Store::open_keyed(&path, Some(key("one")))
            .unwrap()
            .convert(Some(&key("two")))
            .unwrap();
        assert!(Store::open_keyed(&path, Some(key("one"))).is_err());
        Store::open_keyed(&path, Some(key("two")))
            .unwrap()
            .convert(None)
            .unwrap();
        assert!(!is_encrypted(&path));
        let store = Store::open(&path).unwrap();
        let (name, personal): (String, String) = store
            .conn
            .query_row("SELECT name, personal FROM people", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((name.as_str(), personal.as_str()), (NAME, PERSONAL));
        assert_eq!(store.check().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn converting_is_refused_while_another_connection_has_the_notebook_open() {
        let (_tmp, path) = notebook();
        let other = Store::open(&path).unwrap();
        let Err(e) = Store::open(&path).unwrap().convert(Some(&key("s3cret"))) else {
            panic!("refused");
        };
        assert!(e.to_string().contains("is open in another kam"), "{e}");
        assert!(!is_encrypted(&path), "still plain");
        drop(other);
        assert!(holds(&path, "Zebulonia"));
    }

    #[test]
    fn a_text_file_or_a_plain_notebook_is_not_taken_for_an_encrypted_one() {
        let (tmp, path) = notebook();
        assert!(!is_encrypted(&path));
        let text = tmp.path().join("notes.txt");
        fs::write(&text, "not a database at all").unwrap();
        assert!(!is_encrypted(&text));
        assert!(!is_encrypted(&tmp.path().join("missing.db")));
    }

    #[test]
    fn the_key_is_derived_once_for_every_connection_to_the_same_file() {
        let (_tmp, path) = notebook();
        Store::open(&path)
            .unwrap()
            .convert(Some(&key("s3cret")))
            .unwrap();
        let typed = key("s3cret");
        // kam's own derivation opens what SQLCipher's derivation wrote: the raw key is used.
        let conn = Connection::open(&path).unwrap();
        let keyed = apply_to_file(&conn, &typed, &path).unwrap();
        assert_eq!(keyed, (Keyed::Raw, true));
        drop(conn);
        let stores: Vec<Store> = (0..3)
            .map(|_| Store::open_existing_keyed(&path, Some(typed.clone())).unwrap())
            .collect();
        assert_eq!(
            typed.derivations(),
            1,
            "one derivation for four connections"
        );
        for store in &stores {
            let n: i64 = store
                .conn
                .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 1);
        }
        drop(stores);
        // A new file (new salt) with the same passphrase: derived again, for that salt.
        Store::open_existing_keyed(&path, Some(typed.clone()))
            .unwrap()
            .convert(Some(&typed))
            .unwrap();
        let store = Store::open_existing_keyed(&path, Some(typed.clone())).unwrap();
        assert_eq!(typed.derivations(), 2);
        assert_eq!(store.check().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_wrong_raw_key_falls_back_to_the_passphrase_and_says_so() {
        let (_tmp, path) = notebook();
        Store::open(&path)
            .unwrap()
            .convert(Some(&key("right")))
            .unwrap();
        let conn = Connection::open(&path).unwrap();
        assert_eq!(
            apply_to_file(&conn, &key("wrong"), &path).unwrap(),
            (Keyed::Passphrase, false)
        );
    }

    #[test]
    fn an_empty_passphrase_is_refused() {
        assert!(Passphrase::new("").is_err());
        assert!(Passphrase::new("\n").is_err());
        assert!(key("a\n").same_as(&key("a")));
        assert_eq!(format!("{:?}", key("secret")), "Passphrase(…)");
    }
}
