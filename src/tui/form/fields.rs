//! The fields of the edit form: every field an import can set on an account or a person, in
//! the order the form shows them, how each reads as text, how it is checked with the domain's
//! rules as it is typed, and how the text goes back into the record.

use crate::cadence::{MAX_OWN_CADENCE, OWN_CADENCE_KEY, own_cadence};
use crate::domain::{
    Account, AnyStage, Attitude, Birthday, BuyingRole, Ladder, Person, Tier, Vocabulary,
    check_country, check_currency, check_days, check_email, check_influence, check_language,
    check_money, check_name, check_text, code_typed, parse_amount,
};

/// One line (Enter moves on) or several (Enter starts a new line, the text wraps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    Line,
    Lines,
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub label: &'static str,
    pub shape: FieldShape,
    /// What to type, shown dim under an empty focused field.
    pub hint: &'static str,
}

const fn line(label: &'static str, hint: &'static str) -> Spec {
    Spec {
        label,
        shape: FieldShape::Line,
        hint,
    }
}

const fn lines(label: &'static str, hint: &'static str) -> Spec {
    Spec {
        label,
        shape: FieldShape::Lines,
        hint,
    }
}

/// An account's fields. The first eleven keep the order the form always had.
pub const ACCOUNT: &[Spec] = &[
    line("name", "Hospital Clínic de Barcelona"),
    line("tier", "A, B or C"),
    line("kind", "hospital, pharmacy chain, distributor…"),
    line("city", "Barcelona"),
    line("country", "ES"),
    line("territory", "Catalunya"),
    line("phone", "+34 932 27 54 00"),
    line("website", "https://www.clinicbarcelona.org"),
    line("our sales", "1,250,000 (a year)"),
    line("currency", "EUR"),
    line("tags", "kol, tender (comma-separated)"),
    line("stage", "pre-kam, early-kam, mid-kam, partnership-kam…"),
    line("address", "C. de Villarroel, 170, 08036 Barcelona"),
    line("revenue", "their annual revenue: 980,000,000"),
    lines("competitors", "who else sells to them"),
    lines("about", "who they are (Enter: new line)"),
    lines("needs", "what they need from us"),
    lines("plans", "what they plan this year"),
];

/// A person's fields. The first nine keep the order the form always had; the salutation and
/// family name (issue 14.7) come last, so the keys to every other field stay as they were.
pub const PERSON: &[Spec] = &[
    line(
        "name",
        "Carmen Peña Olmedo (without Dra.: the salutation is below)",
    ),
    line("title", "Jefa de Farmacia"),
    line("phone", "+34 600 123 456"),
    line("email", "carmen@hospital.example"),
    line("birthday", "1984-11-27, or --11-27"),
    line("influence", "1 (little) to 5 (decides)"),
    line(
        "attitude",
        "champion, supporter, neutral, skeptic, opponent",
    ),
    line("languages", "es, en-GB (comma-separated)"),
    line("tags", "kol, board (comma-separated)"),
    line("account", "an account's name or #a12; empty: none"),
    line("role", "economic-buyer, user-buyer, coach, gatekeeper…"),
    line("stage", "identified, contacted, acquainted, loyal, close…"),
    line(
        "cadence",
        "days between contacts, e.g. 30; empty: the tier's",
    ),
    lines("personal", "family, interests (Enter: new line)"),
    line("salutation", "Dra., Dr., Prof., Sr., Sra., Mr, Ms…"),
    line(
        "family name",
        "Peña Olmedo (sorts by it); empty: the name's last word",
    ),
];

/// Which record the fields are of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordForm {
    Account,
    Person,
}

impl RecordForm {
    pub fn specs(self) -> &'static [Spec] {
        match self {
            RecordForm::Account => ACCOUNT,
            RecordForm::Person => PERSON,
        }
    }

    fn ladder(self) -> Ladder {
        match self {
            RecordForm::Account => Ladder::Account,
            RecordForm::Person => Ladder::Person,
        }
    }
}

fn text(v: Option<&String>) -> String {
    v.cloned().unwrap_or_default()
}

fn shown<T: Vocabulary>(v: Option<T>) -> String {
    v.map(|v| v.as_str().to_string()).unwrap_or_default()
}

fn opt(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A long text as typed: only the blank lines around it go (its own lines stay as they are).
fn long(v: &str) -> Option<String> {
    let t = v.trim_matches(|c| c == '\n' || c == '\r' || c == ' ');
    (!t.trim().is_empty()).then(|| v.trim_end().trim_start_matches(['\n', '\r']).to_string())
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn money(label: &str, v: &str) -> Result<f64, String> {
    parse_amount(label, &v.replace([',', '_'], ""))
        .and_then(|n| check_money(label, n).map(|()| n))
        .map_err(|e| e.problem)
}

/// Checks one field's text with the domain's rules; `None` when it is fine.
pub fn check(kind: RecordForm, label: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let result = match label {
        "name" => check_name("name", value).map_err(|e| e.problem),
        "salutation" if !v.is_empty() => {
            crate::domain::person_name::check_salutation("salutation", v).map_err(|e| e.problem)
        }
        "family name" if !v.is_empty() => check_name("family name", v).map_err(|e| e.problem),
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
        "our sales" | "revenue" if !v.is_empty() => money(label, v).map(|_| ()),
        "birthday" if !v.is_empty() => v
            .parse::<Birthday>()
            .map(|_| ())
            .map_err(|_| "1984-11-27, or --11-27 without the year".to_string()),
        "influence" if !v.is_empty() => match v.parse::<i64>() {
            Ok(n) => check_influence("influence", n).map_err(|e| e.problem),
            Err(_) => Err("1 (little) to 5 (decides)".to_string()),
        },
        "attitude" if !v.is_empty() => v.parse::<Attitude>().map(|_| ()).map_err(|e| e.allowed),
        "role" if !v.is_empty() => v.parse::<BuyingRole>().map(|_| ()).map_err(|e| e.allowed),
        // A stage is moved (and the move recorded), never emptied.
        "stage" => AnyStage::parse(kind.ladder(), v)
            .map(|_| ())
            .map_err(|e| e.allowed),
        "cadence" if !v.is_empty() => match v.parse::<i64>() {
            Ok(n) => check_days("cadence", n, MAX_OWN_CADENCE).map_err(|e| e.problem),
            Err(_) => Err(format!(
                "days between contacts, 1 to {MAX_OWN_CADENCE}, e.g. 30"
            )),
        },
        "email" if !v.is_empty() => check_email("email", v).map_err(|e| e.problem),
        "languages" => list(v)
            .iter()
            .try_for_each(|l| check_language("languages", l))
            .map_err(|e| e.problem),
        _ => check_text(label, value).map_err(|e| e.problem),
    };
    result.err()
}

/// The form's text of each field of an account, in [`ACCOUNT`] order.
pub fn account_values(a: &Account) -> Vec<String> {
    vec![
        a.name.clone(),
        shown(a.tier),
        text(a.kind.as_ref()),
        text(a.city.as_ref()),
        text(a.country.as_ref()),
        text(a.territory.as_ref()),
        text(a.phone.as_ref()),
        text(a.website.as_ref()),
        a.our_sales.map(|v| v.to_string()).unwrap_or_default(),
        text(a.currency.as_ref()),
        a.tags.join(", "),
        shown(a.stage),
        text(a.address.as_ref()),
        a.revenue.map(|v| v.to_string()).unwrap_or_default(),
        text(a.competitors.as_ref()),
        text(a.about.as_ref()),
        text(a.needs.as_ref()),
        text(a.plans.as_ref()),
    ]
}

/// The form's text of each field of a person, in [`PERSON`] order (`account`: its name).
pub fn person_values(p: &Person, account: Option<&str>) -> Vec<String> {
    vec![
        p.name.clone(),
        text(p.title.as_ref()),
        text(p.phone.as_ref()),
        text(p.email.as_ref()),
        p.birthday.map(|b| b.to_string()).unwrap_or_default(),
        p.influence.map(|i| i.to_string()).unwrap_or_default(),
        shown(p.attitude),
        p.languages.join(", "),
        p.tags.join(", "),
        account.unwrap_or_default().to_string(),
        shown(p.role),
        shown(p.stage),
        own_cadence(&p.extra)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        text(p.personal.as_ref()),
        text(p.salutation.as_ref()),
        text(p.family_name.as_ref()),
    ]
}

/// Sets an account's field from its checked text. The stage is not set here: it moves through
/// the command, which records the move.
pub fn set_account(a: &mut Account, label: &str, v: &str) {
    match label {
        "name" => a.name = v.trim().to_string(),
        "tier" => a.tier = v.trim().parse().ok(),
        "kind" => a.kind = opt(v),
        "city" => a.city = opt(v),
        "territory" => a.territory = opt(v),
        "phone" => a.phone = opt(v),
        "website" => a.website = opt(v),
        "address" => a.address = opt(v),
        // Codes as typed in capitals (`eur` → `EUR`).
        "country" => a.country = opt(v).map(|c| code_typed(&c)),
        "currency" => a.currency = opt(v).map(|c| code_typed(&c)),
        "our sales" => a.our_sales = opt(v).and_then(|v| money(label, &v).ok()),
        "revenue" => a.revenue = opt(v).and_then(|v| money(label, &v).ok()),
        "tags" => a.tags = list(v),
        "competitors" => a.competitors = long(v),
        "about" => a.about = long(v),
        "needs" => a.needs = long(v),
        "plans" => a.plans = long(v),
        _ => {}
    }
}

/// Sets a person's field from its checked text (the account is resolved by the form, the
/// stage moved by the command).
pub fn set_person(p: &mut Person, label: &str, v: &str) {
    match label {
        "name" => p.name = v.trim().to_string(),
        "title" => p.title = opt(v),
        "phone" => p.phone = opt(v),
        "email" => p.email = opt(v),
        "birthday" => p.birthday = v.trim().parse().ok(),
        "influence" => p.influence = v.trim().parse().ok(),
        "attitude" => p.attitude = v.trim().parse().ok(),
        "role" => p.role = v.trim().parse().ok(),
        "languages" => p.languages = list(v),
        "tags" => p.tags = list(v),
        "cadence" => match v.trim().parse::<u32>() {
            Ok(days) => {
                p.extra.insert(OWN_CADENCE_KEY.into(), days.into());
            }
            Err(_) => {
                p.extra.remove(OWN_CADENCE_KEY);
            }
        },
        "personal" => p.personal = long(v),
        "salutation" => p.salutation = opt(v),
        "family name" => p.family_name = opt(v),
        _ => {}
    }
}

/// The stage typed, when it reads as one of the ladder's.
pub fn stage(kind: RecordForm, v: &str) -> Option<AnyStage> {
    AnyStage::parse(kind.ladder(), v.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_back_what_it_wrote() {
        let mut a = Account::default();
        for (spec, value) in ACCOUNT.iter().zip([
            "Clínic",
            "A",
            "hospital",
            "Barcelona",
            "ES",
            "Catalunya",
            "+34 1",
            "https://c.example",
            "1250000",
            "EUR",
            "kol, tender",
            "mid-kam",
            "Villarroel 170",
            "980000000",
            "Sandoz\nTeva",
            "line one\nline two",
            "needs",
            "plans",
        ]) {
            assert_eq!(
                check(RecordForm::Account, spec.label, value),
                None,
                "{value}"
            );
            set_account(&mut a, spec.label, value);
        }
        let back = account_values(&a);
        // The stage moves through the command, not the record.
        assert_eq!(back[11], "");
        assert_eq!(back[13], "980000000");
        assert_eq!(back[15], "line one\nline two");
        assert_eq!(a.tags, ["kol", "tender"]);

        let mut p = Person::default();
        set_person(&mut p, "cadence", "21");
        set_person(&mut p, "role", "economic-buyer");
        set_person(&mut p, "personal", "\nhija Lucía\n  pádel  \n\n");
        set_person(&mut p, "salutation", " Dra. ");
        set_person(&mut p, "family name", "Peña Olmedo");
        let back = person_values(&p, Some("Clínic"));
        assert_eq!(back[9], "Clínic");
        assert_eq!(back[10], "economic-buyer");
        assert_eq!(back[12], "21");
        assert_eq!(back[13], "hija Lucía\n  pádel");
        assert_eq!(back[14], "Dra.");
        assert_eq!(back[15], "Peña Olmedo");
        set_person(&mut p, "salutation", "");
        assert_eq!(p.salutation, None);
        set_person(&mut p, "cadence", "");
        assert_eq!(own_cadence(&p.extra), None);
    }

    #[test]
    fn new_fields_are_checked_with_the_domain_rules() {
        assert!(check(RecordForm::Account, "revenue", "-5").is_some());
        assert!(check(RecordForm::Account, "stage", "friendly").is_some());
        assert!(check(RecordForm::Account, "stage", "").is_some());
        assert!(check(RecordForm::Person, "role", "boss").is_some());
        assert!(check(RecordForm::Person, "cadence", "0").is_some());
        assert!(check(RecordForm::Person, "cadence", "soon").is_some());
        assert_eq!(check(RecordForm::Person, "cadence", "30"), None);
        assert!(check(RecordForm::Person, "salutation", &"Dr. ".repeat(20)).is_some());
        assert_eq!(check(RecordForm::Person, "salutation", "Prof. Dr."), None);
        assert_eq!(check(RecordForm::Person, "salutation", ""), None);
    }
}
