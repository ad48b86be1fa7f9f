//! The edit form of an account or a person (`e` in a dossier; `a` opens it empty to add one):
//! every field an import can set, each checked as it is typed (the error shows under the
//! field), saved with `Ctrl-S` only when all are valid. Long fields wrap, nothing is cut off;
//! the multi-line ones (personal notes, about, needs, plans, competitors) are a wrapping editor
//! where `Enter` starts a new line, and `Ctrl-E` hands the field to `$EDITOR`. `Esc` on a
//! changed form asks before throwing the changes away.
//!
//! A component: saving replies a command for `ops` (`EditAccount`, `EditPerson`, `AddAccount`,
//! `AddPerson`), which journals the text an edit replaced. Only the fields the user changed are
//! written: the others keep the record's values as they are in the notebook. After a conflict
//! the form stands on the record as the other writer left it (their values fill the fields the
//! user did not touch; where both changed a field, theirs shows under it), so saving anyway
//! never reverts what the user never touched.

mod fields;
mod render;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::action::Action;
use super::app::StatusKind;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::{Binding, Key};
use super::screens::RenderCtx;
use crate::domain::{Account, AnyStage, Id, Person, RecordKind, RecordRef};
use crate::ops::{self, OpsError, Outcome};
use crate::store::{Reader, TargetKind};
use fields::{FieldShape, RecordForm, Spec};

/// What the form edits, with the version read when it was opened.
#[derive(Debug, Clone, PartialEq)]
pub enum FormRecord {
    Account(Account, i64),
    Person(Person, i64),
}

impl FormRecord {
    fn kind(&self) -> RecordForm {
        match self {
            FormRecord::Account(..) => RecordForm::Account,
            FormRecord::Person(..) => RecordForm::Person,
        }
    }

    fn values(&self, account: Option<&str>) -> Vec<String> {
        match self {
            FormRecord::Account(a, _) => fields::account_values(a),
            FormRecord::Person(p, _) => fields::person_values(p, account),
        }
    }
}

#[derive(Debug, Clone)]
struct Input {
    spec: Spec,
    text: TextArea<'static>,
    /// The value the form was opened with (or rebased on): the field is changed when its text
    /// differs from it. A value the record held is not checked again, so a record stored
    /// before a rule existed can still be edited in its other fields.
    opened: String,
    error: Option<String>,
    /// After a conflict, the other writer's value of a field the user changed too.
    theirs: Option<String>,
}

impl Input {
    fn label(&self) -> &'static str {
        self.spec.label
    }

    fn value(&self) -> String {
        self.text.lines().join("\n")
    }

    fn set(&mut self, value: &str) {
        self.text = area(value, self.spec.hint);
    }

    fn changed(&self) -> bool {
        self.value() != self.opened
    }
}

/// A wrapping editor holding `value`, the cursor at its end; `hint` shows while it is empty.
fn area(value: &str, hint: &str) -> TextArea<'static> {
    let mut t = TextArea::new(value.split('\n').map(str::to_string).collect());
    t.set_placeholder_text(hint);
    t.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.set_cursor_line_style(Style::default());
    t.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

/// An open edit form.
#[derive(Debug, Clone)]
pub struct EditForm {
    record: FormRecord,
    /// Adding a new record (nothing is in the notebook yet).
    new: bool,
    /// A person's account's name as the form shows it.
    account_name: Option<String>,
    inputs: Vec<Input>,
    focus: usize,
    dirty: bool,
    /// `Esc` was pressed on a changed form: waiting for y/n.
    pub confirming: bool,
}

/// The form's keys (other keys type into the focused field).
pub const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::ctrl('s')],
        label: "Ctrl-S",
        help: "save",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "cancel",
        action: Action::Back,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "next field",
        action: Action::NextTab,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        label: "S-Tab",
        help: "previous field",
        action: Action::PrevTab,
        footer: true,
    },
    Binding {
        keys: &[Key::ctrl('e')],
        label: "Ctrl-E",
        help: "field in $EDITOR",
        action: Action::ExternalEditor,
        footer: true,
    },
];

impl EditForm {
    /// The form of a record as read (a person's account named by `account`).
    pub fn new(record: FormRecord) -> Self {
        Self::build(record, None, false)
    }

    /// The form of a person, their account shown by name.
    pub fn person(person: Person, version: i64, account: Option<String>) -> Self {
        Self::build(FormRecord::Person(person, version), account, false)
    }

    /// An empty form that adds an account.
    pub fn add_account() -> Self {
        let a = Account {
            uid: uuid::Uuid::new_v4().to_string(),
            ..Account::default()
        };
        Self::build(FormRecord::Account(a, 0), None, true)
    }

    /// An empty form that adds a person, maybe of an account (`(id, name)`).
    pub fn add_person(account: Option<(Id, String)>) -> Self {
        let p = Person {
            uid: uuid::Uuid::new_v4().to_string(),
            account: account.as_ref().map(|(id, _)| *id),
            ..Person::default()
        };
        Self::build(FormRecord::Person(p, 0), account.map(|(_, n)| n), true)
    }

    fn build(record: FormRecord, account_name: Option<String>, new: bool) -> Self {
        let specs = record.kind().specs();
        let inputs = specs
            .iter()
            .zip(record.values(account_name.as_deref()))
            .map(|(spec, value)| Input {
                spec: *spec,
                text: area(&value, spec.hint),
                opened: value,
                error: None,
                theirs: None,
            })
            .collect();
        EditForm {
            record,
            new,
            account_name,
            inputs,
            focus: 0,
            dirty: false,
            confirming: false,
        }
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.inputs.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.inputs.len() - 1) % self.inputs.len();
    }

    /// Types into the focused field. On a one-line field Enter and ↓ move on, ↑ back; in a
    /// multi-line field they edit the text (Tab moves on).
    pub fn key(&mut self, key: &KeyEvent) {
        let one_line = self.inputs[self.focus].spec.shape == FieldShape::Line;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let newline =
            key.code == KeyCode::Enter || (ctrl && matches!(key.code, KeyCode::Char('m' | 'j')));
        if one_line && (newline || key.code == KeyCode::Down) {
            self.next();
            return;
        }
        if one_line && key.code == KeyCode::Up {
            self.prev();
            return;
        }
        let input = &mut self.inputs[self.focus];
        if input.text.input(*key) {
            self.dirty = true;
        }
        if one_line && input.text.lines().len() > 1 {
            let joined = input.text.lines().join(" ");
            input.set(&joined);
        }
        self.recheck(self.focus);
    }

    fn recheck(&mut self, i: usize) {
        let kind = self.record.kind();
        let input = &mut self.inputs[i];
        let value = input.value();
        // A new record's name is asked for even before it is typed.
        let unchanged = value == input.opened && !(self.new && input.label() == "name");
        input.error = if unchanged {
            None
        } else {
            fields::check(kind, input.label(), &value)
        };
    }

    fn input(&self, label: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.label() == label)
    }

    fn value(&self, label: &str) -> String {
        self.input(label).map(Input::value).unwrap_or_default()
    }

    fn changed(&self, label: &str) -> bool {
        self.input(label).is_some_and(Input::changed)
    }

    /// The fields the user changed where the other writer's value differs: (label, theirs).
    pub fn clashes(&self) -> Vec<(&'static str, &str)> {
        self.inputs
            .iter()
            .filter_map(|i| i.theirs.as_deref().map(|t| (i.label(), t)))
            .collect()
    }

    /// The edited record and the version it was read at, or the first field in error (which
    /// then gets the focus).
    pub fn result(&mut self) -> Result<FormRecord, String> {
        if self.new {
            let name = self.inputs.iter().position(|i| i.label() == "name");
            if let Some(i) = name {
                self.recheck(i);
            }
        }
        if let Some((i, input)) = self
            .inputs
            .iter()
            .enumerate()
            .find(|(_, i)| i.error.is_some())
        {
            let message = format!(
                "{}: {}",
                input.label(),
                input.error.clone().unwrap_or_default()
            );
            self.focus = i;
            return Err(message);
        }
        // Only what the user changed: every other field keeps the record's value.
        let mut record = self.record.clone();
        for input in self.inputs.iter().filter(|i| i.changed()) {
            let value = input.value();
            match &mut record {
                FormRecord::Account(a, _) => fields::set_account(a, input.label(), &value),
                FormRecord::Person(p, _) => fields::set_person(p, input.label(), &value),
            }
        }
        Ok(record)
    }

    /// The stage typed, when the user changed it: it moves through the command.
    fn stage(&self) -> Option<AnyStage> {
        if self.changed("stage") {
            fields::stage(self.record.kind(), &self.value("stage"))
        } else {
            None
        }
    }

    /// The account of the person saved: `current` unless the field was changed (emptied:
    /// none; else the one account the text names).
    fn account(&self, reader: &Reader<'_>, current: Option<Id>) -> Result<Option<Id>, String> {
        if !self.changed("account") {
            return Ok(current);
        }
        let typed = self.value("account");
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let shown = crate::text::sanitize_line(typed);
        if let Some(r) = RecordRef::parse(typed)
            && r.kind.is_none_or(|k| k == RecordKind::Account)
        {
            return match reader.name_of(TargetKind::Account, r.id) {
                Ok(Some(_)) => Ok(Some(r.id)),
                Ok(None) => Err(format!("account: no account {shown}; e.g. #a1")),
                Err(e) => Err(e.to_string()),
            };
        }
        let found = reader
            .match_names(&[TargetKind::Account], typed, 6)
            .map_err(|e| e.to_string())?;
        let exact: Vec<Id> = found.iter().filter(|c| c.exact).map(|c| c.id).collect();
        match (exact.as_slice(), found.as_slice()) {
            ([one], _) => Ok(Some(*one)),
            ([], [one]) => Ok(Some(one.id)),
            (_, []) => Err(format!(
                "account: no account is named \"{shown}\"; type its name or #a12"
            )),
            (_, many) => Err(format!(
                "account: \"{shown}\" matches {}: {}; type more of the name or its #a",
                many.len(),
                many.iter()
                    .take(4)
                    .map(|c| format!("#a{} {}", c.id, c.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// After a conflict: the record as it is now. The fields the user did not change take the
    /// other writer's values; the ones they changed keep what was typed (theirs shown under it
    /// where it differs), so a second `Ctrl-S` saves exactly the user's changes, knowingly.
    pub fn rebase(&mut self, record: FormRecord, account_name: Option<String>) {
        let kind = record.kind();
        for (input, now) in self
            .inputs
            .iter_mut()
            .zip(record.values(account_name.as_deref()))
        {
            let value = input.value();
            if value == input.opened {
                input.set(&now);
                input.theirs = None;
            } else {
                input.theirs = (now != input.opened && now != value).then(|| now.clone());
            }
            input.opened = now;
            let value = input.value();
            input.error = (value != input.opened)
                .then(|| fields::check(kind, input.label(), &value))
                .flatten();
        }
        self.record = record;
        self.account_name = account_name;
    }

    /// The command that saves the form.
    fn command(&mut self, reader: &Reader<'_>) -> Result<Box<dyn ops::Command>, String> {
        let stage = self.stage();
        let mut record = self.result()?;
        if let FormRecord::Person(p, _) = &mut record {
            p.account = self.account(reader, p.account)?;
        }
        Ok(match (record, self.new) {
            (FormRecord::Account(account, _), true) => Box::new(ops::AddAccount { account, stage }),
            (FormRecord::Person(person, _), true) => Box::new(ops::AddPerson { person, stage }),
            (FormRecord::Account(account, version), false) => Box::new(ops::EditAccount {
                account,
                version,
                stage,
            }),
            (FormRecord::Person(person, version), false) => Box::new(ops::EditPerson {
                person,
                version,
                stage,
                append_personal: None,
            }),
        })
    }

    /// The record as it is in the notebook now, with a person's account's name.
    fn reread(&self, reader: &Reader<'_>) -> Option<(FormRecord, Option<String>)> {
        match &self.record {
            FormRecord::Account(a, _) => reader
                .account(a.id)
                .ok()
                .flatten()
                .map(|(a, st)| (FormRecord::Account(a, st.version), None)),
            FormRecord::Person(p, _) => {
                let (p, st) = reader.person(p.id).ok().flatten()?;
                let name = p
                    .account
                    .and_then(|a| reader.name_of(TargetKind::Account, a).ok().flatten());
                Some((FormRecord::Person(p, st.version), name))
            }
        }
    }

    fn title(&self) -> String {
        match (&self.record, self.new) {
            (FormRecord::Account(..), true) => "New account".into(),
            (FormRecord::Person(..), true) => match &self.account_name {
                Some(a) => format!("New person at {a}"),
                None => "New person".into(),
            },
            (FormRecord::Account(a, _), false) => format!("Edit {}", a.name),
            (FormRecord::Person(p, _), false) => format!("Edit {}", p.addressed()),
        }
    }
}

impl Component for EditForm {
    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back if self.confirming => self.confirming = false,
            Action::Back if self.dirty => self.confirming = true,
            Action::Back => return Reply::Close,
            _ if self.confirming => {}
            Action::NextTab => self.next(),
            Action::PrevTab => self.prev(),
            Action::Save => {
                return match self.command(ctx.reader) {
                    Ok(command) => Reply::Run(command),
                    Err(message) => Reply::Say(format!("Not saved — {message}"), StatusKind::Error),
                };
            }
            _ => {}
        }
        Reply::Stay
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        if self.confirming {
            match key.code {
                KeyCode::Char('y' | 'Y') => {
                    return Reply::Closed("Changes discarded".into());
                }
                KeyCode::Char('n' | 'N') => self.confirming = false,
                _ => {}
            }
            return Reply::Stay;
        }
        self.key(key);
        Reply::Stay
    }

    /// A conflict keeps what was typed: the form now stands on the record as it is, and a
    /// second `Ctrl-S` saves the typed values over the other change, knowingly.
    fn failed(&mut self, error: &OpsError, ctx: &PopupCtx<'_, '_>) -> Reply {
        let OpsError::Conflict { what } = error else {
            return Reply::Stay;
        };
        let Some((latest, account)) = self.reread(ctx.reader) else {
            return Reply::Then(Action::Refresh);
        };
        self.rebase(latest, account);
        let mut clashes = String::new();
        for (label, theirs) in self.clashes() {
            let theirs = crate::text::truncate(theirs, 30);
            clashes.push_str(&[" ", label, " “", &theirs, "”;"].concat());
        }
        let theirs = if clashes.is_empty() {
            " their changes are in the form;".to_string()
        } else {
            format!(" theirs:{clashes}")
        };
        Reply::Say(
            format!(
                "Conflict: {what} was changed elsewhere; nothing overwritten —{theirs} Ctrl-S saves only the fields you changed, Esc drops yours"
            ),
            StatusKind::Error,
        )
    }

    /// A record added opens its dossier.
    fn succeeded(&mut self, outcome: &Outcome) -> Option<Reply> {
        let r = outcome.record.filter(|_| self.new)?;
        let kind = match r.kind? {
            RecordKind::Account => TargetKind::Account,
            RecordKind::Person => TargetKind::Person,
            _ => return None,
        };
        Some(Reply::Then(Action::Open(kind, r.id)))
    }

    fn editor_text(&self) -> Option<String> {
        self.inputs.get(self.focus).map(Input::value)
    }

    fn editor_returned(&mut self, text: String) {
        let text = text.trim_end_matches(['\n', '\r']);
        let Some(input) = self.inputs.get_mut(self.focus) else {
            return;
        };
        let text = match input.spec.shape {
            FieldShape::Line => text.split(['\n', '\r']).collect::<Vec<_>>().join(" "),
            FieldShape::Lines => text.replace("\r\n", "\n"),
        };
        if text != input.value() {
            input.set(&text);
            self.dirty = true;
        }
        self.recheck(self.focus);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        render::form(self, area, buf, ctx.theme);
    }
}
#[cfg(test)]
mod tests {
    /// 11.12: the form's money field is checked as typed: a value an f64 would round is refused
    /// in the user's words.
    #[test]
    fn the_money_field_is_checked_as_typed() {
        let said = super::fields::check(RecordForm::Account, "our sales", "1.00000000000000001")
            .expect("refused");
        assert!(
            said.contains("1.00000000000000001 has more than 4 decimals"),
            "{said}"
        );
        let said = super::fields::check(RecordForm::Account, "our sales", "12345678901234.565")
            .expect("refused");
        assert!(
            said.starts_with("12345678901234.565 has more digits"),
            "{said}"
        );
        assert_eq!(
            super::fields::check(RecordForm::Account, "our sales", "1,250,000.50"),
            None
        );
    }

    use super::*;

    fn typed(form: &mut EditForm, text: &str) {
        for c in text.chars() {
            form.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn clear(form: &mut EditForm) {
        for _ in 0..80 {
            form.key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        }
    }

    #[test]
    fn fields_are_checked_as_typed_and_the_result_waits_for_all() {
        let p = Person {
            id: 1,
            uid: "p".into(),
            name: "Ana".into(),
            ..Person::default()
        };
        let mut form = EditForm::new(FormRecord::Person(p, 3));
        assert!(!form.dirty);
        form.focus = 4; // birthday
        typed(&mut form, "1981-02-29");
        assert!(form.inputs[4].error.is_some());
        assert!(form.result().unwrap_err().starts_with("birthday"));
        clear(&mut form);
        typed(&mut form, "--02-29");
        form.focus = 5;
        typed(&mut form, "7");
        assert!(form.result().unwrap_err().starts_with("influence"));
        clear(&mut form);
        typed(&mut form, "5");
        let FormRecord::Person(p, version) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(version, 3);
        assert_eq!(p.influence, Some(5));
        assert_eq!(
            p.birthday.map(|b| b.to_string()).as_deref(),
            Some("--02-29")
        );
        assert!(form.dirty);
    }

    fn field(form: &mut EditForm, label: &str, text: &str) {
        form.focus = form.inputs.iter().position(|i| i.label() == label).unwrap();
        clear(form);
        typed(form, text);
    }

    #[test]
    fn the_form_checks_with_the_domain_rules() {
        let p = Person {
            id: 1,
            uid: "p".into(),
            name: "Ana".into(),
            ..Person::default()
        };
        let mut form = EditForm::new(FormRecord::Person(p, 1));
        for (label, bad, good) in [
            ("email", "ana@clinic", "ana@clinic.example"),
            ("languages", "es, english", "es, en-GB"),
            ("influence", "0", "4"),
        ] {
            field(&mut form, label, bad);
            let e = form.result().unwrap_err();
            assert!(e.starts_with(label), "{label}: {e}");
            field(&mut form, label, good);
        }
        let FormRecord::Person(p, _) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(p.email.as_deref(), Some("ana@clinic.example"));
        assert_eq!(p.languages, ["es", "en-GB"]);

        let a = Account {
            id: 2,
            uid: "a".into(),
            name: "Clínic".into(),
            ..Account::default()
        };
        let mut form = EditForm::new(FormRecord::Account(a, 1));
        for (label, bad, good) in [
            ("country", "Spain", "es"),
            ("currency", "XYZ", "eur"),
            ("our sales", "-5", "5"),
        ] {
            field(&mut form, label, bad);
            let e = form.result().unwrap_err();
            assert!(e.starts_with(label), "{label}: {e}");
            field(&mut form, label, good);
        }
        let FormRecord::Account(a, _) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(
            (a.country.as_deref(), a.currency.as_deref()),
            (Some("ES"), Some("EUR"))
        );
    }

    #[test]
    fn a_value_stored_before_the_rules_does_not_block_the_form() {
        let p = Person {
            id: 1,
            uid: "p".into(),
            name: "Ana".into(),
            email: Some("ana at clinic".into()),
            languages: vec!["Spanish".into()],
            ..Person::default()
        };
        let mut form = EditForm::new(FormRecord::Person(p, 1));
        field(&mut form, "title", "Jefa de Farmacia");
        let FormRecord::Person(p, _) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(p.email.as_deref(), Some("ana at clinic"));
        assert_eq!(p.title.as_deref(), Some("Jefa de Farmacia"));
        let a = Account {
            id: 2,
            uid: "a".into(),
            name: "Clínic".into(),
            country: Some("Spain".into()),
            ..Account::default()
        };
        let mut form = EditForm::new(FormRecord::Account(a, 1));
        field(&mut form, "city", "Barcelona");
        let FormRecord::Account(a, _) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(a.country.as_deref(), Some("Spain"));
    }

    #[test]
    fn an_account_keeps_what_the_form_does_not_show() {
        let a = Account {
            id: 2,
            uid: "a".into(),
            name: "Clínic".into(),
            about: Some("long text".into()),
            ..Account::default()
        };
        let mut form = EditForm::new(FormRecord::Account(a, 1));
        form.focus = 8; // our sales
        typed(&mut form, "1,250,000");
        form.focus = 9;
        typed(&mut form, "euro");
        assert!(form.result().unwrap_err().starts_with("currency"));
        clear(&mut form);
        // Typed in small letters, read as the code (as `kam account edit --currency eur`).
        typed(&mut form, "eur");
        let FormRecord::Account(a, _) = form.result().unwrap() else {
            panic!()
        };
        assert_eq!(a.currency.as_deref(), Some("EUR"));
        assert_eq!(a.our_sales, Some(1_250_000.0));
        assert_eq!(a.about.as_deref(), Some("long text"));
    }
}
