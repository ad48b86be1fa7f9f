//! Reading vCard text into [`Card`]s: unfolded, decoded (quoted-printable, CHARSET, Latin-1
//! fallback), one card per BEGIN/END pair. Structural faults are errors naming the line;
//! a value that cannot be used (a birthday that is not a date) is left out with a note.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::Birthday;
use crate::domain::person_name::split_salutation;
use crate::interop::contentline::{
    self, ContentLine, decode_charset, decode_quoted_printable, split_escaped, unescape,
};
use crate::interop::{ImportError, line_error};

/// One contact as read, with only the properties kamnote keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    /// The line of its BEGIN:VCARD.
    pub line: u64,
    pub uid: Option<String>,
    /// FN without its salutation (or N's names when there is no FN).
    pub name: String,
    /// N's honorific prefix ("Dra."), else a salutation FN starts with
    /// ([`crate::domain::person_name::split_salutation`]).
    pub salutation: Option<String>,
    /// N's family part ("Peña Olmedo"), when written.
    pub family: Option<String>,
    pub org: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<Birthday>,
    pub note: Option<String>,
    pub categories: Vec<String>,
    /// `KIND` lower-cased (`org`, also from `X-ABSHOWAS:COMPANY`; `group`, `location`), if
    /// written: an `org` card is an account, a group or location card is no one.
    pub kind: Option<String>,
    /// Properties read but not kept, with how many (`"ADR"`, `"TEL (more)"`).
    pub dropped: BTreeMap<String, u64>,
    /// One line per value left out, naming the line.
    pub notes: Vec<String>,
}

/// Properties that carry nothing to keep and are not worth a report line.
const QUIET: &[&str] = &[
    "VERSION",
    "PRODID",
    "REV",
    "SOURCE",
    "CLIENTPIDMAP",
    "X-ABUID",
    "X-ABLABEL",
    "X-ANDROID-CUSTOM",
    "SORT-STRING",
    "X-PHONETIC-FIRST-NAME",
    "X-PHONETIC-LAST-NAME",
    "LABEL",
];

/// The cards in `text`. A file without any card is an error.
pub fn parse(text: &str) -> Result<Vec<Card>, ImportError> {
    let mut cards = Vec::new();
    let mut current: Option<Builder> = None;
    let mut last_line = 1;
    for (line, raw) in contentline::unfold(text) {
        last_line = line;
        if raw.trim().is_empty() {
            continue;
        }
        let Some(cl) = contentline::parse(line, &raw) else {
            if current.is_some() {
                return Err(line_error(
                    line,
                    None,
                    "is not a vCard property (NAME:value); is the file cut or damaged?",
                ));
            }
            continue;
        };
        match (cl.name.as_str(), &mut current) {
            ("BEGIN", None) if cl.value.trim().eq_ignore_ascii_case("VCARD") => {
                current = Some(Builder::new(line));
            }
            ("BEGIN", Some(b)) if cl.value.trim().eq_ignore_ascii_case("VCARD") => {
                return Err(line_error(
                    line,
                    None,
                    format!(
                        "BEGIN:VCARD inside the card begun on line {}; an END:VCARD is missing",
                        b.card.line
                    ),
                ));
            }
            ("END", Some(_)) if cl.value.trim().eq_ignore_ascii_case("VCARD") => {
                if let Some(b) = current.take() {
                    cards.push(b.finish()?);
                }
            }
            ("END", None) => {
                return Err(line_error(line, None, "END:VCARD without a BEGIN:VCARD"));
            }
            (_, Some(b)) => b.property(&cl),
            (_, None) => {}
        }
    }
    if let Some(b) = current {
        return Err(line_error(
            last_line,
            None,
            format!(
                "the card begun on line {} has no END:VCARD; is the file cut?",
                b.card.line
            ),
        ));
    }
    if cards.is_empty() {
        return Err(line_error(
            1,
            None,
            "no BEGIN:VCARD found; is this a vCard (.vcf) file?",
        ));
    }
    Ok(cards)
}

struct Builder {
    card: Card,
    /// N's names, used when FN is missing.
    n: Option<String>,
    /// Whether an N was read (the first one counts).
    n_read: bool,
    phone_rank: Option<u32>,
    email_rank: Option<u32>,
}

/// How preferred a TEL or EMAIL is: lower wins (4.0 `PREF=1`, 3.0 `TYPE=pref`, else 100).
fn rank(cl: &ContentLine) -> u32 {
    if let Some(p) = cl.param("PREF").and_then(|p| p.trim().parse::<u32>().ok()) {
        return p;
    }
    if cl.has_type("PREF") { 1 } else { 100 }
}

impl Builder {
    fn new(line: u64) -> Self {
        Builder {
            card: Card {
                line,
                ..Card::default()
            },
            n: None,
            n_read: false,
            phone_rank: None,
            email_rank: None,
        }
    }

    fn drop(&mut self, what: &str) {
        *self.card.dropped.entry(what.to_string()).or_default() += 1;
    }

    /// The value as text: quoted-printable and CHARSET decoded, escapes kept.
    fn raw(cl: &ContentLine) -> String {
        let qp = cl
            .param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
        if qp {
            decode_charset(&decode_quoted_printable(&cl.value), cl.param("CHARSET"))
        } else {
            // Not encoded: the file was decoded as a whole already (UTF-8, else Latin-1).
            cl.value.clone()
        }
    }

    fn text(cl: &ContentLine) -> Option<String> {
        let v = unescape(&Self::raw(cl))
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    #[allow(clippy::too_many_lines)] // one arm per property kamnote keeps
    fn property(&mut self, cl: &ContentLine) {
        // A single-value property written twice keeps its first value.
        match cl.name.as_str() {
            "FN" => {
                if let (true, Some(v)) = (self.card.name.is_empty(), Self::text(cl)) {
                    self.card.name = v;
                }
            }
            "N" => {
                if !self.n_read {
                    self.n_read = true;
                    let raw = Self::raw(cl);
                    self.n = name_of_n(&raw);
                    let parts = n_parts(&raw);
                    let part = |i: usize| parts.get(i).filter(|p| !p.is_empty()).cloned();
                    self.card.family = part(0);
                    self.card.salutation = part(3);
                }
            }
            "KIND" | "X-ABSHOWAS" if self.card.kind.is_none() => {
                let v = cl.value.trim().to_ascii_lowercase();
                self.card.kind = match v.as_str() {
                    "company" => Some("org".into()),
                    "person" | "" => None,
                    _ => Some(v),
                };
            }
            "KIND" | "X-ABSHOWAS" => {}
            "UID" if self.card.uid.is_some() => {}
            "ORG" if self.card.org.is_some() => {}
            "TITLE" if self.card.title.is_some() => {}
            "BDAY" if self.card.birthday.is_some() => {}
            "UID" => {
                if let Some(v) = Self::text(cl) {
                    let v = v
                        .strip_prefix("urn:uuid:")
                        .or_else(|| v.strip_prefix("URN:UUID:"))
                        .unwrap_or(&v)
                        .to_string();
                    self.card.uid = Some(v);
                }
            }
            "ORG" => {
                let raw = Self::raw(cl);
                let parts = split_escaped(&raw, ';');
                let org = unescape(parts[0]).trim().to_string();
                if parts.len() > 1 && parts[1..].iter().any(|p| !p.trim().is_empty()) {
                    self.drop("ORG unit");
                }
                if !org.is_empty() {
                    self.card.org = Some(org);
                }
            }
            "TITLE" => self.card.title = Self::text(cl),
            "NOTE" => {
                if let Some(v) = Self::text(cl) {
                    self.card.note = Some(match self.card.note.take() {
                        Some(before) => format!("{before}\n{v}"),
                        None => v,
                    });
                }
            }
            "TEL" => {
                if let Some(v) = Self::text(cl) {
                    let v = v.strip_prefix("tel:").unwrap_or(&v).to_string();
                    let r = rank(cl);
                    if self.phone_rank.is_none_or(|best| r < best) {
                        if self.phone_rank.is_some() {
                            self.drop("TEL (more)");
                        }
                        self.card.phone = Some(v);
                        self.phone_rank = Some(r);
                    } else {
                        self.drop("TEL (more)");
                    }
                }
            }
            "EMAIL" => {
                if let Some(v) = Self::text(cl) {
                    let v = v.strip_prefix("mailto:").unwrap_or(&v).to_string();
                    let r = rank(cl);
                    if self.email_rank.is_none_or(|best| r < best) {
                        if self.email_rank.is_some() {
                            self.drop("EMAIL (more)");
                        }
                        self.card.email = Some(v);
                        self.email_rank = Some(r);
                    } else {
                        self.drop("EMAIL (more)");
                    }
                }
            }
            "BDAY" => {
                let Some(v) = Self::text(cl) else { return };
                match birthday(&v, cl.param("X-APPLE-OMIT-YEAR").is_some()) {
                    Some(b) => self.card.birthday = Some(b),
                    None => self.card.notes.push(format!(
                        "line {}: BDAY \"{}\" is not a date; the birthday was left out",
                        cl.line,
                        crate::text::sanitize_line(&v.chars().take(40).collect::<String>())
                    )),
                }
            }
            "CATEGORIES" => {
                let raw = Self::raw(cl);
                for c in split_escaped(&raw, ',') {
                    let c = unescape(c).trim().to_string();
                    if !c.is_empty() && !self.card.categories.contains(&c) {
                        self.card.categories.push(c);
                    }
                }
            }
            name if QUIET.contains(&name) => {}
            name if name.starts_with("X-") => self.drop("X- properties"),
            name => self.drop(name),
        }
    }

    fn finish(mut self) -> Result<Card, ImportError> {
        // FN is the name as shown, salutation included ("Dra. Carmen Peña"): the name is kept
        // without it. N's prefix is the salutation; without one, a salutation FN starts with.
        // A company card's name is the company's ("Dr. Oetker").
        let person = !matches!(
            self.card.kind.as_deref(),
            Some("org" | "organization" | "group" | "location")
        );
        match &self.card.salutation {
            _ if !person => {}
            Some(prefix) => {
                if let Some(rest) = self
                    .card
                    .name
                    .strip_prefix(prefix.as_str())
                    .and_then(|r| r.strip_prefix(' '))
                    .map(|r| r.trim_start_matches(' '))
                    .filter(|r| !r.is_empty())
                {
                    self.card.name = rest.to_string();
                }
            }
            None => {
                if let (Some(s), rest) = split_salutation(&self.card.name) {
                    self.card.salutation = Some(s);
                    self.card.name = rest;
                }
            }
        }
        if self.card.name.is_empty() {
            if let Some(n) = self.n.take() {
                self.card.name = n;
            } else if let Some(org) = &self.card.org {
                // A company card: the organisation is the only name it has.
                self.card.name.clone_from(org);
            } else if let Some(e) = &self.card.email {
                self.card.name.clone_from(e);
            } else {
                return Err(line_error(
                    self.card.line,
                    Some("FN"),
                    "the card has no name (no FN, N, ORG or EMAIL); give it one or remove it",
                ));
            }
        }
        Ok(self.card)
    }
}

/// Whether `s` is written in a script that puts the family name first without a space
/// (Chinese, Japanese, Korean).
fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(u32::from(c),
            0x3040..=0x30ff // hiragana, katakana
            | 0x3400..=0x4dbf // CJK extension A
            | 0x4e00..=0x9fff // CJK unified ideographs
            | 0xac00..=0xd7af // hangul syllables
            | 0x1100..=0x11ff // hangul jamo
            | 0xf900..=0xfaff // CJK compatibility ideographs
            | 0x20000..=0x2ffff) // CJK extensions B–F
    })
}

/// The name `N` (family; given; additional; prefix; suffix) spells: given, additional and
/// family names in that order (`N:Peña Olmedo;Carmen;;Dra.;` → "Carmen Peña Olmedo", every
/// surname kept); in Chinese, Japanese or Korean the family name first, without a space
/// (`N:王;小明;;;` → "王小明"). Honorifics (prefix, suffix) are not part of the name.
pub fn name_of_n(raw: &str) -> Option<String> {
    let parts = n_parts(raw);
    let get = |i: usize| parts.get(i).map_or("", String::as_str);
    let (family, given, additional) = (get(0), get(1), get(2));
    let name = if is_cjk(family) || is_cjk(given) {
        [family, given, additional].concat()
    } else {
        [given, additional, family]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (!name.is_empty()).then_some(name)
}

/// N's five parts (family; given; additional; prefix; suffix) unescaped and trimmed, the
/// values of a part joined by spaces ("Peña,Olmedo" → "Peña Olmedo").
fn n_parts(raw: &str) -> Vec<String> {
    split_escaped(raw, ';')
        .into_iter()
        .map(|p| {
            unescape(p)
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// A BDAY value: `1984-11-27`, `19841127`, `--11-27`, `--1127`, with a time after `T` ignored;
/// year 1604 (Apple's "no year") or `omit_year` gives a birthday without a year.
pub fn birthday(value: &str, omit_year: bool) -> Option<Birthday> {
    let date = value.split('T').next().unwrap_or(value).trim();
    let (year, md) = if let Some(md) = date.strip_prefix("--") {
        (None, md.replace('-', ""))
    } else {
        let digits = date.replace('-', "");
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (y, md) = digits.split_at(4);
        (y.parse::<i32>().ok(), md.to_string())
    };
    if md.len() != 4 || !md.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month: u32 = md[..2].parse().ok()?;
    let day: u32 = md[2..].parse().ok()?;
    NaiveDate::from_ymd_opt(2000, month, day)?;
    let year = year.filter(|&y| !omit_year && y != 1604);
    if let Some(y) = year {
        NaiveDate::from_ymd_opt(y, month, day)?;
    }
    Some(Birthday { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_in_every_spelling() {
        let b = |y, m, d| {
            Some(Birthday {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(birthday("1984-11-27", false), b(Some(1984), 11, 27));
        assert_eq!(birthday("19841127", false), b(Some(1984), 11, 27));
        assert_eq!(
            birthday("1984-11-27T00:00:00Z", false),
            b(Some(1984), 11, 27)
        );
        assert_eq!(birthday("--11-27", false), b(None, 11, 27));
        assert_eq!(birthday("--1127", false), b(None, 11, 27));
        assert_eq!(birthday("1604-11-27", true), b(None, 11, 27));
        assert_eq!(birthday("1604-11-27", false), b(None, 11, 27));
        assert_eq!(birthday("2001-11-27", true), b(None, 11, 27));
        assert_eq!(birthday("--02-29", false), b(None, 2, 29));
        assert_eq!(birthday("1983-02-29", false), None);
        assert_eq!(birthday("circa 1800", false), None);
        assert_eq!(birthday("--13-01", false), None);
    }

    const ANDROID_21: &str = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Pe=C3=B1a;Mar=C3=ADa;;Dra.;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dra. Mar=C3=ADa Pe=C3=B1a\r\nTEL;CELL;PREF:+34 600 111 222\r\nTEL;WORK:+34 93 000 00 00\r\nEMAIL;HOME:maria@example.com\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Hija en la universidad de =\r\nSalamanca=0D=0AJefa de farmacia\r\nEND:VCARD\r\n";

    #[test]
    fn a_2_1_card_with_quoted_printable_and_bare_types() {
        let cards = parse(ANDROID_21).expect("parses");
        let c = &cards[0];
        assert_eq!(c.name, "María Peña");
        assert_eq!(c.salutation.as_deref(), Some("Dra."));
        assert_eq!(c.family.as_deref(), Some("Peña"));
        assert_eq!(c.phone.as_deref(), Some("+34 600 111 222"));
        assert_eq!(c.email.as_deref(), Some("maria@example.com"));
        assert_eq!(
            c.note.as_deref(),
            Some("Hija en la universidad de Salamanca\nJefa de farmacia")
        );
        assert_eq!(c.dropped.get("TEL (more)"), Some(&1));
        assert_eq!(c.uid, None);
    }

    #[test]
    fn a_4_0_card_prefers_pref_1_and_reads_uris() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:abc-1\nFN:Li Wei\nTEL;VALUE=uri;PREF=2:tel:+86-1\nTEL;VALUE=uri;PREF=1:tel:+86-2\nEMAIL:li@example.cn\nBDAY:--0412\nORG:Beijing Union;Pharmacy\nCATEGORIES:kol,vip\nADR:;;Street;;;;\nEND:VCARD\n";
        let c = &parse(text).expect("parses")[0];
        assert_eq!(c.uid.as_deref(), Some("abc-1"));
        assert_eq!(c.phone.as_deref(), Some("+86-2"));
        assert_eq!(
            c.birthday.map(|b| b.to_string()).as_deref(),
            Some("--04-12")
        );
        assert_eq!(c.org.as_deref(), Some("Beijing Union"));
        assert_eq!(c.categories, vec!["kol", "vip"]);
        assert_eq!(c.dropped.get("ADR"), Some(&1));
        assert_eq!(c.dropped.get("ORG unit"), Some(&1));
    }

    #[test]
    fn n_is_the_name_when_fn_is_missing_and_a_bad_bday_is_a_note() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nN:Núñez;Carmen;;;\nBDAY:someday\nEND:VCARD";
        let c = &parse(text).expect("parses")[0];
        assert_eq!(c.name, "Carmen Núñez");
        assert_eq!(c.birthday, None);
        assert!(c.notes[0].starts_with("line 4: BDAY"), "{:?}", c.notes);
    }

    #[test]
    fn the_salutation_comes_from_n_else_from_fn_and_leaves_the_name() {
        let one = |body: &str| {
            parse(&format!("BEGIN:VCARD\nVERSION:3.0\n{body}END:VCARD\n")).expect("parses")[0]
                .clone()
        };
        let c = one("FN:Dra. Carmen Peña Olmedo\nN:Peña Olmedo;Carmen;;Dra.;\n");
        assert_eq!(
            (
                c.salutation.as_deref(),
                c.name.as_str(),
                c.family.as_deref()
            ),
            (Some("Dra."), "Carmen Peña Olmedo", Some("Peña Olmedo"))
        );
        // N's prefix, but FN without it: the name stays as FN wrote it.
        let c = one("FN:Carmen Peña\nN:Peña;Carmen;;Dra.;\n");
        assert_eq!(
            (c.salutation.as_deref(), c.name.as_str()),
            (Some("Dra."), "Carmen Peña")
        );
        // No N prefix: a known word FN starts with.
        let c = one("FN:Dr. House\n");
        assert_eq!(
            (c.salutation.as_deref(), c.name.as_str()),
            (Some("Dr."), "House")
        );
        let c = one("FN:Drago Petrović\nN:Petrović;Drago;;;\n");
        assert_eq!((c.salutation, c.name.as_str()), (None, "Drago Petrović"));
        // N without FN: the names, the prefix apart.
        let c = one("N:Peña;Carmen;;Dra.;\n");
        assert_eq!(
            (c.salutation.as_deref(), c.name.as_str()),
            (Some("Dra."), "Carmen Peña")
        );
        // A company keeps its name.
        let c = one("KIND:org\nFN:Dr. Oetker\n");
        assert_eq!((c.salutation, c.name.as_str()), (None, "Dr. Oetker"));
    }

    #[test]
    fn n_gives_given_and_every_family_name_and_cjk_family_first() {
        assert_eq!(
            name_of_n("Peña Olmedo;Carmen;;Dra.;").as_deref(),
            Some("Carmen Peña Olmedo")
        );
        assert_eq!(
            name_of_n("Public;John;Quinlan;Dr.;III").as_deref(),
            Some("John Quinlan Public")
        );
        assert_eq!(name_of_n("王;小明;;;").as_deref(), Some("王小明"));
        assert_eq!(name_of_n("山田;太郎;;;").as_deref(), Some("山田太郎"));
        assert_eq!(name_of_n("김;민수;;;").as_deref(), Some("김민수"));
        assert_eq!(
            name_of_n("García,Márquez;Gabriel;José;;").as_deref(),
            Some("Gabriel José García Márquez")
        );
        assert_eq!(name_of_n(";;;Dr.;"), None);
    }

    #[test]
    fn a_repeated_single_value_property_keeps_the_first_and_kind_is_read() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nKIND:individual\nFN:Acme\nFN:Other\n\
                    UID:a\nUID:b\nTITLE:t1\nTITLE:t2\nBDAY:19800101\nBDAY:19900101\n\
                    ORG:First\nORG:Second\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:3.0\nX-ABSHOWAS:COMPANY\nFN:Apple style\nEND:VCARD\n";
        let cards = parse(text).expect("parses");
        let c = &cards[0];
        assert_eq!(
            (c.name.as_str(), c.uid.as_deref(), c.title.as_deref()),
            ("Acme", Some("a"), Some("t1"))
        );
        assert_eq!(c.org.as_deref(), Some("First"));
        assert_eq!(c.birthday.map(|b| b.year), Some(Some(1980)));
        assert_eq!(c.kind.as_deref(), Some("org"));
        assert_eq!(cards[1].kind.as_deref(), Some("org"));
        assert!(c.dropped.is_empty(), "{:?}", c.dropped);
    }

    #[test]
    fn structural_faults_name_the_line() {
        let e = parse("BEGIN:VCARD\nFN:a\nBEGIN:VCARD\n").expect_err("nested");
        assert_eq!(e.line(), Some(3));
        let e = parse("BEGIN:VCARD\nFN:a\n").expect_err("cut");
        assert!(e.to_string().contains("no END:VCARD"), "{e}");
        let e = parse("hello\n").expect_err("not a vcard");
        assert!(e.to_string().contains("no BEGIN:VCARD"), "{e}");
        let e = parse("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n").expect_err("nameless");
        assert!(e.to_string().contains("FN: the card has no name"), "{e}");
        assert_eq!(e.line(), Some(1));
    }
}
