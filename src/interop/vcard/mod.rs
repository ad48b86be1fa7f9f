//! vCard: people in and out. Reads 2.1, 3.0 and 4.0 (as phones, Outlook, Google and Apple write
//! them); writes 3.0 by default, 4.0 on request.
//!
//! What maps (a person's field ↔ vCard property):
//!
//! | kamnote            | vCard                               | notes                                   |
//! |--------------------|-------------------------------------|-----------------------------------------|
//! | uid                | UID (`urn:uuid:` dropped on read)   | re-import matches on it                 |
//! | name               | FN (N written from it)              | N is read only when FN is missing       |
//! | salutation         | N prefix (FN written with it)       | else a salutation FN starts with        |
//! | family_name        | N family (else the name's last word)| kept when not the name's last word      |
//! | (an account)       | KIND:org / X-ABSHOWAS:COMPANY       | the card becomes an account, no person  |
//! | account            | ORG (first part)                    | matched by name, created when new       |
//! | title              | TITLE                               |                                         |
//! | phone              | TEL (the preferred, else the first) | other numbers are not kept (reported)   |
//! | email              | EMAIL (the preferred, else first)   | other addresses are not kept (reported) |
//! | birthday           | BDAY, with or without year          | 3.0 out: `X-APPLE-OMIT-YEAR=1604`       |
//! | personal           | NOTE                                |                                         |
//! | tags               | CATEGORIES                          |                                         |
//! | updated_at         | REV (written only)                  |                                         |
//!
//! Not carried: role, influence, attitude, stage, languages, archived, links, and everything
//! else about the account. Read but not kept: ADR, URL, PHOTO, NICKNAME, ROLE, IMPP, other TEL
//! and EMAIL, ORG units; the import report counts them. A property a card lacks leaves the
//! person's field as it was: a re-import never clears a field.
//!
//! A birthday without a year: 3.0 out writes Apple's `X-APPLE-OMIT-YEAR=1604` form (iPhones
//! read and write it; khard shows the year as 04), 4.0 out writes `--MMDD`; both are read, as
//! are `--MM-DD`, `--MMDD` in 3.0 and year 1604 without the parameter.
//!
//! N without FN: given, additional and family names (`N:Peña Olmedo;Carmen;;Dra.;` → "Carmen
//! Peña Olmedo"; honorifics left out), the family name first and without a space in Chinese,
//! Japanese or Korean (`N:王;小明;;;` → "王小明"). A single-value property written twice (FN, N,
//! UID, ORG, TITLE, BDAY) keeps its first value.
//!
//! Text: UTF-8 (or UTF-16 with a byte order mark); a line that is not is read as Windows-1252 (Latin-1 plus € and quotes), and a
//! 2.1 quoted-printable value follows its `CHARSET`.
//!
//! Matching on import (`interop::matching`, shared with CSV): by UID, else by name (accent- and
//! case-insensitive) and email; a card without an email matches the one person of that name (in
//! its ORG's account); several such people: the card is skipped and they are named.

mod export;
mod import;
mod parse;
mod write;

pub use export::{card_of, export};
pub use import::import;
pub use parse::{Card, birthday, parse};
pub use write::{Version, write_card};
