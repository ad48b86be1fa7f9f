//! The power map of an account: who reports to whom, who sways whom, and where each person
//! stands with us — as a structure ([`PowerMap::build`]) and as terminal lines at a given
//! width ([`PowerMap::lines`]), drawn the same by `kam map` and the account dossier's Map tab.
//!
//! Output style (one line per person, clarity over cleverness):
//!
//! ```text
//! Reports-to tree                    role            infl.  attitude     stage
//! Dr. Alberto Salcedo Peña · Dire…   influencer      ●●●○○  0 neutral    contacted
//! ├─ Dra. Carmen Peña Olmedo         economic-buyer  ●●●●●  + supporter  loyal
//! │  └─ Andrés Sánchez Ibáñez        gatekeeper      ●○○○○  0 neutral    contacted
//! └─ Dr. Rafael Mendoza Ibáñez       blocker         ●●●○○  -- opponent  cooling
//!
//! Not placed (no reports-to link)
//!   María José Íñiguez Salas         technical-buyer ●●●○○  0 neutral    acquainted
//!
//! Cross links
//!   Dr. Rafael Mendoza Ibáñez  ─rival─      Dr. Javier Ortega Núñez
//!       Compete for the day-hospital budget and beds.
//!   Dr. Íñigo Núñez Peña · Clínica Dr. Núñez  ─influences→  Dr. Javier Ortega Núñez
//! ```
//!
//! - The tree: roots are the people who report to nobody in the account and have someone
//!   reporting to them; siblings by influence (highest first), then name. A person with two
//!   managers sits under the first (oldest link); the other is a cross link marked "also". A
//!   loop of reports-to links is broken at one person, who becomes a root; the link that closed
//!   the loop is a cross link marked "loop". Nothing is drawn twice and nothing is lost.
//! - People with no reports-to link inside the account at all are listed under "Not placed".
//! - Influence is five dots (`●●●○○` = 3/5, `·····` unknown); attitude a marker and its word
//!   (`++ champion`, `+ supporter`, `0 neutral`, `- skeptic`, `-- opponent`), coloured by
//!   tone where the caller has colour; role and stage in words.
//! - Cross links: every link that is not a tree edge — influences (`─influences→`), ally,
//!   rival, friend, family (no arrowhead: they go both ways), and reports-to links to or from
//!   outside the account. A person of another account is shown with their account's name.
//!   A link's note follows on its own line, dimmed.
//! - Every name and note is sanitized and cut by display width ([`crate::text`]), so CJK and
//!   accented names never break the columns. Below the width the columns need, the stage, then
//!   the role, then the attitude column is dropped rather than squeezing names to nothing.
//!
//! Pure: no I/O, no clock; the store supplies the people and links
//! ([`crate::store::Reader::account_links`]).

mod render;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::domain::{Id, Link, LinkKind, Person};
use crate::store::LinkedPerson;

pub use render::{MapLine, Segment, Tone};

/// Most people of one account a map reads.
pub const PEOPLE: u32 = 300;
/// Most links a map reads.
pub const LINKS: u32 = 1000;

/// Reads and lays out the power map of `account`: its first [`PEOPLE`] people by name and at
/// most [`LINKS`] of their links.
pub fn load(
    reader: &crate::store::Reader<'_>,
    account: Id,
) -> Result<PowerMap, crate::store::StoreError> {
    let mut people = reader.people(Some(account), PEOPLE + 1, 0)?;
    let many = people.len() > PEOPLE as usize;
    people.truncate(PEOPLE as usize);
    let ids: Vec<Id> = people.iter().map(|p| p.id).collect();
    let links = reader.links_among(&ids, LINKS)?;
    let mut map = PowerMap::build(people, links.links, links.outside, links.truncated);
    map.more_people = many;
    Ok(map)
}

/// A person drawn in the tree: their index in [`PowerMap::people`], and for each level above
/// them whether that ancestor has siblings still to come (how the `│` rails are drawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub person: usize,
    /// One entry per ancestor level below the root, then this person's own: "more siblings
    /// follow".
    pub rails: Vec<bool>,
}

impl Placed {
    /// 0 for a root.
    pub fn depth(&self) -> usize {
        self.rails.len()
    }
}

/// One end of a cross link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A person of the account (index in [`PowerMap::people`]).
    Inside(usize),
    /// A person elsewhere (index in [`PowerMap::outside`]).
    Outside(usize),
}

/// Why a link is drawn as a cross link rather than a tree edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrossWhy {
    /// Influence, alliance, rivalry, friendship, family, or a tie leaving the account.
    Link,
    /// A second manager: the person already sits under another.
    Also,
    /// The reports-to link that closed a loop.
    Loop,
}

/// A link drawn below the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Cross {
    pub link: Link,
    pub from: End,
    pub to: End,
    pub why: CrossWhy,
}

/// The power map of one account, laid out as a tree plus cross links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PowerMap {
    /// The account's people, in the order given.
    pub people: Vec<Person>,
    /// People of other accounts (or none) at the far end of a link.
    pub outside: Vec<LinkedPerson>,
    /// The reports-to forest, depth first.
    pub tree: Vec<Placed>,
    /// People with no reports-to link inside the account (indices, in sibling order).
    pub unplaced: Vec<usize>,
    pub cross: Vec<Cross>,
    /// The reports-to links drawn as the tree's edges.
    pub tree_links: Vec<Link>,
    /// The store held more links than were read.
    pub truncated: bool,
    /// The account has more people than were read ([`PEOPLE`], by name).
    pub more_people: bool,
}

/// Sibling order: most influence first, then by family name ([`Person::sort_key`]).
fn order_key(p: &Person) -> (std::cmp::Reverse<u8>, String, Id) {
    (
        std::cmp::Reverse(p.influence.unwrap_or(0)),
        p.sort_key(),
        p.id,
    )
}

impl PowerMap {
    /// Lays out `people` (an account's) and the `links` among and around them; `outside` names
    /// the far ends that are not in `people`. Links to a person in neither list are dropped.
    pub fn build(
        people: Vec<Person>,
        links: Vec<Link>,
        outside: Vec<LinkedPerson>,
        truncated: bool,
    ) -> PowerMap {
        let index: HashMap<Id, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let outside_index: HashMap<Id, usize> =
            outside.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let end = |id: Id| {
            index
                .get(&id)
                .map(|&i| End::Inside(i))
                .or_else(|| outside_index.get(&id).map(|&i| End::Outside(i)))
        };

        // Each person's manager: the oldest reports-to link inside the account.
        let mut manager: Vec<Option<(usize, usize)>> = vec![None; people.len()];
        let mut in_hierarchy = vec![false; people.len()];
        let mut cross = Vec::new();
        let mut edges = Vec::new();
        let mut sorted = links;
        sorted.sort_by_key(|l| l.id);
        for (n, l) in sorted.iter().enumerate() {
            let (Some(from), Some(to)) = (end(l.from), end(l.to)) else {
                continue;
            };
            match (l.kind, from, to) {
                (LinkKind::ReportsTo, End::Inside(a), End::Inside(b)) if a != b => {
                    in_hierarchy[a] = true;
                    in_hierarchy[b] = true;
                    if manager[a].is_none() {
                        manager[a] = Some((b, n));
                        edges.push(n);
                    } else {
                        cross.push((n, from, to, CrossWhy::Also));
                    }
                }
                _ if from == to => {}
                _ => cross.push((n, from, to, CrossWhy::Link)),
            }
        }

        let mut children: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
        for (a, m) in manager.iter().enumerate() {
            if let Some((b, _)) = m {
                children[*b].push(a);
            }
        }
        for c in &mut children {
            c.sort_by_key(|&i| order_key(&people[i]));
        }
        let mut by_order: Vec<usize> = (0..people.len()).collect();
        by_order.sort_by_key(|&i| order_key(&people[i]));

        let mut placed = vec![false; people.len()];
        let mut tree = Vec::new();
        let roots: Vec<usize> = by_order
            .iter()
            .copied()
            .filter(|&i| in_hierarchy[i] && manager[i].is_none())
            .collect();
        for root in roots {
            place(root, &children, &mut placed, &mut tree);
        }
        // Whoever is left sits in (or under) a loop: break each loop at the person where the
        // walk up from the first one left comes round again.
        while let Some(&start) = by_order.iter().find(|&&i| in_hierarchy[i] && !placed[i]) {
            let mut seen = vec![false; people.len()];
            let mut at = start;
            while !seen[at] {
                seen[at] = true;
                match manager[at] {
                    Some((m, _)) if !placed[m] => at = m,
                    _ => break,
                }
            }
            if let Some((m, n)) = manager[at].take() {
                children[m].retain(|&c| c != at);
                edges.retain(|&e| e != n);
                cross.push((n, End::Inside(at), End::Inside(m), CrossWhy::Loop));
            }
            place(at, &children, &mut placed, &mut tree);
        }

        let unplaced = by_order.into_iter().filter(|&i| !in_hierarchy[i]).collect();
        cross.sort_by_key(|(n, ..)| *n);
        let tree_links = edges.iter().map(|&n| sorted[n].clone()).collect();
        let cross = cross
            .into_iter()
            .map(|(n, from, to, why)| Cross {
                link: sorted[n].clone(),
                from,
                to,
                why,
            })
            .collect();
        PowerMap {
            people,
            outside,
            tree,
            unplaced,
            cross,
            tree_links,
            truncated,
            more_people: false,
        }
    }

    /// The ids of the people in the order they are drawn: the tree, then "Not placed".
    pub fn order(&self) -> Vec<Id> {
        self.tree
            .iter()
            .map(|p| p.person)
            .chain(self.unplaced.iter().copied())
            .map(|i| self.people[i].id)
            .collect()
    }

    /// The person at one end of a cross link: id, name and (outside) their account's name.
    pub fn end(&self, end: End) -> (Id, &str, Option<&str>) {
        match end {
            End::Inside(i) => (self.people[i].id, &self.people[i].name, None),
            End::Outside(i) => {
                let o = &self.outside[i];
                // Someone of this very account beyond the people drawn (a huge account).
                let here =
                    o.account.is_some() && self.people.first().and_then(|p| p.account) == o.account;
                let account = if here {
                    "not drawn"
                } else {
                    o.account_name.as_deref().unwrap_or("no account")
                };
                (o.id, &o.name, Some(account))
            }
        }
    }
}

/// Places `root` and everyone under it, depth first (iteratively: a deep chain cannot blow the
/// stack).
fn place(root: usize, children: &[Vec<usize>], placed: &mut [bool], tree: &mut Vec<Placed>) {
    let mut stack: Vec<(usize, Vec<bool>)> = vec![(root, Vec::new())];
    while let Some((at, rails)) = stack.pop() {
        if placed[at] {
            continue;
        }
        placed[at] = true;
        let kids: Vec<usize> = children[at]
            .iter()
            .copied()
            .filter(|&c| !placed[c])
            .collect();
        for (k, &c) in kids.iter().enumerate().rev() {
            let mut r = rails.clone();
            r.push(k + 1 < kids.len());
            stack.push((c, r));
        }
        tree.push(Placed { person: at, rails });
    }
}
