//! Who the `@name` mentions of a note name, resolved like a CLI target (DESIGN.md §5): `@#p7`
//! by id; otherwise people whose name matches accent- and case-insensitively word by word, an
//! exact full name winning. One match links the person; several, or none, link nobody and are
//! reported with the candidates — a mention is never guessed. Only people are mentioned.

use crate::domain::mention::{Mention, mentions};
use crate::domain::{Id, RecordKind, RecordRef};
use crate::store::{Candidate, Reader, StoreError, TargetKind};
use crate::text::sanitize_line;

/// Candidates looked at per mention (more is "ambiguous" anyway).
const CANDIDATES: u32 = 20;
/// Candidates named in a report.
const LISTED: usize = 5;

/// What a mention turned out to name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Exactly one person.
    Person { id: Id, name: String },
    /// Several people: nobody is linked.
    Ambiguous(Vec<Candidate>),
    /// Nobody.
    Unknown,
}

/// A mention and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionOutcome {
    pub mention: Mention,
    pub resolved: Resolved,
}

impl MentionOutcome {
    /// The person linked, if one was.
    pub fn person(&self) -> Option<Id> {
        match self.resolved {
            Resolved::Person { id, .. } => Some(id),
            _ => None,
        }
    }

    /// One line for the user: "@Carmen → #p1 Dra. Carmen Peña Olmedo", "@carmen matches 2
    /// people, not linked: #p1 Dra. Carmen Peña Olmedo (Hospital…), #p40 Carmen Ruiz — write
    /// more of the name or @#p1", "@Zed: nobody by that name, not linked". Sanitized.
    pub fn describe(&self) -> String {
        let raw = sanitize_line(&self.mention.raw);
        match &self.resolved {
            Resolved::Person { id, name } => format!(
                "{raw} → {} {}",
                RecordRef::of(RecordKind::Person, *id),
                sanitize_line(name)
            ),
            Resolved::Unknown => format!("{raw}: nobody by that name, not linked"),
            Resolved::Ambiguous(list) => {
                let shown: Vec<String> = list
                    .iter()
                    .take(LISTED)
                    .map(|c| {
                        let r = RecordRef::of(RecordKind::Person, c.id);
                        match &c.context {
                            Some(at) => {
                                format!("{r} {} ({})", sanitize_line(&c.name), sanitize_line(at))
                            }
                            None => format!("{r} {}", sanitize_line(&c.name)),
                        }
                    })
                    .collect();
                let more = if list.len() > LISTED { ", …" } else { "" };
                let first = list.first().map_or(0, |c| c.id);
                format!(
                    "{raw} matches {} people, not linked: {}{more} — write more of the name or @#p{first}",
                    list.len(),
                    shown.join(", ")
                )
            }
        }
    }
}

/// The mentions of a saved note in one short clause for a status line, what was not linked
/// first: "not linked: @Dr (9 people: #p6, #p2, …), @Zed (nobody) · linked: Dra. Carmen Peña
/// Olmedo". Empty when there were no mentions. Sanitized.
pub fn summary(outcomes: &[MentionOutcome]) -> String {
    let mut missed = Vec::new();
    let mut linked = Vec::new();
    for m in outcomes {
        let raw = sanitize_line(&m.mention.raw);
        match &m.resolved {
            Resolved::Person { name, .. } => linked.push(sanitize_line(name).into_owned()),
            Resolved::Unknown => missed.push(format!("{raw} (nobody)")),
            Resolved::Ambiguous(list) => {
                let ids: Vec<String> = list
                    .iter()
                    .take(3)
                    .map(|c| RecordRef::of(RecordKind::Person, c.id).to_string())
                    .collect();
                let more = if list.len() > 3 { ", …" } else { "" };
                missed.push(format!(
                    "{raw} ({} people: {}{more})",
                    list.len(),
                    ids.join(", ")
                ));
            }
        }
    }
    let mut parts = Vec::new();
    if !missed.is_empty() {
        parts.push(format!("not linked: {}", missed.join(", ")));
    }
    if !linked.is_empty() {
        parts.push(format!("linked: {}", linked.join(", ")));
    }
    parts.join(" · ")
}

fn resolve_one(reader: &Reader<'_>, m: &Mention) -> Result<Resolved, StoreError> {
    if let Some(r) = RecordRef::parse(&m.query) {
        if r.kind.is_some_and(|k| k != RecordKind::Person) {
            return Ok(Resolved::Unknown);
        }
        return Ok(match reader.name_of(TargetKind::Person, r.id)? {
            Some(name) => Resolved::Person { id: r.id, name },
            None => Resolved::Unknown,
        });
    }
    let matches = reader.match_names(&[TargetKind::Person], &m.query, CANDIDATES)?;
    let exact: Vec<&Candidate> = matches.iter().filter(|c| c.exact).collect();
    let pool: Vec<&Candidate> = if exact.is_empty() {
        matches.iter().collect()
    } else {
        exact
    };
    Ok(match pool.as_slice() {
        [] => Resolved::Unknown,
        [one] => Resolved::Person {
            id: one.id,
            name: one.name.clone(),
        },
        many => Resolved::Ambiguous(many.iter().map(|c| (*c).clone()).collect()),
    })
}

/// The mentions of `text` and what each names.
pub fn resolve_mentions(
    reader: &Reader<'_>,
    text: &str,
) -> Result<Vec<MentionOutcome>, StoreError> {
    mentions(text)
        .into_iter()
        .map(|mention| {
            Ok(MentionOutcome {
                resolved: resolve_one(reader, &mention)?,
                mention,
            })
        })
        .collect()
}

/// Adds the people the mentions name to `people` (in order, without repeats): an interaction's
/// `mentioned`, who were named and did not take part (`crate::domain::contact`).
pub fn link(people: &mut Vec<Id>, outcomes: &[MentionOutcome]) {
    for id in outcomes.iter().filter_map(MentionOutcome::person) {
        if !people.contains(&id) {
            people.push(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Account, Person};
    use crate::store::Store;

    fn notebook() -> (Store, Id, Id, Id) {
        let mut s = Store::open_in_memory().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00+01:00").unwrap();
        let ids = s
            .write(now, |w| {
                let a = w.upsert_account(
                    &Account {
                        uid: "a".into(),
                        name: "Hospital Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                let mut ids = Vec::new();
                for (uid, name) in [
                    ("p1", "Dra. Carmen Peña Olmedo"),
                    ("p2", "Carmen Ruiz"),
                    ("p3", "Iván Grigóriev"),
                ] {
                    ids.push(w.upsert_person(
                        &Person {
                            uid: uid.into(),
                            name: name.into(),
                            account: Some(a),
                            ..Person::default()
                        },
                        None,
                        None,
                    )?);
                }
                Ok(ids)
            })
            .unwrap();
        (s, ids[0], ids[1], ids[2])
    }

    #[test]
    fn one_match_links_several_or_none_link_nobody() {
        let (s, pena, ruiz, ivan) = notebook();
        let out = resolve_mentions(
            &s.reader(),
            "Met @ivan and @carmen.pena; @Carmen was there; ask @Zed; @#p2 too",
        )
        .unwrap();
        let found: Vec<Option<Id>> = out.iter().map(MentionOutcome::person).collect();
        assert_eq!(found, [Some(ivan), Some(pena), None, None, Some(ruiz)]);
        assert_eq!(
            out[0].describe(),
            format!("@ivan → #p{ivan} Iván Grigóriev")
        );
        // "Carmen" is two people: both named, nobody linked.
        let Resolved::Ambiguous(list) = &out[2].resolved else {
            panic!("{:?}", out[2]);
        };
        assert_eq!(list.len(), 2);
        assert_eq!(
            out[2].describe(),
            format!(
                "@Carmen matches 2 people, not linked: #p{pena} Dra. Carmen Peña Olmedo \
                 (Hospital Clínic), #p{ruiz} Carmen Ruiz (Hospital Clínic) — write more of the \
                 name or @#p{pena}"
            )
        );
        assert_eq!(out[3].describe(), "@Zed: nobody by that name, not linked");
        assert_eq!(
            summary(&out),
            format!(
                "not linked: @Carmen (2 people: #p{pena}, #p{ruiz}), @Zed (nobody) · linked: \
                 Iván Grigóriev, Dra. Carmen Peña Olmedo, Carmen Ruiz"
            )
        );
        assert_eq!(summary(&[]), "");
        let mut people = vec![ivan];
        link(&mut people, &out);
        assert_eq!(people, [ivan, pena, ruiz]);
    }

    #[test]
    fn an_exact_full_name_wins_over_a_prefix() {
        let (s, _, ruiz, _) = notebook();
        let out = resolve_mentions(&s.reader(), "@\"carmen ruiz\"").unwrap();
        assert_eq!(out[0].person(), Some(ruiz));
        let out = resolve_mentions(&s.reader(), "@#a1 @#p999").unwrap();
        assert_eq!(out.iter().filter_map(MentionOutcome::person).count(), 0);
    }
}
