//! Keeping the dossiers: accounts and people added, edited, archived and restored; stage moves
//! (recorded in the stage history); power-map links. The rules: a lost deal needs its reason; a
//! link ties two different people, once per kind; a personal line appended is dated.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{
    Account, AnyStage, DealStage, Id, Link, LinkKind, Person, RecordKind, RecordRef,
};
use crate::store::Writer;

fn aref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Account, id)
}

fn pref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Person, id)
}

fn stale(what: String) -> OpsError {
    OpsError::Conflict { what }
}

/// Moves the record `id` to `stage`, journaling the move; `None` when already there. With a
/// `version` (what a front showed), a record changed since is a conflict.
fn move_stage(
    tx: &mut Tx<'_, '_>,
    table: &str,
    id: Id,
    stage: AnyStage,
    note: Option<&str>,
    version: Option<i64>,
) -> Result<Option<crate::domain::StageChange>, OpsError> {
    tx.touch(table, id)?;
    let change = match version {
        Some(v) => tx.w().move_stage_at_version(id, v, stage, note)?,
        None => tx.w().move_stage(id, stage, note)?,
    };
    if let Some(c) = &change {
        tx.created("stage_changes", c.id)?;
    }
    Ok(change)
}

/// A new account, maybe at a stage.
#[derive(Debug, Clone)]
pub struct AddAccount {
    pub account: Account,
    pub stage: Option<AnyStage>,
}

impl Command for AddAccount {
    fn name(&self) -> &'static str {
        "account add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let id = tx.w().upsert_account(&self.account, None, None)?;
        tx.created("accounts", id)?;
        if let Some(s) = self.stage {
            move_stage(tx, "accounts", id, s, None, None)?;
        }
        Ok(
            Outcome::new(format!("Added account {} {}", aref(id), self.account.name))
                .with_record(aref(id)),
        )
    }
}

/// An account's fields as edited (read at `version`), maybe with a stage move.
#[derive(Debug, Clone)]
pub struct EditAccount {
    pub account: Account,
    pub version: i64,
    pub stage: Option<AnyStage>,
}

impl Command for EditAccount {
    fn name(&self) -> &'static str {
        "account edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let id = self.account.id;
        tx.touch("accounts", id)?;
        let saved = tx.w().update_account(&self.account, self.version)?;
        let moved = match self.stage {
            Some(s) => move_stage(tx, "accounts", id, s, None, None)?.is_some(),
            None => false,
        };
        Ok(Outcome::new(super::saved_or_unchanged(
            saved || moved,
            "account",
            &aref(id),
            &self.account.name,
        ))
        .with_record(aref(id)))
    }
}

/// A new person, maybe at a stage.
#[derive(Debug, Clone)]
pub struct AddPerson {
    pub person: Person,
    pub stage: Option<AnyStage>,
}

impl Command for AddPerson {
    fn name(&self) -> &'static str {
        "person add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        // "Dra. Carmen Peña" typed as the name: the salutation is kept apart (issue 14.7).
        let mut person = self.person.clone();
        person.settle_salutation();
        let id = tx.w().upsert_person(&person, None, None)?;
        tx.created("people", id)?;
        if let Some(s) = self.stage {
            move_stage(tx, "people", id, s, None, None)?;
        }
        Ok(
            Outcome::new(format!("Added person {} {}", pref(id), person.addressed()))
                .with_record(pref(id)),
        )
    }
}

/// A person's fields as edited (read at `version`), maybe with a stage move and a dated line
/// appended to their personal notes (the lines before are kept).
#[derive(Debug, Clone)]
pub struct EditPerson {
    pub person: Person,
    pub version: i64,
    pub stage: Option<AnyStage>,
    pub append_personal: Option<String>,
}

impl Command for EditPerson {
    fn name(&self) -> &'static str {
        "person edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let mut p = self.person.clone();
        if let Some(line) = &self.append_personal {
            let line = line.trim();
            if line.is_empty() {
                return Err(OpsError::invalid(
                    "--append-personal \"\": give the line to add, e.g. --append-personal \"daughter starts university\"",
                ));
            }
            let dated = format!("{}: {line}", tx.now().format("%Y-%m-%d"));
            p.personal = Some(match p.personal.as_deref().map(str::trim_end) {
                Some(old) if !old.is_empty() => format!("{old}\n{dated}"),
                _ => dated,
            });
        }
        p.settle_salutation();
        tx.touch("people", p.id)?;
        let saved = tx.w().update_person(&p, self.version)?;
        let moved = match self.stage {
            Some(s) => move_stage(tx, "people", p.id, s, None, None)?.is_some(),
            None => false,
        };
        Ok(Outcome::new(super::saved_or_unchanged(
            saved || moved,
            "person",
            &pref(p.id),
            &p.addressed(),
        ))
        .with_record(pref(p.id)))
    }
}

/// Moves a person, account or deal to another stage, recording the move and its reason.
#[derive(Debug, Clone)]
pub struct MoveStage {
    pub id: Id,
    pub to: AnyStage,
    pub note: Option<String>,
    /// The record as the message names it ("#d3 Tender Q1").
    pub label: String,
    /// The version the front showed (the TUI's dossier); `None` moves whatever is there.
    pub version: Option<i64>,
}

impl Command for MoveStage {
    fn name(&self) -> &'static str {
        "stage"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.to == AnyStage::Deal(DealStage::Lost)
            && self.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            return Err(OpsError::invalid(
                "a lost deal needs the reason: --note \"price: Sandoz 12 % lower\"",
            ));
        }
        let table = match self.to {
            AnyStage::Account(_) => "accounts",
            AnyStage::Person(_) => "people",
            AnyStage::Deal(_) => "deals",
        };
        let change = move_stage(
            tx,
            table,
            self.id,
            self.to,
            self.note.as_deref(),
            self.version,
        )?;
        Ok(Outcome::new(match change {
            Some(c) => format!(
                "{}: {} → {}",
                self.label,
                c.from.as_deref().unwrap_or("(none)"),
                c.to
            ),
            None => format!("{} is already {}", self.label, self.to.as_str()),
        }))
    }
}

/// Ties two people in the power map.
#[derive(Debug, Clone)]
pub struct AddLink {
    pub link: Link,
    /// The two people as the message names them.
    pub labels: (String, String),
}

impl Command for AddLink {
    fn name(&self) -> &'static str {
        "link"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let l = &self.link;
        let (from, to) = &self.labels;
        if let Err(e) = crate::domain::check_link_ends(l.from, l.to) {
            return Err(OpsError::invalid(format!("{from}: {e}")));
        }
        // Checked inside the write transaction, so two `kam link` at once cannot both add it.
        if tx.w().link_exists(l.from, l.to, l.kind)? {
            return Ok(Outcome::new(format!("{from} already {} {to}", l.kind)));
        }
        let id = tx.w().upsert_link(l)?;
        tx.created("links", id)?;
        Ok(Outcome::new(format!("{from} —{}→ {to}", l.kind)))
    }
}

/// Unties two people: removes the links of `kind` from one to the other.
#[derive(Debug, Clone)]
pub struct RemoveLink {
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
    pub labels: (String, String),
}

impl Command for RemoveLink {
    fn name(&self) -> &'static str {
        "link remove"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let (from, to) = &self.labels;
        if let Err(e) = crate::domain::check_link_ends(self.from, self.to) {
            return Err(OpsError::invalid(format!("{from}: {e}")));
        }
        let (links, _) = tx.w().links_of(self.from, u32::MAX)?;
        let mut removed = 0;
        for (l, _) in links {
            if l.from == self.from && l.to == self.to && l.kind == self.kind {
                tx.touch("links", l.id)?;
                if tx.w().delete_link(l.id)? {
                    removed += 1;
                }
            }
        }
        if removed == 0 {
            return Err(OpsError::invalid(format!(
                "{from} has no {} link to {to}; see them with: kam link {}",
                self.kind,
                pref(self.from)
            )));
        }
        Ok(Outcome::new(format!(
            "removed: {from} —{}→ {to}",
            self.kind
        )))
    }
}

/// Archives a person or an account (out of lists, agenda and flags; kept, restorable), or
/// restores one.
#[derive(Debug, Clone)]
pub struct Archive {
    pub kind: RecordKind,
    pub id: Id,
    pub version: Option<i64>,
    /// Restore instead of archive.
    pub restore: bool,
}

fn check(version: Option<i64>, read: i64, what: String) -> Result<(), OpsError> {
    if version.is_some_and(|v| v != read) {
        return Err(stale(what));
    }
    Ok(())
}

fn archive_state(
    w: &Writer<'_>,
    kind: RecordKind,
    id: Id,
) -> Result<(String, bool, i64), OpsError> {
    let missing = || OpsError::NotFound(format!("no {}", RecordRef::of(kind, id)));
    Ok(match kind {
        RecordKind::Account => {
            let (a, s) = w.account(id)?.ok_or_else(missing)?;
            (a.name, a.archived_at.is_some(), s.version)
        }
        RecordKind::Person => {
            let (p, s) = w.person(id)?.ok_or_else(missing)?;
            (p.name, p.archived_at.is_some(), s.version)
        }
        other => {
            return Err(OpsError::invalid(format!(
                "{}: only people and accounts are archived",
                RecordRef::of(other, id)
            )));
        }
    })
}

impl Command for Archive {
    fn name(&self) -> &'static str {
        if self.restore { "restore" } else { "archive" }
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = RecordRef::of(self.kind, self.id);
        let (name, archived, version) = archive_state(tx.w(), self.kind, self.id)?;
        check(self.version, version, r.to_string())?;
        if archived != self.restore {
            return Err(OpsError::invalid(if self.restore {
                format!("{r} {name} is not archived")
            } else {
                format!("{r} {name} is already archived; `kam restore {r}` brings it back")
            }));
        }
        let at = (!self.restore).then(|| tx.now());
        if self.kind == RecordKind::Account {
            tx.touch("accounts", self.id)?;
            if let Some((mut a, s)) = tx.w().account(self.id)? {
                a.archived_at = at;
                tx.w().update_account(&a, s.version)?;
            }
        } else {
            tx.touch("people", self.id)?;
            if let Some((mut p, s)) = tx.w().person(self.id)? {
                p.archived_at = at;
                tx.w().update_person(&p, s.version)?;
            }
        }
        let verb = if self.restore { "Restored" } else { "Archived" };
        Ok(Outcome::new(format!("{verb} {r} {name}")).with_record(r))
    }
}
