//! The edit form of a dossier (`e`): the short fields of an account or a person, each checked
//! as it is typed (the error shows under the field), saved with `Ctrl-S` only when all are
//! valid. `Esc` on a changed form asks before throwing the changes away.
//!
//! Only the fields the user changed are written: the others keep the record's values as they
//! are in the notebook. After a conflict the form stands on the record as the other writer left
//! it (their values fill the fields the user did not touch; where both changed a field, theirs
//! shows under it), so saving anyway never reverts what the user never touched.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::popup::centered;
use super::theme::Theme;
use crate::domain::{
    Account, Attitude, Birthday, Person, Tier, Vocabulary, check_country, check_currency,
    check_email, check_influence, check_language, check_money, check_name, code_typed,
    parse_amount,
};
use crate::text::{fit, sanitize_line};

/// What the form edits, with the version read when it was opened.
#[derive(Debug, Clone, PartialEq)]
pub enum FormRecord {
    Account(Account, i64),
    Person(Person, i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Input {
    label: &'static str,
    value: String,
    /// The value the form was opened with (or rebased on): the field is changed when `value`
    /// differs from it. A value
    /// the record held is not checked again, so a record stored before a rule existed can still
    /// be edited in its other fields.
    opened: String,
    error: Option<String>,
    /// After a conflict, the other writer's value of a field the user changed too.
    theirs: Option<String>,
}

/// An open edit form.
#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    record: FormRecord,
    inputs: Vec<Input>,
    focus: usize,
    dirty: bool,
    /// `Esc` was pressed on a changed form: waiting for y/n.
    pub confirming: bool,
}

const ACCOUNT_FIELDS: &[&str] = &[
    "name",
    "tier",
    "kind",
    "city",
    "country",
    "territory",
    "phone",
    "website",
    "our sales",
    "currency",
    "tags",
];
const PERSON_FIELDS: &[&str] = &[
    "name",
    "title",
    "phone",
    "email",
    "birthday",
    "influence",
    "attitude",
    "languages",
    "tags",
];

fn text(v: Option<&String>) -> String {
    v.cloned().unwrap_or_default()
}

fn opt(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks one field's text with the domain's rules; `None` when it is fine.
fn check(label: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let result = match label {
        "name" => check_name("name", value).map_err(|e| e.problem),
        "tier" if !v.is_empty() => v
            .parse::<Tier>()
            .map(|_| ())
            .map_err(|_| "A, B or C".to_string()),
        "currency" if !v.is_empty() => {
            check_currency("currency", &code_typed(v)).map_err(|e| e.problem)
        }
        "country" if !v.is_empty() => {
            check_country("country", &code_typed(v)).map_err(|e| e.problem)
        }
        "our sales" if !v.is_empty() => parse_amount("our sales", &v.replace([',', '_'], ""))
            .and_then(|n| check_money("our sales", n))
            .map_err(|e| e.problem),
        "birthday" if !v.is_empty() => v
            .parse::<Birthday>()
            .map(|_| ())
            .map_err(|_| "1984-11-27, or --11-27 without the year".to_string()),
        "influence" if !v.is_empty() => match v.parse::<i64>() {
            Ok(n) => check_influence("influence", n).map_err(|e| e.problem),
            Err(_) => Err("1 (little) to 5 (decides)".to_string()),
        },
        "attitude" if !v.is_empty() => v.parse::<Attitude>().map(|_| ()).map_err(|e| e.allowed),
        "email" if !v.is_empty() => check_email("email", v).map_err(|e| e.problem),
        "languages" => list(v)
            .iter()
            .try_for_each(|l| check_language("languages", l))
            .map_err(|e| e.problem),
        _ => Ok(()),
    };
    result.err()
}

/// The form's text of each field of `record`.
fn field_values(record: &FormRecord) -> Vec<(&'static str, String)> {
    match record {
        FormRecord::Account(a, _) => {
            let vals = [
                a.name.clone(),
                a.tier.map(|t| t.as_str().to_string()).unwrap_or_default(),
                text(a.kind.as_ref()),
                text(a.city.as_ref()),
                text(a.country.as_ref()),
                text(a.territory.as_ref()),
                text(a.phone.as_ref()),
                text(a.website.as_ref()),
                a.our_sales.map(|v| v.to_string()).unwrap_or_default(),
                text(a.currency.as_ref()),
                a.tags.join(", "),
            ];
            ACCOUNT_FIELDS.iter().copied().zip(vals).collect()
        }
        FormRecord::Person(p, _) => {
            let vals = [
                p.name.clone(),
                text(p.title.as_ref()),
                text(p.phone.as_ref()),
                text(p.email.as_ref()),
                p.birthday.map(|b| b.to_string()).unwrap_or_default(),
                p.influence.map(|i| i.to_string()).unwrap_or_default(),
                p.attitude
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
                p.languages.join(", "),
                p.tags.join(", "),
            ];
            PERSON_FIELDS.iter().copied().zip(vals).collect()
        }
    }
}

impl EditForm {
    pub fn new(record: FormRecord) -> Self {
        let inputs = field_values(&record)
            .into_iter()
            .map(|(label, value)| Input {
                error: None,
                label,
                opened: value.clone(),
                value,
                theirs: None,
            })
            .collect();
        EditForm {
            record,
            inputs,
            focus: 0,
            dirty: false,
            confirming: false,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.inputs.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.inputs.len() - 1) % self.inputs.len();
    }

    /// Types into the focused field (Enter and ↓ move on, ↑ back).
    pub fn key(&mut self, key: &KeyEvent) {
        let input = &mut self.inputs[self.focus];
        match key.code {
            KeyCode::Enter | KeyCode::Down => self.next(),
            KeyCode::Up => self.prev(),
            KeyCode::Backspace => {
                input.value.pop();
                self.dirty = true;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.value.push(c);
                self.dirty = true;
            }
            _ => {}
        }
        let input = &mut self.inputs[self.focus];
        input.error = if input.value == input.opened {
            None
        } else {
            check(input.label, &input.value)
        };
    }

    fn value(&self, label: &str) -> &str {
        self.inputs
            .iter()
            .find(|i| i.label == label)
            .map_or("", |i| i.value.as_str())
    }

    /// The user changed this field since the form was opened (or rebased).
    fn changed(&self, label: &str) -> bool {
        self.inputs
            .iter()
            .find(|i| i.label == label)
            .is_some_and(|i| i.value != i.opened)
    }

    /// The fields the user changed where the other writer's value differs: (label, theirs).
    pub fn clashes(&self) -> Vec<(&'static str, &str)> {
        self.inputs
            .iter()
            .filter_map(|i| i.theirs.as_deref().map(|t| (i.label, t)))
            .collect()
    }

    /// The edited record and the version it was read at, or the first field in error (which
    /// then gets the focus).
    pub fn result(&mut self) -> Result<FormRecord, String> {
        if let Some((i, input)) = self
            .inputs
            .iter()
            .enumerate()
            .find(|(_, i)| i.error.is_some())
        {
            let message = format!(
                "{}: {}",
                input.label,
                input.error.clone().unwrap_or_default()
            );
            self.focus = i;
            return Err(message);
        }
        // Only what the user changed: every other field keeps the record's value.
        let ch = |label| self.changed(label);
        Ok(match &self.record {
            FormRecord::Account(a, version) => {
                let mut a = a.clone();
                if ch("name") {
                    a.name = self.value("name").trim().to_string();
                }
                if ch("tier") {
                    a.tier = self.value("tier").trim().parse().ok();
                }
                for (label, field) in [
                    ("kind", &mut a.kind),
                    ("city", &mut a.city),
                    ("territory", &mut a.territory),
                    ("phone", &mut a.phone),
                    ("website", &mut a.website),
                ] {
                    if ch(label) {
                        *field = opt(self.value(label));
                    }
                }
                // Codes as typed in capitals (`eur` → `EUR`).
                if ch("country") {
                    a.country = opt(self.value("country")).map(|v| code_typed(&v));
                }
                if ch("currency") {
                    a.currency = opt(self.value("currency")).map(|v| code_typed(&v));
                }
                if ch("our sales") {
                    a.our_sales = parse_amount(
                        "our sales",
                        &self.value("our sales").replace([',', '_'], ""),
                    )
                    .ok();
                }
                if ch("tags") {
                    a.tags = list(self.value("tags"));
                }
                FormRecord::Account(a, *version)
            }
            FormRecord::Person(p, version) => {
                let mut p = p.clone();
                if ch("name") {
                    p.name = self.value("name").trim().to_string();
                }
                for (label, field) in [
                    ("title", &mut p.title),
                    ("phone", &mut p.phone),
                    ("email", &mut p.email),
                ] {
                    if ch(label) {
                        *field = opt(self.value(label));
                    }
                }
                if ch("birthday") {
                    p.birthday = self.value("birthday").trim().parse().ok();
                }
                if ch("influence") {
                    p.influence = self.value("influence").trim().parse().ok();
                }
                if ch("attitude") {
                    p.attitude = self.value("attitude").trim().parse().ok();
                }
                if ch("languages") {
                    p.languages = list(self.value("languages"));
                }
                if ch("tags") {
                    p.tags = list(self.value("tags"));
                }
                FormRecord::Person(p, *version)
            }
        })
    }

    /// After a conflict: the record as it is now. The fields the user did not change take the
    /// other writer's values; the ones they changed keep what was typed (theirs shown under it
    /// where it differs), so a second `Ctrl-S` saves exactly the user's changes, knowingly.
    pub fn rebase(&mut self, record: FormRecord) {
        for (input, (_, now)) in self.inputs.iter_mut().zip(field_values(&record)) {
            if input.value == input.opened {
                input.value.clone_from(&now);
                input.theirs = None;
            } else {
                input.theirs = (now != input.opened && now != input.value).then(|| now.clone());
            }
            input.opened = now;
            input.error = check(input.label, &input.value);
        }
        self.record = record;
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        // The question goes in the title too: it stays visible however short the terminal.
        let title = match (&self.record, self.confirming) {
            (_, true) => " Discard your changes? y/n ".to_string(),
            (FormRecord::Account(a, _), false) => format!(" Edit {} ", sanitize_line(&a.name)),
            (FormRecord::Person(p, _), false) => format!(" Edit {} ", sanitize_line(&p.name)),
        };
        let width = area.width.min(76);
        let value_width = usize::from(width.saturating_sub(17));
        let mut lines = Vec::new();
        for (i, input) in self.inputs.iter().enumerate() {
            let focused = i == self.focus;
            let mut value = fit(&sanitize_line(&input.value), value_width.saturating_sub(1));
            if focused {
                // The cursor sits after the text.
                let shown = crate::text::truncate(
                    &sanitize_line(&input.value),
                    value_width.saturating_sub(1),
                )
                .into_owned();
                value = fit(&format!("{shown}█"), value_width);
            }
            let style = if focused {
                theme.selected()
            } else {
                theme.text()
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<12} ", input.label), theme.dim()),
                Span::styled(value, style),
            ]));
            if let Some(t) = &input.theirs {
                let shown = if t.is_empty() { "(empty)" } else { t };
                lines.push(Line::from(Span::styled(
                    fit(
                        &format!("{:14}theirs: {}", "", sanitize_line(shown)),
                        usize::from(width.saturating_sub(2)),
                    ),
                    theme.alert(),
                )));
            }
            if let Some(e) = &input.error {
                lines.push(Line::from(Span::styled(
                    format!("{:14}{}", "", sanitize_line(e)),
                    theme.alert(),
                )));
            }
        }
        lines.push(Line::default());
        if self.confirming {
            lines.push(Line::from(Span::styled(
                " Discard your changes? y: discard · n: keep editing",
                theme.alert(),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                " Tab/↓ next · Ctrl-S save · Esc cancel",
                theme.dim(),
            )));
        }
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, width, height);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .block(Block::bordered().title(title))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    /// 11.12: the form's money field is checked as typed: a value an f64 would round is refused
    /// in the user's words.
    #[test]
    fn the_money_field_is_checked_as_typed() {
        let said = super::check("our sales", "1.00000000000000001").expect("refused");
        assert!(
            said.contains("1.00000000000000001 has more than 4 decimals"),
            "{said}"
        );
        let said = super::check("our sales", "12345678901234.565").expect("refused");
        assert!(
            said.starts_with("12345678901234.565 has more digits"),
            "{said}"
        );
        assert_eq!(super::check("our sales", "1,250,000.50"), None);
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
        assert!(!form.is_dirty());
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
        assert!(form.is_dirty());
    }

    fn field(form: &mut EditForm, label: &str, text: &str) {
        form.focus = form.inputs.iter().position(|i| i.label == label).unwrap();
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
