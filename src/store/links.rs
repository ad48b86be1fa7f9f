//! The power map of an account as the store sees it: every link from or to the people shown
//! (bounded), the people at the far end of links that leave them (with their account's name),
//! and removing a link.

use rusqlite::{OptionalExtension, params};

use crate::domain::{Id, Invalid, Link, RecordKind, RecordRef, Vocabulary, check_link_ends};

use super::people::link_row;
use super::{Reader, StoreError, Writer};

/// A person at the far end of a link that leaves the account, with their own account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkedPerson {
    pub id: Id,
    pub name: String,
    pub account: Option<Id>,
    pub account_name: Option<String>,
}

/// The links of an account's people, and who the outside ends are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountLinks {
    /// Oldest first; links with an archived person at either end are left out.
    pub links: Vec<Link>,
    /// The people at the ends of `links` who are not among the people asked about.
    pub outside: Vec<LinkedPerson>,
    /// More links than the limit exist.
    pub truncated: bool,
}

impl Reader<'_> {
    /// Links from or to any of `people` (an account's, as shown), oldest first per person, at
    /// most `limit` in all; the far ends that are not among `people` are named in `outside`.
    /// Links with an archived person at the far end are left out.
    pub fn links_among(&self, people: &[Id], limit: u32) -> Result<AccountLinks, StoreError> {
        // Two indexed walks per person (links_from, links_to): the cost follows the people
        // shown, never the notebook or a huge account.
        let mut from = self.conn.prepare_cached(
            "SELECT l.id, l.uid, l.from_person, l.to_person, l.kind, l.note, l.extra
             FROM links l JOIN people p ON p.id = l.to_person AND p.archived_at IS NULL
             WHERE l.from_person = ?1 ORDER BY l.from_person, l.id LIMIT ?2",
        )?;
        let mut to = self.conn.prepare_cached(
            "SELECT l.id, l.uid, l.from_person, l.to_person, l.kind, l.note, l.extra
             FROM links l JOIN people p ON p.id = l.from_person AND p.archived_at IS NULL
             WHERE l.to_person = ?1 ORDER BY l.to_person, l.id LIMIT ?2",
        )?;
        let room = i64::from(limit) + 1;
        let mut seen = std::collections::HashSet::new();
        let mut links = Vec::new();
        'people: for &id in people {
            for stmt in [&mut from, &mut to] {
                let mut rows = stmt.query(params![id, room])?;
                while let Some(r) = rows.next()? {
                    let l = link_row(r)?;
                    if seen.insert(l.id) {
                        links.push(l);
                        if links.len() > limit as usize {
                            break 'people;
                        }
                    }
                }
            }
        }
        let truncated = links.len() > limit as usize;
        links.truncate(limit as usize);
        links.sort_by_key(|l| l.id);
        let shown: std::collections::HashSet<Id> = people.iter().copied().collect();
        let mut outside: Vec<LinkedPerson> = Vec::new();
        let mut who = self.conn.prepare_cached(
            "SELECT p.id, coalesce(p.salutation || ' ', '') || p.name, p.account_id, a.name FROM people p
             LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = ?1",
        )?;
        for l in &links {
            for end in [l.from, l.to] {
                if shown.contains(&end) || outside.iter().any(|o| o.id == end) {
                    continue;
                }
                outside.push(who.query_row([end], |r| {
                    Ok(LinkedPerson {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        account: r.get(2)?,
                        account_name: r.get(3)?,
                    })
                })?);
            }
        }
        Ok(AccountLinks {
            links,
            outside,
            truncated,
        })
    }

    /// One link by id.
    pub fn link(&self, id: Id) -> Result<Option<Link>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uid, from_person, to_person, kind, note, extra FROM links WHERE id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(link_row).transpose()
    }
}

impl Writer<'_> {
    /// Refuses a link from a person to themselves, and a second link of the same kind between
    /// the same two people (one tie is recorded once). A link stored before these rules can be
    /// written back as it is (an old notebook's export imports again).
    pub(super) fn check_link(&self, l: &Link) -> Result<(), StoreError> {
        let kind = l.kind.as_str();
        let stored: Option<(Id, Id, String)> = self
            .conn
            .prepare_cached("SELECT from_person, to_person, kind FROM links WHERE uid = ?1")?
            .query_row([&l.uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if stored.is_some_and(|(f, t, k)| f == l.from && t == l.to && k == kind) {
            return Ok(());
        }
        check_link_ends(l.from, l.to)?;
        let twin: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM links WHERE from_person = ?1 AND to_person = ?2
                   AND kind = ?3 AND uid != ?4)",
            )?
            .query_row(params![l.from, l.to, kind, l.uid], |r| r.get(0))?;
        if twin {
            return Err(Invalid::new(
                "to",
                format!(
                    "{} already has a {kind} link to {}; a tie is recorded once (add a note to it instead)",
                    RecordRef::of(RecordKind::Person, l.from),
                    RecordRef::of(RecordKind::Person, l.to)
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Removes a link; false when it was already gone.
    pub fn delete_link(&self, id: Id) -> Result<bool, StoreError> {
        let n = self
            .conn
            .prepare_cached("DELETE FROM links WHERE id = ?1")?
            .execute([id])?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{account, add_account, add_person, now, person, store};
    use super::*;
    use crate::domain::{Extra, LinkKind};

    fn link(uid: &str, from: Id, to: Id, kind: LinkKind) -> Link {
        Link {
            id: 0,
            uid: uid.into(),
            from,
            to,
            kind,
            note: None,
            extra: Extra::new(),
        }
    }

    #[test]
    fn links_of_an_account_name_the_outside_people_and_can_be_removed() {
        let mut s = store();
        let a = add_account(&mut s, &account("a-1", "Hospital Clínic"));
        let b = add_account(&mut s, &account("a-2", "Clínica Núñez"));
        let ana = add_person(&mut s, &person("p-1", "Ana", Some(a)));
        let ivan = add_person(&mut s, &person("p-2", "Iván", Some(a)));
        let nuno = add_person(&mut s, &person("p-3", "Nuño", Some(b)));
        let lone = add_person(&mut s, &person("p-4", "Lone", None));
        let other = add_person(&mut s, &person("p-5", "Other", Some(b)));
        let ids = s
            .write(now(), |w| {
                Ok([
                    w.upsert_link(&link("l-1", ana, ivan, LinkKind::ReportsTo))?,
                    w.upsert_link(&link("l-2", nuno, ana, LinkKind::Influences))?,
                    w.upsert_link(&link("l-3", ivan, lone, LinkKind::Friend))?,
                    w.upsert_link(&link("l-4", nuno, other, LinkKind::Rival))?,
                ])
            })
            .unwrap();
        let got = s.reader().links_among(&[ana, ivan], 10).unwrap();
        assert_eq!(got.links.iter().map(|l| l.id).collect::<Vec<_>>(), ids[..3]);
        assert!(!got.truncated);
        assert_eq!(
            got.outside
                .iter()
                .map(|o| (o.name.as_str(), o.account_name.as_deref()))
                .collect::<Vec<_>>(),
            [("Nuño", Some("Clínica Núñez")), ("Lone", None)]
        );
        let two = s.reader().links_among(&[ana, ivan], 2).unwrap();
        assert!(two.truncated && two.links.len() == 2);

        assert!(s.write(now(), |w| w.delete_link(ids[0])).unwrap());
        assert!(!s.write(now(), |w| w.delete_link(ids[0])).unwrap());
        assert_eq!(s.reader().link(ids[0]).unwrap(), None);
        assert_eq!(
            s.reader()
                .links_among(&[ana, ivan], 10)
                .unwrap()
                .links
                .len(),
            2
        );
    }
}
